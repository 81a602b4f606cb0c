// The reference kernel (`../shared/bench/ca5-limit.js` from the project's root), line by line in AssemblyScript: the same model, seeds and
// results to the last digits or so (its Math is musl's, not V8's fdlibm), compiled to WebAssembly by run.sh. Not part of the project; a measurement of
// what a compiled language gives on this model (see README.md).
const NA = 5, NS = 3, STEPS = 100;
let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, cc: f64 = 1;
let mashN: f64 = 0;
const digits = new StaticArray<i32>(16);
function mashCode(code: i32): void {
  mashN += <f64>code;
  let h = 0.02519603282416938 * mashN;
  mashN = <f64><u32><u64>h;
  h -= mashN; h *= mashN;
  mashN = <f64><u32><u64>h;
  h -= mashN;
  mashN += h * 4294967296.0;
}
function mashSpace(): f64 { mashCode(32); return <f64><u32><u64>mashN * 2.3283064365386963e-10; }
function mashSeed(seed: i32): f64 {
  let L = 0; let x = seed;
  do { unchecked(digits[L++] = 48 + x % 10); x /= 10; } while (x > 0);
  for (let i = L - 1; i >= 0; i--) mashCode(unchecked(digits[i]));
  return <f64><u32><u64>mashN * 2.3283064365386963e-10;
}
@inline function next(): f64 {
  const t = 2091639 * s0 + cc * 2.3283064365386963e-10;
  s0 = s1; s1 = s2;
  cc = <f64><i32>t;
  return s2 = t - cc;
}
const BASE = new StaticArray<f64>(3), COST = new StaticArray<f64>(3), S = new StaticArray<f64>(9), G08 = new StaticArray<f64>(5);
const c = new StaticArray<f64>(15), T = new StaticArray<f64>(25), trade = new StaticArray<f64>(100), coop = new StaticArray<f64>(300);
export function init(): void {
  BASE[0] = 0.3; BASE[1] = 0.2; BASE[2] = 0.25; COST[0] = 0.2; COST[1] = 0.35; COST[2] = 0.25;
  const s: f64[] = [0, 0.05, 0.15, 0.02, 0, 0.02, 0.12, 0.03, 0]; for (let i = 0; i < 9; i++) S[i] = s[i];
  const g: f64[] = [260, 100, 60, 14, 12]; for (let i = 0; i < 5; i++) G08[i] = Math.pow(g[i], 0.8);
}
export function runOne(seed: i32): f64 {
  mashN = 0xefc8249d; cc = 1; s0 = mashSpace(); s1 = mashSpace(); s2 = mashSpace();
  s0 -= mashSeed(seed); if (s0 < 0) s0 += 1;
  s1 -= mashSeed(seed); if (s1 < 0) s1 += 1;
  s2 -= mashSeed(seed); if (s2 < 0) s2 += 1;
  for (let k = 0; k < 15; k++) unchecked(c[k] = 0.2);
  for (let i = 0; i < NA; i++) for (let j = 0; j < NA; j++) unchecked(T[i*NA+j] = i == j ? 1 : 0.5);
  const TWO_PI = 2 * Math.PI;
  for (let t = 0; t < STEPS; t++) {
    for (let i = 0; i < NA; i++) {
      let sumT: f64 = 0; for (let j = 0; j < NA; j++) if (j != i) sumT += unchecked(T[i*NA+j]);
      const meanT = sumT / (NA - 1); const o = i*NS;
      for (let s = 0; s < NS; s++) {
        const ci = unchecked(c[o+s]);
        const u = unchecked(BASE[s]) + unchecked(S[s*3])*unchecked(c[o]) + unchecked(S[s*3+1])*unchecked(c[o+1]) + unchecked(S[s*3+2])*unchecked(c[o+2]) + 0.1*meanT - unchecked(COST[s])*ci;
        const effort = 1 / (1 + Math.exp(-8 * (u - 0.25)));
        const r1 = next(), r2 = next();
        const z = Math.sqrt(-2 * Math.log(1 - r1)) * Math.cos(TWO_PI * r2);
        let v = ci + 0.1 * (effort - ci) + 0.01 * z;
        if (v < 0) v = 0; else if (v > 1) v = 1;
        unchecked(c[o+s] = v);
      }
    }
    for (let i = 0; i < NA; i++) for (let j = 0; j < NA; j++) {
      if (j == i) continue;
      let m = Infinity;
      for (let s = 0; s < NS; s++) { const a = (unchecked(c[i*NS+s]) + unchecked(c[j*NS+s])) / 2; if (a < m) m = a; }
      const k = i*NA+j; let v = unchecked(T[k]) + 0.05 * (m - unchecked(T[k]));
      if (v < 0) v = 0; else if (v > 1) v = 1; unchecked(T[k] = v);
    }
    if (next() < 0.02) {
      const a = <i32>Math.floor(next() * NA);
      for (let s = 0; s < NS; s++) unchecked(c[a*NS+s] *= 0.7);
      for (let j = 0; j < NA; j++) if (j != a) unchecked(T[a*NA+j] *= 0.8);
    }
    let total: f64 = 0;
    for (let i = 0; i < NA; i++) for (let j = 0; j < NA; j++) {
      if (j == i) continue;
      total += unchecked(G08[i])*unchecked(G08[j]) / (1 + 2 * (1 - (unchecked(c[i*NS]) + unchecked(c[j*NS]) + unchecked(c[i*NS+2]) + unchecked(c[j*NS+2])) / 4));
    }
    unchecked(trade[t] = total);
    for (let s = 0; s < NS; s++) { let sum: f64 = 0; for (let i = 0; i < NA; i++) sum += unchecked(c[i*NS+s]); unchecked(coop[t*NS+s] = sum / NA); }
  }
  return unchecked(trade[STEPS-1]);
}
export function checksum(): f64 { let x: f64 = 0; for (let t = 0; t < STEPS; t++) { x += unchecked(trade[t]); for (let s = 0; s < NS; s++) x += unchecked(coop[t*NS+s]); } return x; }
