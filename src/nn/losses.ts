/**
 * Losses, each reduced to a scalar mean (what `grad` differentiates), computed stably from
 * logits. Shapes are checked at compile time where they are known and at run time always.
 */
import type { DType, FloatDType } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { logSoftmax, softplus } from '../ops/activations.ts';
import { abs, add, cast, equal, maximum, mul, neg, square, sub } from '../ops/elementwise.ts';
import { argmax, mean, sum } from '../ops/reductions.ts';
import { oneHot } from '../ops/shape.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';
import type { DimCheck, SameShapeCheck } from './checks.ts';
import { dimCheck, sameShapeCheck } from './checks.ts';
import { checkLabelRange, outOfRangeNaN } from './loss-reduction.ts';

type T = Tensor;
const dims = (t: Tensor) => t.shape as readonly number[];

function checkLabels(op: string, logits: T, labels: T): [number, number] {
  if (logits.ndim !== 2) throw new ShapeError(`${op}: logits ${logits.describe()} must be [B, C]`);
  if (labels.ndim !== 1) throw new ShapeError(`${op}: labels ${labels.describe()} must be [B]`);
  if (labels.dtype !== 'i32')
    throw new Error(`${op}: labels must be i32 class indices, got ${labels.describe()}`);
  const [b, c] = dims(logits) as [number, number];
  dimCheck(op, 'batch dims', b, dims(labels)[0]!);
  return [b, c];
}

/**
 * The options of `nn.softmaxCrossEntropy`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.CrossEntropyOptions = { labelSmoothing: 0.1 };
 * const sharp = tensor([[10, -10]]);
 * const y = tensor([0], { dtype: 'i32' });
 * assert.ok(nn.softmaxCrossEntropy(sharp, y, opts).item() > nn.softmaxCrossEntropy(sharp, y).item());
 * ```
 */
export interface CrossEntropyOptions {
  /**
   * ε in [0, 1): the target becomes (1 - ε) one-hot + ε / C (Szegedy et al. 2016, as
   * PyTorch's `label_smoothing`). Default 0.
   */
  readonly labelSmoothing?: number;
}

/**
 * Softmax cross-entropy from logits `[B, C]` and i32 labels `[B]`, mean over the batch:
 * `mean_b( -Σ_c q_bc · logSoftmax(logits)_bc )`, q = (1 - ε) onehot(label) + ε / C.
 * From logits through `logSoftmax` (x - max - log Σ exp(x - max)), so logits of 1e4 are fine.
 *
 * @param logits unnormalised scores `[B, C]`.
 * @param labels class ids `[B]` (i32).
 * @param opts `labelSmoothing` ε (default 0).
 * @returns the mean loss, a scalar.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const logits = tensor([[0, 0], [0, 0]]);
 * const loss = nn.softmaxCrossEntropy(logits, tensor([0, 1], { dtype: 'i32' }));
 * assert.ok(Math.abs(loss.item() - Math.log(2)) < 1e-6); // uniform scores: log C
 * ```
 */
export function softmaxCrossEntropy<B extends Dim, C extends Dim, D extends FloatDType, B2 extends Dim>(
  logits: Tensor<[B, C], D>,
  labels: Checked<Tensor<[B2], 'i32'>, DimCheck<'nn.softmaxCrossEntropy', 'batch dims', B, B2>>,
  opts: CrossEntropyOptions = {},
): Tensor<[], D> {
  const l = logits as T;
  const [, c] = checkLabels('nn.softmaxCrossEntropy', l, labels as T);
  checkOptions('nn.softmaxCrossEntropy', opts, optionKeys<CrossEntropyOptions>({ labelSmoothing: true }));
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps < 1))
    throw new Error(`softmaxCrossEntropy: labelSmoothing must be in [0, 1), got ${eps}`);
  const y = labels as T;
  checkLabelRange('softmaxCrossEntropy', y, c);
  const logp = logSoftmax(l);
  const hot = oneHot(labels as Tensor<[number], 'i32'>, c, { dtype: l.dtype });
  const target = eps === 0 ? hot : add(mul(hot, 1 - eps), eps / c);
  // where the labels cannot be read now (in a transform, on WebGPU) a bad label makes the loss NaN
  const bad = sum(
    outOfRangeNaN(
      y,
      c,
      lax.fullLike({ shape: y.shape as readonly number[], dtype: 'bool' }, 1),
      l.dtype as 'f32' | 'f64',
    ),
  );
  return add(neg(mean(sum(mul(target, logp), { axis: -1 }))), bad) as never;
}

