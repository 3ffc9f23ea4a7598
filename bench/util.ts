/** Shared helpers for the bench workloads: timing and the JSON-line report. */

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

function median(xs: number[]): number {
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
