/**
 * Metrics computed in batches: each batch contributes a sum and a count (tensors, so nothing
 * is read back per batch), and the value is `finish(Σ sums / Σ counts)`. Classification
 * metrics read `{ logits [..., C], labels [...] (i32), mask? [...] }`; leading dims are
 * flattened, so language-model outputs `[T, B, C]` work as they are.
 */
import type { Tensor } from '../core/tensor.ts';
import { logSoftmax } from '../ops/activations.ts';
import { cast, equal, greater, less, mul, neg } from '../ops/elementwise.ts';
import { argmax, sum } from '../ops/reductions.ts';
import { expandDims, reshape, takeAlongAxis } from '../ops/shape.ts';

type T = Tensor;

/**
 * A model's output on a batch, as the classification metrics read it.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train } from 'typegrad';
 * const out: train.Classified = {
 *   logits: tensor([[1, 0], [1, 0]]),
 *   labels: tensor([0, 1], { dtype: 'i32' }),
 *   mask: tensor([1, 0]), // the second example is padding
 * };
 * assert.deepEqual(await train.evaluate(null, [out], { forward: (_p, b) => b, metrics: [train.accuracy()] }), {
 *   accuracy: 1,
 * });
 * ```
 */
export interface Classified {
  /** Unnormalised scores `[..., C]`. */
  readonly logits: Tensor;
  /** Class ids `[...]` (the leading dims of `logits`), i32. */
  readonly labels: Tensor;
  /** Optional weights `[...]` (1 for real tokens, 0 for padding), f32. */
  readonly mask?: Tensor;
}

/**
 * A metric over model outputs `Out`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * // a metric counting examples: each batch contributes (sum, count)
 * const examples: train.Metric<number[]> = { name: 'mean', measure: (xs) => [xs.reduce((a, b) => a + b, 0), xs.length] };
 * assert.deepEqual(await train.evaluate(null, [[1, 2], [6]], { forward: (_p, b) => b, metrics: [examples] }), { mean: 3 });
 * ```
 */
export interface Metric<Out = Classified> {
  /** The key of the metric's value (`'accuracy'`, `'top5'`, …). */
  readonly name: string;
  /** This batch's sum of per-example values and its example count (a number or a scalar tensor). */
  measure(out: Out): readonly [sum: Tensor | number, count: Tensor | number];
  /** The metric from the mean per-example value (default: the mean itself). */
  readonly finish?: (mean: number) => number;
}

/** Logits as `[N, C]`, labels and weights as `[N]`. */
function rows(op: string, out: Classified): { logits: T; labels: T; weight: T | undefined } {
  const { logits, labels, mask } = out;
  const lead = logits.shape.slice(0, -1) as readonly number[];
  if (logits.ndim < 1 || labels.ndim !== lead.length || lead.some((d, i) => d !== labels.shape[i])) {
    throw new Error(
      `train.${op}: labels ${labels.describe()} must have the leading dims of logits ${logits.describe()}`,
    );
  }
  if (labels.dtype !== 'i32') throw new Error(`train.${op}: labels must be i32, got ${labels.describe()}`);
  if (mask && (mask.ndim !== lead.length || lead.some((d, i) => d !== mask.shape[i]))) {
    throw new Error(
      `train.${op}: mask ${mask.describe()} must have the shape of labels ${labels.describe()}`,
    );
  }
  const n = lead.reduce((a, d) => a * d, 1);
  const c = logits.shape[logits.ndim - 1] as number;
  return {
    logits: reshape(logits as never, [n, c] as never) as T,
    labels: reshape(labels as never, [n] as never) as T,
    weight: mask ? (reshape(cast(mask as never, 'f32') as never, [n] as never) as T) : undefined,
  };
}

/** Σ weight · value and Σ weight (or the row count without a mask). */
function weighted(value: T, weight: T | undefined): readonly [T, T | number] {
  if (!weight) return [sum(value as never) as T, value.shape[0] as number];
  return [sum(mul(value as never, weight as never) as never) as T, sum(weight as never) as T];
}

/**
 * Fraction of examples whose argmax over the last axis is the label.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train } from 'typegrad';
 * const batches = [{ x: tensor([[2, 1], [0, 3]]), y: tensor([0, 0], { dtype: 'i32' }) }];
 * const scores = await train.evaluate(null, batches, {
 *   forward: (_p, b) => ({ logits: b.x, labels: b.y }),
 *   metrics: [train.accuracy()],
 * });
 * assert.deepEqual(scores, { accuracy: 0.5 });
 * ```
 */
export function accuracy(): Metric {
  return {
    name: 'accuracy',
    measure(out) {
      const { logits, labels, weight } = rows('accuracy', out);
      return weighted(
        cast(equal(argmax(logits as never, { axis: -1 }) as never, labels as never), 'f32') as T,
        weight,
      );
    },
  };
}

