#!/bin/bash
# The reference kernel in JavaScript, in C and in WebAssembly, and in JavaScript with the engine's own exp and log,
# pinned to one core and taken in turns, so that the machine's drift falls on all alike. From the project's root, after
# `npm run build`:   bash bench/kernel-ports/run.sh [rounds, default 5] [runs, default 20000] [core, default 0]
# Needs gcc, and the npm registry once (AssemblyScript 0.27.37, through npx, into npx's cache). Prints a JSON line a
# kernel and round, then the medians of runs/s and their ratios to the JavaScript kernel.
set -euo pipefail
ROUNDS=${1:-5} RUNS=${2:-20000} CORE=${3:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KERNEL="$ROOT/../shared/bench/ca5-limit.js"
[ -f "$KERNEL" ] || { echo "run.sh: $KERNEL: not found; expected the reference kernel beside the project" >&2; exit 2; }
[ -f "$ROOT/dist/math/index.js" ] || { echo "run.sh: dist/math/index.js: not found; expected npm run build first" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
gcc -O2 -o "$WORK/ca5" "$HERE/ca5.c" -lm
npx --yes --package=assemblyscript@0.27.37 asc "$HERE/ca5.ts" -O3 --runtime stub --noAssert -o "$WORK/ca5.wasm"
# the JavaScript kernel with Math.exp and Math.log replaced by the engine's own (src/math), nothing else changed
npx esbuild "$ROOT/dist/math/index.js" --bundle --format=cjs --platform=node --log-level=warning --outfile="$WORK/math.cjs"
sed -e "s#^const seedrandom = require('seedrandom');#&\nconst { exp, log } = require('$WORK/math.cjs');#" \
  -e 's/Math\.exp(/exp(/; s/Math\.log(/log(/' -e "s/main('ca5-limit'/main('ca5-own-math'/" "$KERNEL" > "$WORK/ca5-own-math.js"
export NODE_PATH="$ROOT/node_modules"
for ((r = 1; r <= ROUNDS; r++)); do
  taskset -c "$CORE" node "$KERNEL" "$RUNS"
  taskset -c "$CORE" node "$WORK/ca5-own-math.js" "$RUNS"
  taskset -c "$CORE" node "$HERE/ca5-wasm.cjs" "$RUNS" "$WORK/ca5.wasm"
  taskset -c "$CORE" "$WORK/ca5" "$RUNS"
done | tee "$WORK/lines"
node -e '
  const lines = require("node:fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const by = {};
  for (const l of lines) (by[l.impl] ??= []).push(l.runsPerSec);
  const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
  const js = median(by["ca5-limit"]);
  for (const [impl, xs] of Object.entries(by)) console.log(JSON.stringify({ impl, medianRunsPerSec: Math.round(median(xs)), ofJsKernel: +(median(xs) / js).toFixed(2), rounds: xs.map(Math.round) }));
' "$WORK/lines"
