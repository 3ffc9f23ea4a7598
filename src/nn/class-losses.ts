/**
 * Classification losses with PyTorch 1.13's options: `crossEntropy` on logits `[N, C]` or
 * `[N, C, d1, …]` with i32 labels or probability targets, and `nllLoss` on log-probabilities.
 */

import type { DType, FloatDType } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { logSoftmax } from '../ops/activations.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';
import type { SameShapeCheck } from './checks.ts';
import { sameShapeCheck } from './checks.ts';
import type { LossOut, Reduction } from './loss-reduction.ts';
import { checkLabelRange, outOfRangeNaN, reduceLoss, reductionOf } from './loss-reduction.ts';

type T = Tensor;
/** `[N, d1, …]` from `[N, C, d1, …]`: the shape of the labels and of an unreduced loss. */
export type WithoutClassAxis<S> = S extends readonly [infer N, unknown, ...infer Rest]
  ? [N, ...Rest]
  : number[];

/** Labels must have the input's shape without the class axis. */
type LabelsCheck<Op extends string, S extends Shape, S2 extends Shape> = SameShapeCheck<
  Op,
  'labels and expected',
  S2,
  LabelShape<S>
>;

/** WithoutClassAxis for a shape, itself a shape (so the check resolves for generic dims). */
type LabelShape<S extends Shape> = S extends readonly [
  infer N extends Dim,
  infer _C,
  ...infer Rest extends Dim[],
]
  ? [N, ...Rest]
  : number[];

/** crossEntropy's target: probabilities of the input's shape, or labels (checked as such). */
type TargetCheck<S extends Shape, S2 extends Shape> =
  SameShapeCheck<'crossEntropy', 'target', S2, S> extends ShapeError<string>
    ? LabelsCheck<'crossEntropy', S, S2>
    : unknown;

/**
 * The options of `nn.nllLoss` (and of `nn.crossEntropy`): reduction, class weights, an ignored label.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { logSoftmax, nn, tensor } from 'typegrad';
 * const opts: nn.NllLossOptions<'mean'> = { weight: tensor([1, 3]) };
 * const logp = logSoftmax(tensor([[0, 0], [0, 0]]));
 * assert.ok(Math.abs(nn.nllLoss(logp, tensor([0, 1], { dtype: 'i32' }), opts).item() - Math.log(2)) < 1e-6);
 * ```
 */
export interface NllLossOptions<R extends Reduction = Reduction> {
  /** 'mean' (default): the weighted mean, dividing by the summed weights of the kept targets */
  readonly reduction?: R;
  /** a rescaling weight per class, `[C]` (default all 1) */
  readonly weight?: Tensor<[number], FloatDType>;
  /**
   * a label value that contributes nothing, not even to the mean's denominator. No default
   * (PyTorch's is -100): without it every label must be in [0, C).
   */
  readonly ignoreIndex?: number;
}

/**
 * The options of `nn.crossEntropy`: those of `nn.nllLoss` and label smoothing.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.CrossEntropyLossOptions<'sum'> = { reduction: 'sum', labelSmoothing: 0 };
 * const loss = nn.crossEntropy(tensor([[0, 0], [0, 0]]), tensor([0, 1], { dtype: 'i32' }), opts);
 * assert.ok(Math.abs(loss.item() - 2 * Math.log(2)) < 1e-6);
 * ```
 */
export interface CrossEntropyLossOptions<R extends Reduction = Reduction> extends NllLossOptions<R> {
  /** ε in [0, 1]: targets become (1 - ε)·target + ε/C (PyTorch's `label_smoothing`); default 0 */
  readonly labelSmoothing?: number;
}

interface Flat {
  /** `[M, C]` with the class axis last */
  readonly x: T;
  /** the unreduced output shape `[N, d1, …]` */
  readonly outShape: readonly number[];
  readonly classes: number;
}

/** `[N, C, d…]` → `[N·d…, C]`: the class axis moved last, everything else flattened. */
function flatten(op: string, x: T): Flat {
  if (x.ndim < 2) throw new ShapeError(`${op}: input ${x.describe()} must be [N, C] or [N, C, d1, ...]`);
  if (x.dtype !== 'f32' && x.dtype !== 'f64')
    throw new Error(`${op}: input must be f32 or f64, got ${x.describe()}`);
  const shape = x.shape as readonly number[];
  const classes = shape[1]!;
  const outShape = [shape[0]!, ...shape.slice(2)];
  const perm = [0, ...shape.slice(2).map((_, i) => i + 2), 1];
  const moved = lax.transpose(x, perm);
  return { x: lax.reshape(moved, [outShape.reduce((a, b) => a * b, 1), classes]), outShape, classes };
}

