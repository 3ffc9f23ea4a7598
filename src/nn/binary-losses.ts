/**
 * Binary cross-entropy, PyTorch 1.13's `F.binary_cross_entropy_with_logits` (stable at any
 * logit, with `weight` and `posWeight`) and `F.binary_cross_entropy` on probabilities (each log
 * clamped at -100).
 */

import type { DType, FloatDType } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { broadcastShapes } from '../shapes/broadcast.ts';
import type { Checked, Shape } from '../shapes/dim.ts';
import type { SameShapeCheck } from './checks.ts';
import { sameShapeCheck } from './checks.ts';
import type { LossOut, Reduction } from './loss-reduction.ts';
import { reduceLoss, reductionOf } from './loss-reduction.ts';

type T = Tensor;
const c = (x: T, v: number) => lax.fullLike(x.aval, v);

/**
 * The options of `nn.binaryCrossEntropy`: reduction and a weight per element.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.BinaryCrossEntropyOptions<'sum'> = { reduction: 'sum', weight: tensor([2, 0]) };
 * const loss = nn.binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1, 1]), opts);
 * assert.ok(Math.abs(loss.item() - 2 * Math.log(2)) < 1e-6);
 * ```
 */
export interface BinaryCrossEntropyOptions<R extends Reduction = Reduction> {
  /** 'mean' (default) over every element, 'sum', or 'none' */
  readonly reduction?: R;
  /** a weight per element, broadcast against the input (default 1) */
  readonly weight?: Tensor<Shape, FloatDType>;
}
/**
 * The options of `nn.binaryCrossEntropyWithLogits`: those of `nn.binaryCrossEntropy` and a
 * weight of the positive term per class.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.BceWithLogitsOptions = { posWeight: tensor([1, 2]) };
 * const loss = nn.binaryCrossEntropyWithLogits(tensor([[0, 0]]), tensor([[1, 1]]), opts);
 * assert.ok(Math.abs(loss.item() - 1.5 * Math.log(2)) < 1e-6);
 * ```
 */
export interface BceWithLogitsOptions<R extends Reduction = Reduction> extends BinaryCrossEntropyOptions<R> {
  /** weight of the positive term per class (the last axis), broadcast against the input (default 1) */
  readonly posWeight?: Tensor<Shape, FloatDType>;
}

/** `w` cast to x's dtype and broadcast to x's shape; an error naming the loss if it does not broadcast. */
function spread(op: string, what: string, w: T, x: T): T {
  const shape = x.shape as readonly number[];
  const out = broadcastShapes(op, shape, w.shape as readonly number[]);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i]))
    throw new Error(`${op}: ${what} ${w.describe()} does not broadcast to the input ${x.describe()}`);
  const v = lax.cast(w, x.dtype);
  const dims = v.shape.map((_, i) => shape.length - v.ndim + i);
  return lax.broadcastInDim(v, shape, dims);
}

function prepare(op: string, input: T, target: T, opts: BinaryCrossEntropyOptions) {
  const reduction = reductionOf(op, opts.reduction);
  sameShapeCheck(op, 'input and target', input.shape as readonly number[], target.shape as readonly number[]);
  if (input.dtype !== 'f32' && input.dtype !== 'f64')
    throw new Error(`${op}: input must be f32 or f64, got ${input.describe()}`);
  return { reduction, t: lax.cast(target, input.dtype) };
}

/**
 * Sigmoid binary cross-entropy from logits, PyTorch's `F.binary_cross_entropy_with_logits`:
 * `w·[(1 - t)·x + (1 + (posWeight - 1)·t)·(log(1 + e^(-|x|)) + max(-x, 0))]`, finite and exact
 * at x = ±100 (no log of a rounded sigmoid).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const logits = tensor([0, 0]);
 * const targets = tensor([1, 0]);
 * assert.ok(Math.abs(nn.binaryCrossEntropyWithLogits(logits, targets).item() - Math.log(2)) < 1e-6);
 * // posWeight 3 triples the positive term: (3 log 2 + log 2) / 2
 * const weighted = nn.binaryCrossEntropyWithLogits(logits, targets, { posWeight: tensor([3]) });
 * assert.ok(Math.abs(weighted.item() - 2 * Math.log(2)) < 1e-6);
 * ```
 */
