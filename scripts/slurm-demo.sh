#!/usr/bin/env bash
# Proves the cluster path on a real single-node SLURM (Debian's slurm-wlm and munge), from nothing:
# installs and starts the daemons by hand (no systemd), lets `spillover sweep --emit-slurm` write an array job
# and its merge step, submits both, waits, and checks that the merged outputs are byte-identical to a local run;
# then makes one task fail (its merge step must be cancelled), submits that task again alone, merges, and compares again.
# Usage, as root: scripts/slurm-demo.sh [experiment.json] [array tasks]
set -euo pipefail
cd "$(dirname "$0")/.."
EXPERIMENT=${1:-experiments/benefit-sharing.json}
TASKS=${2:-4}
WORK=$(mktemp -d /tmp/spillover-slurm-XXXXXX)
say() { printf 'slurm-demo: %s\n' "$*"; }

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  say "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
[ -f dist/cli/spillover.js ] || npm run build --silent

say "starting munged"
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
[ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge && chmod 0400 /etc/munge/munge.key
pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged
for _ in $(seq 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
munge -n | unmunge >/dev/null || { say "munge does not work"; exit 1; }

say "writing slurm.conf and starting slurmctld and slurmd"
HOST=$(hostname -s)
CPUS=$(nproc)
MEMORY=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=spillover-demo
SlurmctldHost=${HOST}(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=${HOST} NodeAddr=127.0.0.1 CPUs=${CPUS} RealMemory=${MEMORY} State=UNKNOWN
PartitionName=demo Nodes=${HOST} Default=YES MaxTime=INFINITE State=UP
CONF
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 60); do
  if timeout 5 sinfo -h -o '%T' 2>/dev/null | grep -Eq 'idle|mixed|allocated'; then break; fi
  sleep 1
done
timeout 5 sinfo -h -o '%T' | grep -Eq 'idle|mixed|allocated' || { say "the node did not come up"; tail -20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log; exit 1; }

# waits for an array job and its merge step, and fails unless every task and the merge completed
wait_for() {
  local array=$1 merge=$2 queue state
  for _ in $(seq 600); do
    # squeue exits 1 with no output when the controller is down: that is a failure, not "finished"
    if ! queue=$(timeout 10 squeue -h -j "$array,$merge" 2>&1); then say "squeue failed: $queue"; exit 1; fi
    [ -z "$queue" ] && break
    if scontrol -o show job "$merge" 2>/dev/null | grep -q DependencyNeverSatisfied; then
      say "an array task failed, so the merge step cannot run"; scancel "$merge"
      tail -5 /var/log/slurm/slurmd.log; cat "$WORK"/slurm/slurm-*.out 2>/dev/null | tail -20; exit 1
    fi
    sleep 1
  done
  state=$(scontrol -o show job "$merge" | grep -o 'JobState=[A-Z_]*' | head -1)
  scontrol -o show job "$array" | grep -o 'JobState=[A-Z_]* .*ExitCode=[0-9:]*' | sed 's/ .*ExitCode=/ exit /' | sort | uniq -c | sed 's/^/slurm-demo: array tasks: /'
  [ "$state" = "JobState=COMPLETED" ] || { say "merge step ended with $state"; cat "$WORK"/slurm/slurm-*.out 2>/dev/null | tail -20; exit 1; }
}

# the merged outputs against the local run's
compare() {
  for f in runs.csv points.csv quantiles.csv; do
    cmp "$WORK/slurm/$f" "$WORK/local/$f" || { say "$f differs between SLURM and local ($1)"; exit 1; }
  done
}

say "submitting ${EXPERIMENT} as ${TASKS} array tasks and a merge step"
node dist/cli/spillover.js sweep "$EXPERIMENT" --out "$WORK/slurm" --emit-slurm "$WORK/sweep.sbatch" --shard-count "$TASKS"
ARRAY=$(sbatch --parsable "$WORK/sweep.sbatch")
MERGE=$(sbatch --parsable --dependency=afterok:"$ARRAY" "$WORK/sweep.sbatch.merge")
wait_for "$ARRAY" "$MERGE"

say "running the same sweep locally and comparing"
node dist/cli/spillover.js sweep "$EXPERIMENT" --out "$WORK/local" --quiet
compare "the array job"

# a task that fails (here a file where its shard's folder goes): the merge step, submitted with --dependency=afterok,
# must be cancelled (its script asks --kill-on-invalid-dep), not left pending for ever
LOST=$(( TASKS > 1 ? 2 : 1 ))
say "making task ${LOST} fail: the merge step must be cancelled, not left pending"
rm -rf "$WORK/slurm/shard-${LOST}" "$WORK/slurm/runs.csv" "$WORK/slurm/points.csv" "$WORK/slurm/quantiles.csv"
touch "$WORK/slurm/shard-${LOST}"
ARRAY=$(sbatch --parsable "$WORK/sweep.sbatch")
MERGE=$(sbatch --parsable --dependency=afterok:"$ARRAY" "$WORK/sweep.sbatch.merge")
for _ in $(seq 120); do
  if ! queue=$(timeout 10 squeue -h -j "$ARRAY,$MERGE" 2>&1); then say "squeue failed: $queue"; exit 1; fi
  [ -z "$queue" ] && break
  sleep 1
done
STATE=$(scontrol -o show job "$MERGE" | grep -o 'JobState=[A-Z_]*' | head -1)
[ "$STATE" = "JobState=CANCELLED" ] || { say "after a failed task the merge step is $STATE, not cancelled"; exit 1; }
scontrol -o show job "$ARRAY" | grep -o 'JobState=[A-Z_]* .*ExitCode=[0-9:]*' | sed 's/ .*ExitCode=/ exit /' | sort | uniq -c | sed 's/^/slurm-demo: array tasks: /'

# the failed task submitted again alone (its node lost, its folder gone): an array of one task, which must still run
# its own shard of the array, not the whole experiment; then the merge step again
say "submitting task ${LOST} again alone, then the merge step"
rm -f "$WORK/slurm/shard-${LOST}"
ARRAY=$(sbatch --parsable --array="$LOST" "$WORK/sweep.sbatch")
MERGE=$(sbatch --parsable --dependency=afterok:"$ARRAY" "$WORK/sweep.sbatch.merge")
wait_for "$ARRAY" "$MERGE"
grep -q "\"count\": ${TASKS}," "$WORK/slurm/shard-${LOST}/manifest.json" || { say "task ${LOST} run alone was not shard ${LOST} of ${TASKS}"; exit 1; }
compare "task ${LOST} submitted again"
say "passed: ${TASKS} array tasks, and task ${LOST} failed then submitted again alone, merged into outputs byte-identical to the local run ($WORK)"