function checkWeight(op: string, weight: T | undefined, classes: number, dtype: 'f32' | 'f64'): T {
  if (weight === undefined) return lax.fullLike({ shape: [classes], dtype }, 1);
  if (weight.ndim !== 1 || weight.shape[0] !== classes)
    throw new ShapeError(`${op}: weight ${weight.describe()} must be [${classes}], one per class`);
  return lax.cast(weight, dtype);
}

function sameDims(a: readonly number[], b: readonly number[]) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The shared core: per-element `(1 - ε)·w[y]·(-logp[y]) + (ε/C)·Σ_c w_c·(-logp_c)`, zero where
 * y is ignored; the mean divides by Σ w[y] over the kept elements (PyTorch 1.13's
 * `cross_entropy` with `label_smoothing`, and `nll_loss` for ε = 0).
 */
function labelLoss(op: string, f: Flat, labels: T, opts: CrossEntropyLossOptions, eps: number): T {
  const reduction = reductionOf(op, opts.reduction);
  if (labels.dtype !== 'i32')
    throw new Error(`${op}: labels must be i32 class indices, got ${labels.describe()}`);
  sameShapeCheck(op, 'labels and expected', labels.shape as readonly number[], f.outShape);
  const { ignoreIndex } = opts;
  if (ignoreIndex !== undefined && !Number.isInteger(ignoreIndex))
    throw new Error(`${op}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  checkLabelRange(op, labels, f.classes, ignoreIndex);
  const dtype = f.x.dtype as 'f32' | 'f64';
  const m = f.x.shape[0] as number;
  const y = lax.reshape(labels, [m]);
  const kept =
    ignoreIndex === undefined
      ? lax.fullLike({ shape: [m], dtype: 'bool' }, 1)
      : lax.compare(y, lax.fullLike(y.aval, ignoreIndex), 'ne');
  const keptF = lax.cast(kept, dtype);
  const classIds = lax.broadcastInDim(iota(op, f.classes), [m, f.classes], [1]);
  const hot = lax.cast(lax.compare(lax.broadcastInDim(y, [m, f.classes], [0]), classIds, 'eq'), dtype);
  const w = lax.broadcastInDim(
    checkWeight(op, opts.weight as T | undefined, f.classes, dtype),
    [m, f.classes],
    [1],
  );
  const wy = lax.mul(lax.reduceSum(lax.mul(hot, w), [1]), keptF); // weight of each kept target
  const negLogp = lax.neg(f.x);
  let loss = lax.mul(lax.reduceSum(lax.mul(hot, negLogp), [1]), wy);
  if (eps > 0) {
    const smooth = lax.mul(lax.reduceSum(lax.mul(w, negLogp), [1]), keptF);
    loss = lax.add(
      lax.mul(loss, lax.fullLike(loss.aval, 1 - eps)),
      lax.mul(smooth, lax.fullLike(loss.aval, eps / f.classes)),
    );
  }
  loss = lax.add(loss, outOfRangeNaN(y, f.classes, kept, dtype));
  if (reduction === 'none') return lax.reshape(loss, f.outShape);
  return reduceLoss(loss, reduction, lax.reduceSum(wy, [0]));
}

/** Soft targets: `-Σ_c w_c·q_c·logp_c` with q = (1 - ε)·p + ε/C; the mean is over the N·d… elements. */
function probabilityLoss(op: string, f: Flat, target: T, opts: CrossEntropyLossOptions, eps: number): T {
  const reduction = reductionOf(op, opts.reduction);
  if (opts.ignoreIndex !== undefined)
    throw new Error(
      `${op}: ignoreIndex applies to i32 labels, not to probability targets ${target.describe()}`,
    );
  const t = flatten(op, lax.cast(target, f.x.dtype));
  if (!sameDims(target.shape as readonly number[], [f.outShape[0]!, f.classes, ...f.outShape.slice(1)]))
    throw new ShapeError(`${op}: probability targets ${target.describe()} must have the input's shape`);
  const dtype = f.x.dtype as 'f32' | 'f64';
  const m = f.x.shape[0] as number;
  const q =
    eps > 0
      ? lax.add(lax.mul(t.x, lax.fullLike(t.x.aval, 1 - eps)), lax.fullLike(t.x.aval, eps / f.classes))
      : t.x;
  const w = lax.broadcastInDim(
    checkWeight(op, opts.weight as T | undefined, f.classes, dtype),
    [m, f.classes],
    [1],
  );
  const loss = lax.neg(lax.reduceSum(lax.mul(lax.mul(w, q), f.x), [1]));
  if (reduction === 'none') return lax.reshape(loss, f.outShape);
  return reduceLoss(loss, reduction);
}

/** The class ids 0 … n-1 as an i32 constant. */
function iota(op: string, n: number): T {
  return fromHost(
    Int32Array.from({ length: n }, (_, i) => i),
    { shape: [n], dtype: 'i32' },
    op,
  );
}

/**
 * Cross-entropy from logits, PyTorch's `F.cross_entropy`: input `[N, C]` or `[N, C, d1, …]`
 * (class axis 1), target either i32 labels `[N, d1, …]` or probabilities of the input's shape.
 * Options `reduction` ('mean' default, 'sum', 'none' → `[N, d1, …]`), class `weight` `[C]`,
 * `ignoreIndex` (kept out of the mean's denominator; with weights the mean divides by the
 * summed weights of the kept targets) and `labelSmoothing`. Computed through `logSoftmax`, so
 * logits of 1e4 are fine. A label outside [0, C) (other than `ignoreIndex`) is an error naming
 * the loss and the label when the labels are readable (CPU, outside transforms); elsewhere that
 * element's loss is NaN.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const logits = tensor([[0, 0, 0], [10, 0, 0]]);
 * const labels = tensor([2, 0], { dtype: 'i32' });
 * const perExample = nn.crossEntropy(logits, labels, { reduction: 'none' });
 * assert.ok(Math.abs(perExample.dataSync()[0]! - Math.log(3)) < 1e-6);
 * // ignoreIndex drops the second example from the mean
 * const mean = nn.crossEntropy(logits, labels, { ignoreIndex: 0 });
 * assert.ok(Math.abs(mean.item() - Math.log(3)) < 1e-6);
 * ```
 */
export function crossEntropy<
  S extends Shape,
  D extends FloatDType,
  S2 extends Shape,
  R extends Reduction = 'mean',
>(
  input: Tensor<S, D>,
  target: Checked<Tensor<S2, DType>, TargetCheck<S, S2>>,
  opts: CrossEntropyLossOptions<R> = {},
): LossOut<R, WithoutClassAxis<S>, D> {
  const op = 'crossEntropy';
  checkOptions(op, opts, ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing']);
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new Error(`${op}: labelSmoothing must be in [0, 1], got ${eps}`);
  const f = flatten(op, input as T);
  const logp: Flat = { ...f, x: logSoftmax(f.x) as T };
  const t = target as T;
  return (t.dtype === 'f32' || t.dtype === 'f64' ? probabilityLoss : labelLoss)(
    op,
    logp,
    t,
    opts,
    eps,
  ) as never;
}

/**
 * Negative log-likelihood of i32 labels under log-probabilities `[N, C]` or `[N, C, d1, …]`,
 * PyTorch's `F.nll_loss`: `-weight[y]·input[y]`, with `reduction`, `weight` and `ignoreIndex`
 * as in `crossEntropy` (the weighted mean divides by the summed weights of the kept targets).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { logSoftmax, nn, tensor } from 'typegrad';
 * const logp = logSoftmax(tensor([[0, 0], [0, 0]]));
 * const loss = nn.nllLoss(logp, tensor([0, 1], { dtype: 'i32' }), { reduction: 'sum' });
 * assert.ok(Math.abs(loss.item() - 2 * Math.log(2)) < 1e-6);
 * ```
 */
export function nllLoss<
  S extends Shape,
  D extends FloatDType,
  S2 extends Shape,
  R extends Reduction = 'mean',
>(
  input: Tensor<S, D>,
  target: Checked<Tensor<S2, 'i32'>, LabelsCheck<'nllLoss', S, S2>>,
  opts: NllLossOptions<R> = {},
): LossOut<R, WithoutClassAxis<S>, D> {
  checkOptions('nllLoss', opts, ['reduction', 'weight', 'ignoreIndex']);
  return labelLoss('nllLoss', flatten('nllLoss', input as T), target as T, opts, 0) as never;
}
