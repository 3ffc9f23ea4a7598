import type { Tensor } from '../core/tensor.ts';
import { add } from '../ops/elementwise.ts';
import type { Metric } from './metrics.ts';

/** Running sums of one metric, kept on the device until read. */
export interface MetricAccumulator {
  readonly name: string;
  total: Tensor | number;
  count: Tensor | number;
  readonly finish: (mean: number) => number;
}

const plus = (a: Tensor | number, b: Tensor | number): Tensor | number =>
  typeof a === 'number' && typeof b === 'number' ? a + b : (add(a as never, b as never) as Tensor);

const readNumber = async (v: Tensor | number): Promise<number> =>
  typeof v === 'number' ? v : Number((await v.data())[0]);

/** Empty accumulators for some metrics; names must be distinct. */
export function accumulators<Out>(op: string, metrics: readonly Metric<Out>[]): MetricAccumulator[] {
  const names = metrics.map((m) => m.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`${op}: two metrics are named ${JSON.stringify(dup)}`);
  return metrics.map((m) => ({ name: m.name, total: 0, count: 0, finish: m.finish ?? ((x) => x) }));
}

/** Adds one batch's measurements. */
export function accumulate<Out>(accs: MetricAccumulator[], metrics: readonly Metric<Out>[], out: Out): void {
  metrics.forEach((m, i) => {
    const [s, c] = m.measure(out);
    const acc = accs[i]!;
    acc.total = plus(acc.total, s);
    acc.count = plus(acc.count, c);
  });
}

/** The metric values (one read per metric). */
export async function readMetrics(accs: readonly MetricAccumulator[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const a of accs) {
    const count = await readNumber(a.count);
    out[a.name] = count === 0 ? Number.NaN : a.finish((await readNumber(a.total)) / count);
  }
  return out;
}

export interface EvaluateOptions<P, Batch, Out> {
  /** The model on one batch, returning what the metrics read (e.g. `{ logits, labels }`). Jit it for speed. */
  readonly forward: (params: P, batch: Batch) => Out;
  readonly metrics: readonly Metric<Out>[];
}

/**
 * Evaluates metrics over batches: runs `forward(params, batch)` on each, accumulates every
 * metric's sum and count on the device, and reads each value once at the end. Batches may be
 * of any size (a partial last batch counts by its size).
 *
 * @example
 * const forward = jit((p, b) => ({ logits: model(p, b.x), labels: b.y }));
 * const { accuracy, loss } = await train.evaluate(params, data.batches(test, { batchSize: 1000 }), {
 *   forward,
 *   metrics: [train.accuracy(), train.crossEntropy()],
 * });
 */
export async function evaluate<P, Batch, Out>(
  params: P,
  batches: Iterable<Batch>,
  options: EvaluateOptions<P, Batch, Out>,
): Promise<Record<string, number>> {
  const { forward, metrics } = options;
  if (metrics.length === 0) throw new Error('train.evaluate: give at least one metric');
  const accs = accumulators('train.evaluate', metrics);
  for (const batch of batches) accumulate(accs, metrics, forward(params, batch));
  return readMetrics(accs);
}
