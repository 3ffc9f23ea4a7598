import { runScoped } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import { add } from '../ops/elementwise.ts';
import type { Metric } from './metrics.ts';
import { yieldSometimes } from './yield.ts';

/** Running sums of one metric, kept on the device until read. */
export interface MetricAccumulator {
  /** The metric's name (the key of its value). */
  readonly name: string;
  /** Sum of the per-example values so far. */
  total: Tensor | number;
  /** Examples (or weights) counted so far. */
  count: Tensor | number;
  /** Turns the mean into the metric (e.g. `Math.exp` for perplexity). */
  readonly finish: (mean: number) => number;
  /** Running sums this accumulator made (and so frees when it replaces them). */
  readonly owned: Set<Tensor>;
}

const plus = (a: Tensor | number, b: Tensor | number): Tensor | number =>
  typeof a === 'number' && typeof b === 'number' ? a + b : (add(a as never, b as never) as Tensor);

const readNumber = async (v: Tensor | number): Promise<number> =>
  typeof v === 'number' ? v : Number((await v.data())[0]);

/**
 * Empty accumulators for some metrics; names must be distinct.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train } from 'typegrad';
 * const metrics = [train.accuracy()];
 * const accs = train.accumulators('my.loop', metrics);
 * train.accumulate(accs, metrics, { logits: tensor([[1, 0]]), labels: tensor([0], { dtype: 'i32' }) });
 * train.accumulate(accs, metrics, { logits: tensor([[1, 0]]), labels: tensor([1], { dtype: 'i32' }) });
 * assert.deepEqual(await train.readMetrics(accs), { accuracy: 0.5 });
 * ```
 */
export function accumulators<Out>(op: string, metrics: readonly Metric<Out>[]): MetricAccumulator[] {
  const names = metrics.map((m) => m.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`${op}: two metrics are named ${JSON.stringify(dup)}`);
  return metrics.map((m) => ({
    name: m.name,
    total: 0,
    count: 0,
    finish: m.finish ?? ((x) => x),
    owned: new Set<Tensor>(),
  }));
}

/**
 * Adds one batch's measurements. The metric's intermediates (a log-softmax over the batch, …)
 * and the running sums it replaces are freed at once, so a long loop holds only the current
 * sums; the batch's `out` is left to its owner.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train } from 'typegrad';
 * const metrics = [train.crossEntropy()];
 * const accs = train.accumulators('my.loop', metrics);
 * train.accumulate(accs, metrics, { logits: tensor([[0, 0]]), labels: tensor([0], { dtype: 'i32' }) });
 * assert.ok(Math.abs((await train.readMetrics(accs)).loss! - Math.log(2)) < 1e-6);
 * ```
 */
export function accumulate<Out>(accs: MetricAccumulator[], metrics: readonly Metric<Out>[], out: Out): void {
  metrics.forEach((m, i) => {
    const acc = accs[i]!;
    const before = [acc.total, acc.count];
    // In a scope: what `measure` and the sums make is freed unless it is a new running sum.
    runScoped(
      'train.accumulate',
      () => {
        const [s, c] = m.measure(out);
        acc.total = plus(acc.total, s);
        acc.count = plus(acc.count, c);
      },
      (_, made) => {
        const kept = [acc.total, acc.count].filter((v): v is Tensor => typeof v !== 'number' && made.has(v));
        for (const v of kept) acc.owned.add(v);
        return kept;
      },
    );
    for (const old of before)
      if (typeof old !== 'number' && old !== acc.total && old !== acc.count && acc.owned.delete(old))
        old.dispose();
  });
}

/**
 * The metric values (one read per metric).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const accs = train.accumulators('my.loop', [train.accuracy()]);
 * assert.ok(Number.isNaN((await train.readMetrics(accs)).accuracy)); // no batches yet
 * ```
 */
export async function readMetrics(accs: readonly MetricAccumulator[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const a of accs) {
    const count = await readNumber(a.count);
    out[a.name] = count === 0 ? Number.NaN : a.finish((await readNumber(a.total)) / count);
  }
  return out;
}