/**
 * Fraction of examples whose label is among the `k` highest logits (ties count in the label's
 * favour: the label is in the top k when fewer than k logits are strictly greater).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train } from 'typegrad';
 * const out = { logits: tensor([[3, 2, 1], [1, 2, 3]]), labels: tensor([1, 0], { dtype: 'i32' }) };
 * const scores = await train.evaluate(null, [out], { forward: (_p, b) => b, metrics: [train.topK(2)] });
 * assert.deepEqual(scores, { top2: 0.5 });
 * ```
 */
export function topK(k: number): Metric {
  if (!Number.isInteger(k) || k < 1) throw new Error(`train.topK: k must be a positive integer, got ${k}`);
  return {
    name: `top${k}`,
    measure(out) {
      const { logits, labels, weight } = rows('topK', out);
      const own = takeAlongAxis(logits as never, expandDims(labels as never, 1) as never, 1 as never) as T;
      const above = sum(
        cast(greater(logits as never, own as never) as never, 'f32') as never,
        { axis: 1 } as never,
      ) as T;
      return weighted(cast(less(above as never, k as never) as never, 'f32') as T, weight);
    },
  };
}

/** Per-example cross-entropy `-log softmax(logits)[label]` (nats). */
function nll(out: Classified, op: string): readonly [T, T | number] {
  const { logits, labels, weight } = rows(op, out);
  const logp = logSoftmax(logits as never) as T;
  const own = takeAlongAxis(logp as never, expandDims(labels as never, 1) as never, 1 as never) as T;
  return weighted(neg(reshape(own as never, [own.shape[0]] as never) as never) as T, weight);
}

/**
 * Mean softmax cross-entropy (nats), named `loss`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train } from 'typegrad';
 * const out = { logits: tensor([[0, 0]]), labels: tensor([1], { dtype: 'i32' }) };
 * const { loss } = await train.evaluate(null, [out], { forward: (_p, b) => b, metrics: [train.crossEntropy()] });
 * assert.ok(Math.abs(loss! - Math.log(2)) < 1e-6);
 * ```
 */
export function crossEntropy(): Metric {
  return { name: 'loss', measure: (out) => nll(out, 'crossEntropy') };
}

/**
 * `exp(mean cross-entropy)`: the perplexity of a language model.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train, zeros } from 'typegrad';
 * // a uniform model over V = 50 tokens has perplexity 50
 * const out = { logits: zeros([4, 3, 50]), labels: tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [0, 0, 0]], { dtype: 'i32' }) };
 * const { perplexity } = await train.evaluate(null, [out], { forward: (_p, b) => b, metrics: [train.perplexity()] });
 * assert.ok(Math.abs(perplexity! - 50) < 1e-3);
 * ```
 */
export function perplexity(): Metric {
  return { name: 'perplexity', measure: (out) => nll(out, 'perplexity'), finish: Math.exp };
}

/**
 * Mean cross-entropy in bits (`nats / ln 2`): bits per character for a character model.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train, zeros } from 'typegrad';
 * // a uniform model over 256 bytes needs 8 bits per character
 * const out = { logits: zeros([2, 256]), labels: tensor([65, 66], { dtype: 'i32' }) };
 * const { bitsPerChar } = await train.evaluate(null, [out], { forward: (_p, b) => b, metrics: [train.bitsPerChar()] });
 * assert.ok(Math.abs(bitsPerChar! - 8) < 1e-4);
 * ```
 */
export function bitsPerChar(): Metric {
  return { name: 'bitsPerChar', measure: (out) => nll(out, 'bitsPerChar'), finish: (m) => m / Math.LN2 };
}

/**
 * A metric from a function returning a per-batch mean (e.g. your loss) weighted by the batch size.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, type Tensor, tensor, train } from 'typegrad';
 * const mse = train.meanOf('mse', (b: { pred: Tensor<[number]>; target: Tensor<[number]> }) => [
 *   nn.mse(b.pred, b.target),
 *   b.pred.shape[0] as number,
 * ]);
 * const batches = [
 *   { pred: tensor([1, 1, 1]), target: tensor([1, 1, 1]) }, // mse 0 over 3 examples
 *   { pred: tensor([0]), target: tensor([2]) }, // mse 4 over 1 example
 * ];
 * assert.deepEqual(await train.evaluate(null, batches, { forward: (_p, b) => b, metrics: [mse] }), { mse: 1 });
 * ```
 */
export function meanOf<Out>(
  name: string,
  f: (out: Out) => readonly [batchMean: Tensor | number, count: number],
): Metric<Out> {
  return {
    name,
    measure(out) {
      const [m, count] = f(out);
      return [typeof m === 'number' ? m * count : (mul(m as never, count as never) as T), count];
    },
  };
}
