/** Shared helpers for the bench workloads: timing, the JSON-line report, backend selection. */
import { currentBackend, getBackend, resetWebGpu, setBackend } from '../src/core/backend-registry.ts';

export interface BenchLine {
  workload: string;
  backend: string;
  params: Record<string, unknown>;
  ms: number;
  gflops?: number;
  [extra: string]: unknown;
}

/** Prints one result as a JSON line on stdout. */
export function report(line: BenchLine): void {
  console.log(JSON.stringify(line));
}

/**
 * Median wall time in ms of each function over `runs` rounds, after one untimed warm-up
 * call each. Rounds call the functions in turn, so load from other processes on the machine
 * falls on all of them alike and their ratio stays meaningful.
 */
export function medianMs(fns: readonly (() => void)[], runs: number): number[] {
  for (const fn of fns) fn();
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      fn();
      times[i]!.push(performance.now() - t0);
    });
  }
  return times.map(median);
}

/**
 * As `medianMs` for functions that return promises (steps that read a value with `await`,
 * WebGPU work): one untimed warm-up call each, then `runs` rounds calling them in turn.
 */
export async function medianMsAsync(
  fns: readonly (() => Promise<unknown>)[],
  runs: number,
): Promise<number[]> {
  for (const fn of fns) await fn();
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < fns.length; i++) {
      const t0 = performance.now();
      await fns[i]!();
      times[i]!.push(performance.now() - t0);
    }
  }
  return times.map(median);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Rounds to `digits` decimals for readable output. */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Deterministic values in [-1, 1) (an LCG), so runs are comparable. */
export function fillRandom(a: Float32Array | Float64Array, seed = 1): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
}

/** True when the module at `url` is the script node was started with. */
export function isMain(url: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && new URL(url).pathname === new URL(`file://${entry}`).pathname;
}

export type BenchBackend = 'cpu' | 'webgpu';

/** The WebGPU backend `benchBackends` acquired, to be destroyed by `releaseBackends`. */
let acquired: { destroy?: () => void } | undefined;

/**
 * The backends a workload runs on: 'cpu', and 'webgpu' after it when `setBackend('webgpu')`
 * succeeds (run with `eval "$(bash scripts/setup-webgpu.sh)"` on a machine without a GPU).
 * `TYPEGRAD_BENCH_BACKENDS=cpu` (or `webgpu`, or `cpu,webgpu`) picks them. When WebGPU is
 * asked for but unavailable, prints one line for `workload` saying why and leaves it out.
 * Leaves the current backend as it found it. Call `releaseBackends()` at the end.
 */
export async function benchBackends(workload: string): Promise<BenchBackend[]> {
  const only = process.env.TYPEGRAD_BENCH_BACKENDS?.split(',').map((s) => s.trim());
  const wanted = (['cpu', 'webgpu'] as const).filter((b) => only === undefined || only.includes(b));
  if (!wanted.includes('webgpu')) return wanted;
  const before = getBackend();
  try {
    await setBackend('webgpu');
    acquired = currentBackend() as { destroy?: () => void };
    return wanted;
  } catch (e) {
    report({
      workload,
      backend: 'webgpu',
      params: {},
      ms: Number.NaN,
      unavailable: e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e),
    });
    return wanted.filter((b) => b !== 'webgpu');
  } finally {
    await setBackend(before);
  }
}

/** Back to the CPU backend, and destroys the WebGPU device if one was acquired (so node exits). */
export async function releaseBackends(): Promise<void> {
  await setBackend('cpu');
  acquired?.destroy?.();
  acquired = undefined;
  resetWebGpu();
}

/** GFLOP/s of `flop` floating-point operations done in `ms` milliseconds. */
export function gflops(flop: number, ms: number): number {
  return round(flop / (ms * 1e6), 3);
}