/**
 * Frees the running sums the accumulators made (after the last `readMetrics`); they read as
 * empty afterwards.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { memory, tensor, train } from 'typegrad';
 * const metrics = [train.accuracy()];
 * const accs = train.accumulators('my.loop', metrics);
 * const out = { logits: tensor([[1, 0]]), labels: tensor([0], { dtype: 'i32' }) };
 * const live = memory().cpu!.tensors;
 * train.accumulate(accs, metrics, out);
 * assert.deepEqual(await train.readMetrics(accs), { accuracy: 1 });
 * train.disposeSums(accs);
 * assert.equal(memory().cpu!.tensors, live); // nothing left behind
 * ```
 */
export function disposeSums(accs: readonly MetricAccumulator[]): void {
  for (const a of accs) {
    for (const t of a.owned) t.dispose();
    a.owned.clear();
    a.total = 0;
    a.count = 0;
  }
}

/**
 * The options of `train.evaluate`: the model on one batch and the metrics to compute.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { type Tensor, tensor, train } from 'typegrad';
 * type B = { x: Tensor<[number, 2]>; y: Tensor<[number], 'i32'> };
 * const opts: train.EvaluateOptions<null, B, train.Classified> = {
 *   forward: (_p, b) => ({ logits: b.x, labels: b.y }),
 *   metrics: [train.accuracy()],
 * };
 * const batch: B = { x: tensor([[0, 1]]), y: tensor([1], { dtype: 'i32' }) };
 * assert.deepEqual(await train.evaluate(null, [batch], opts), { accuracy: 1 });
 * ```
 */
export interface EvaluateOptions<P, Batch, Out> {
  /** The model on one batch, returning what the metrics read (e.g. `{ logits, labels }`). Jit it for speed. */
  readonly forward: (params: P, batch: Batch) => Out;
  /** The metrics to compute (distinct names). */
  readonly metrics: readonly Metric<Out>[];
}

/**
 * Evaluates metrics over batches: runs `forward(params, batch)` on each, accumulates every
 * metric's sum and count on the device, and reads each value once at the end. Batches may be
 * of any size (a partial last batch counts by its size).
 *
 * @param params passed to `forward` unchanged.
 * @param batches any iterable of batches (e.g. `data.batches(test, { batchSize })`).
 * @param options `forward(params, batch)` and the `metrics`.
 * @returns each metric's value by name.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, jit, nn, type Tensor, tensor, train } from 'typegrad';
 * const test = { x: tensor([[1, 0], [0, 1], [1, 0]]), y: tensor([0, 1, 1], { dtype: 'i32' }) };
 * const params = { w: tensor([[1, 0], [0, 1]]), b: tensor([0, 0]) };
 * const forward = jit((p: typeof params, b: { x: Tensor<[number, 2]>; y: Tensor<[number], 'i32'> }) => ({
 *   logits: nn.dense(p, b.x),
 *   labels: b.y,
 * }));
 * const { accuracy, loss } = await train.evaluate(params, data.batches(test, { batchSize: 2 }), {
 *   forward,
 *   metrics: [train.accuracy(), train.crossEntropy()],
 * });
 * assert.ok(Math.abs(accuracy! - 2 / 3) < 1e-6);
 * assert.ok(loss! > 0);
 * ```
 */
export async function evaluate<P, Batch, Out>(
  params: P,
  batches: Iterable<Batch>,
  options: EvaluateOptions<P, Batch, Out>,
): Promise<Record<string, number>> {
  const { forward, metrics } = options;
  if (metrics.length === 0) throw new Error('train.evaluate: give at least one metric');
  const accs = accumulators('train.evaluate', metrics);
  const pause = yieldSometimes();
  for (const batch of batches) {
    accumulate(accs, metrics, forward(params, batch));
    await pause();
  }
  const values = await readMetrics(accs);
  disposeSums(accs);
  return values;
}