export function binaryCrossEntropyWithLogits<
  S extends Shape,
  S2 extends Shape,
  D extends FloatDType,
  R extends Reduction = 'mean',
>(
  input: Tensor<S, D>,
  target: Checked<
    Tensor<S2, DType>,
    SameShapeCheck<'binaryCrossEntropyWithLogits', 'input and target', S, S2>
  >,
  opts: BceWithLogitsOptions<R> = {},
): LossOut<R, S, D> {
  const op = 'binaryCrossEntropyWithLogits';
  checkOptions(op, opts, ['reduction', 'weight', 'posWeight']);
  const x = input as T;
  const { reduction, t } = prepare(op, x, target as T, opts);
  const softplusNeg = lax.add(
    lax.log(lax.add(c(x, 1), lax.exp(lax.neg(lax.abs(x))))),
    lax.max(lax.neg(x), c(x, 0)), // max's tie rule at 0 gives the exact derivative there
  );
  const logWeight =
    opts.posWeight === undefined
      ? c(x, 1)
      : lax.add(lax.mul(lax.sub(spread(op, 'posWeight', opts.posWeight as T, x), c(x, 1)), t), c(x, 1));
  let loss = lax.add(lax.mul(lax.sub(c(x, 1), t), x), lax.mul(logWeight, softplusNeg));
  if (opts.weight !== undefined) loss = lax.mul(loss, spread(op, 'weight', opts.weight as T, x));
  return reduceLoss(loss, reduction) as never;
}

/** max(log(p), -100), with gradient 0 (not NaN) at p = 0. */
function clampedLog(p: T): T {
  const positive = lax.compare(p, c(p, 0), 'gt');
  const safe = lax.select(positive, p, c(p, 1));
  return lax.select(positive, lax.max(lax.log(safe), c(p, -100)), c(p, -100));
}

/**
 * Binary cross-entropy of probabilities, PyTorch's `F.binary_cross_entropy`:
 * `-w·[t·max(log p, -100) + (1 - t)·max(log(1 - p), -100)]`, so p = 0 or 1 gives 100, not
 * Infinity. Prefer `binaryCrossEntropyWithLogits` on logits (stable and exact).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const probs = tensor([0.5, 0.9]);
 * const loss = nn.binaryCrossEntropy(probs, tensor([1, 1]), { reduction: 'none' });
 * assert.ok(Math.abs(loss.dataSync()[1]! + Math.log(0.9)) < 1e-6);
 * ```
 */
export function binaryCrossEntropy<
  S extends Shape,
  S2 extends Shape,
  D extends FloatDType,
  R extends Reduction = 'mean',
>(
  input: Tensor<S, D>,
  target: Checked<Tensor<S2, DType>, SameShapeCheck<'binaryCrossEntropy', 'input and target', S, S2>>,
  opts: BinaryCrossEntropyOptions<R> = {},
): LossOut<R, S, D> {
  const op = 'binaryCrossEntropy';
  checkOptions(op, opts, ['reduction', 'weight']);
  const p = input as T;
  const { reduction, t } = prepare(op, p, target as T, opts);
  const pos = lax.mul(t, clampedLog(p));
  const neg = lax.mul(lax.sub(c(t, 1), t), clampedLog(lax.sub(c(p, 1), p)));
  let loss = lax.neg(lax.add(pos, neg));
  if (opts.weight !== undefined) loss = lax.mul(loss, spread(op, 'weight', opts.weight as T, p));
  return reduceLoss(loss, reduction) as never;
}