/**
 * Mean squared error: `mean((pred - target)^2)` over every element.
 *
 * @returns the mean of `(pred - target)²` over every element, a scalar.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * assert.ok(Math.abs(nn.mse(tensor([1, 2, 3]), tensor([1, 2, 5])).item() - 4 / 3) < 1e-6);
 * ```
 */
export function mse<S extends Shape, S2 extends Shape, D extends FloatDType>(
  pred: Tensor<S, D>,
  target: Checked<Tensor<S2, DType>, SameShapeCheck<'nn.mse', 'prediction and target', S, S2>>,
): Tensor<[], D> {
  const p = pred as T;
  const t = target as T;
  sameShapeCheck('nn.mse', 'prediction and target', dims(p), dims(t));
  return mean(square(sub(p, t))) as never;
}

/**
 * Sigmoid binary cross-entropy from logits x and targets t in [0, 1], mean over every element:
 * `max(x, 0) - x·t + log(1 + exp(-|x|))`, which equals `-t log σ(x) - (1 - t) log(1 - σ(x))`
 * without overflow for large |x| (TensorFlow's `sigmoid_cross_entropy_with_logits`).
 *
 * @param logits scores of any shape.
 * @param targets 0/1 (or soft) targets of the same shape.
 * @returns the mean loss, a scalar.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const loss = nn.sigmoidBinaryCrossEntropy(tensor([0, 0]), tensor([1, 0]));
 * assert.ok(Math.abs(loss.item() - Math.log(2)) < 1e-6); // sigmoid(0) = 0.5 either way
 * ```
 */
export function sigmoidBinaryCrossEntropy<S extends Shape, S2 extends Shape, D extends FloatDType>(
  logits: Tensor<S, D>,
  targets: Checked<
    Tensor<S2, DType>,
    SameShapeCheck<'nn.sigmoidBinaryCrossEntropy', 'logits and targets', S, S2>
  >,
): Tensor<[], D> {
  const x = logits as T;
  const t = cast(targets as T, x.dtype);
  sameShapeCheck('nn.sigmoidBinaryCrossEntropy', 'logits and targets', dims(x), dims(t));
  // log(1 + exp(-|x|)) is softplus(-|x|), itself computed stably.
  return mean(add(sub(maximum(x, 0), mul(x, t)), softplus(neg(abs(x))))) as never;
}

/**
 * Fraction of rows whose argmax over the last axis equals the label (an f32 scalar, no gradient).
 *
 * @param logits scores `[B, C]`.
 * @param labels class ids `[B]` (i32).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const logits = tensor([[2, 1], [0, 3], [5, 4]]);
 * assert.ok(Math.abs(nn.accuracy(logits, tensor([0, 1, 1], { dtype: 'i32' })).item() - 2 / 3) < 1e-6);
 * ```
 */
export function accuracy<B extends Dim, C extends Dim, B2 extends Dim>(
  logits: Tensor<[B, C], DType>,
  labels: Checked<Tensor<[B2], 'i32'>, DimCheck<'nn.accuracy', 'batch dims', B, B2>>,
): Tensor<[], 'f32'> {
  const l = logits as T;
  checkLabels('nn.accuracy', l, labels as T);
  return mean(cast(equal(argmax(l, { axis: -1 }), labels as T), 'f32')) as never;
}
