/**
 * Statistics and the JSON lines of the side-by-side benchmarks (bench/compare): one line per
 * measurement (`measurementLine`) and one per peer pair and workload (`ratioLine`).
 */

/**
 * Median of a non-empty list (mean of the two middle values for an even count).
 *
 * @example
 *   median([3, 1, 2]); // 2
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median: empty list');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Median, smallest and largest value of a non-empty list.
 *
 * @example
 *   summarize([3, 1, 2]); // { median: 2, min: 1, max: 3 }
 */
export function summarize(xs: readonly number[]): { median: number; min: number; max: number } {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * Rounds to `digits` significant digits (JSON lines stay short, small values keep precision).
 *
 * @example
 *   sig(0.000123456); // 0.0001235
 */
export function sig(x: number, digits = 4): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

/**
 * Per-round ratios `a[k] / b[k]` of two peers' per-round medians (round k measured both, so
 * load from the shared machine falls on both alike), with their median and range.
 *
 * @example
 *   roundRatios([10, 30], [20, 30]).median; // 0.75
 */
export function roundRatios(
  a: readonly number[],
  b: readonly number[],
): { ratios: number[]; median: number; min: number; max: number } {
  if (a.length !== b.length || a.length === 0)
    throw new Error(`roundRatios: need the same number of rounds (got ${a.length} and ${b.length})`);
  const ratios = a.map((x, k) => x / b[k]!);
  return { ratios, ...summarize(ratios) };
}

/** What the harness knows about one measured (peer, workload) pair. */
export interface Measurement {
  readonly peer: string;
  readonly workload: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** ms per iteration of every repetition, in the order they ran (all rounds). */
  readonly samples: readonly number[];
  /** ms per iteration: the median repetition of each round. */
  readonly roundMedians: readonly number[];
  readonly iters: number;
  /** Floating-point operations of one iteration, for GF/s; absent where no count is defined. */
  readonly flop?: number;
  /** Operations in one iteration, for µs per op (DISPATCH workloads). */
  readonly ops?: number;
  readonly versions: Readonly<Record<string, string>>;
  readonly hostLoad1: number;
}

/**
 * The JSON line of one measurement: `ms_per_iter` is the median repetition over all rounds,
 * `ms_min`/`ms_max` the fastest and slowest repetition, `samples` every repetition's ms/iter.
 *
 * @example
 *   console.log(JSON.stringify(measurementLine(m)));
 */
export function measurementLine(m: Measurement, ts = new Date().toISOString()): Record<string, unknown> {
  const { median: ms, min, max } = summarize(m.samples);
  return {
    peer: m.peer,
    workload: m.workload,
    params: m.params,
    ms_per_iter: sig(ms),
    ms_min: sig(min),
    ms_max: sig(max),
    reps: m.samples.length,
    iters: m.iters,
    samples: m.samples.map((x) => sig(x)),
    round_medians: m.roundMedians.map((x) => sig(x)),
    ...(m.flop !== undefined ? { gflops: sig(m.flop / (ms * 1e6)) } : {}),
    ...(m.ops !== undefined ? { us_per_op: sig((ms * 1000) / m.ops) } : {}),
    versions: m.versions,
    host_load1: sig(m.hostLoad1, 3),
    ts,
  };
}

/**
 * The JSON line comparing `base` (typegrad) with `peer` on one workload: the per-round ratios
 * of ms/iter, base / peer (below 1: base is faster), with their median and range.
 *
 * @example
 *   console.log(JSON.stringify(ratioLine(typegradMeasurement, jaxMeasurement)));
 */
export function ratioLine(
  base: Measurement,
  peer: Measurement,
  ts = new Date().toISOString(),
): Record<string, unknown> {
  const r = roundRatios(base.roundMedians, peer.roundMedians);
  return {
    ratio: `${base.peer}/${peer.peer}`,
    workload: base.workload,
    params: base.params,
    median: sig(r.median, 3),
    min: sig(r.min, 3),
    max: sig(r.max, 3),
    rounds: r.ratios.length,
    ratios: r.ratios.map((x) => sig(x, 3)),
    host_load1: sig(Math.max(base.hostLoad1, peer.hostLoad1), 3),
    ts,
  };
}

/**
 * Largest |a - b| over the largest |ref|: how far a peer's result is from typegrad's.
 *
 * @example
 *   scaledMaxError([2, -4], [2.5, -4]); // 0.125
 */
export function scaledMaxError(ref: ArrayLike<number>, other: ArrayLike<number>): number {
  if (ref.length !== other.length)
    throw new Error(`scaledMaxError: lengths differ (${ref.length} and ${other.length})`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ref[i]! - other[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return Number.isNaN(diff) ? Number.NaN : diff / Math.max(scale, Number.MIN_VALUE);
}
