/**
 * How many cores this process may use, for the default of `--workers`: the CPUs it may be scheduled on, and no more
 * than its cgroup's CPU quota. Containers limit CPU by quota (Kubernetes' `limits.cpu`, `docker run --cpus`), which
 * Node 20's `os.availableParallelism()` (libuv 1.46) does not read: in a pod limited to two CPUs on a 64-core node it
 * says 64, and 64 workers, each with a heap of its own, would take turns on two CPUs and could run the pod out of
 * memory. The quota is read as libuv reads it from 1.49 on (newer Node releases), and Rust's `available_parallelism`:
 * cgroup v2's `cpu.max`, or v1's `cpu.cfs_quota_us` over `cpu.cfs_period_us`, in the process's cgroup and each above
 * it, the least of them, rounded down and at least one. Inside a SLURM job, no more than the CPUs the job gave the task.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a file's text, or undefined where there is none (tests give a tree of their own). */
export type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** CPUs a quota and its period allow (quota / period, rounded down, at least one), or Infinity for none. */
function cpusOf(quota: number, period: number): number {
  return quota > 0 && period > 0 ? Math.max(1, Math.floor(quota / period)) : Infinity;
}

/**
 * The CPU quota of the cgroups a process is in (`/proc/self/cgroup`'s text), as whole CPUs, or Infinity when none
 * limits it. A cgroup's folder is looked for under the usual mounts (`/sys/fs/cgroup` for v2, `/sys/fs/cgroup/cpu` and
 * its like for v1); inside a container, where the path seen is that of the container's own root, the mount itself.
 */
export function cgroupCpuLimit(read: ReadText = readText): number {
  const lines = (read('/proc/self/cgroup') ?? '').split('\n').filter(Boolean);
  let limit = Infinity;
  // each folder from the cgroup's own up to the mount, the least quota of them (a parent's quota caps its children)
  const walk = (mount: string, path: string, quotaOf: (dir: string) => number) => {
    const parts = path.split('/').filter(Boolean);
    for (let k = parts.length; k >= 0; k--) limit = Math.min(limit, quotaOf([mount, ...parts.slice(0, k)].join('/')));
  };
  for (const line of lines) {
    const [, controllers, path = '/'] = line.match(/^\d+:([^:]*):(.*)$/) ?? [];
    if (controllers === undefined) continue;
    if (controllers === '') {
      // v2: "max 100000" or "200000 100000"
      for (const mount of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'])
        walk(mount, path, (dir) => {
          const [quota, period] = (read(`${dir}/cpu.max`) ?? '').trim().split(/\s+/);
          return quota === undefined || quota === 'max' ? Infinity : cpusOf(Number(quota), Number(period));
        });
    } else if (controllers.split(',').includes('cpu')) {
      for (const mount of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct', '/sys/fs/cgroup/cpuacct,cpu'])
        walk(mount, path, (dir) => cpusOf(Number(read(`${dir}/cpu.cfs_quota_us`) ?? -1), Number(read(`${dir}/cpu.cfs_period_us`) ?? 0)));
    }
  }
  return limit;
}

/**
 * The CPUs a SLURM job gave this task, or Infinity outside a job: `SLURM_CPUS_PER_TASK` (set when the job asked
 * `--cpus-per-task`), else `SLURM_CPUS_ON_NODE` (the job's CPUs on this node; one task's, as an array task runs).
 * Where the cluster confines a job by cgroup or affinity (`task/cgroup`, `task/affinity`) the CPUs or the quota say
 * the same; where it does not (`TaskPlugin=task/none`, as the SLURM demo runs), a task given one CPU of a 64-core node
 * would otherwise start 64 workers.
 */
export function slurmCpuLimit(env: Record<string, string | undefined>): number {
  if (env.SLURM_JOB_ID === undefined) return Infinity;
  for (const name of ['SLURM_CPUS_PER_TASK', 'SLURM_CPUS_ON_NODE']) {
    const cpus = Number(env[name]);
    if (Number.isInteger(cpus) && cpus > 0) return cpus;
  }
  return Infinity;
}

/** This process's own count, read once: a command asks for it up to three times (help, default, the note on it). */
let own: number | undefined;

/** The cores this process may use: `os.availableParallelism()`, capped by its cgroup's CPU quota and its SLURM job's CPUs. */
export function usableCores(read?: ReadText, env: Record<string, string | undefined> = process.env): number {
  if (read === undefined) return (own ??= usableCores(readText, env));
  return Math.max(1, Math.min(availableParallelism(), cgroupCpuLimit(read), slurmCpuLimit(env)));
}
