/**
 * Regression losses with PyTorch 1.13's options (`reduction`, `beta`, `delta`): `mseLoss`,
 * `l1Loss`, `smoothL1Loss`, `huberLoss`. Prediction and target must have the same shape
 * (PyTorch broadcasts them with a warning; here a mismatch is an error).
 */

import type { DType, FloatDType } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { checkArg } from '../ops/coerce.ts';
import type { Checked, Shape } from '../shapes/dim.ts';
import type { SameShapeCheck } from './checks.ts';
import { sameShapeCheck } from './checks.ts';
import type { LossOut, Reduction } from './loss-reduction.ts';
import { reduceLoss, reductionOf } from './loss-reduction.ts';

type T = Tensor;

/**
 * The options of `nn.mseLoss` and `nn.l1Loss`: the reduction.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.RegressionLossOptions<'none'> = { reduction: 'none' };
 * assert.deepEqual(nn.l1Loss(tensor([1, 2]), tensor([0, 0]), opts).toArray(), [1, 2]);
 * ```
 */
export interface RegressionLossOptions<R extends Reduction = Reduction> {
  /** 'mean' (default) over every element, 'sum', or 'none' (the input's shape) */
  readonly reduction?: R;
}
/**
 * The options of `nn.smoothL1Loss`: the reduction and `beta`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.SmoothL1LossOptions = { beta: 0 }; // beta 0 is the l1 loss
 * assert.equal(nn.smoothL1Loss(tensor([0]), tensor([3]), opts).item(), 3);
 * ```
 */
export interface SmoothL1LossOptions<R extends Reduction = Reduction> extends RegressionLossOptions<R> {
  /** where |d| < beta the loss is 0.5·d²/beta, else |d| - 0.5·beta (default 1; 0 gives l1) */
  readonly beta?: number;
}
/**
 * The options of `nn.huberLoss`: the reduction and `delta`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.HuberLossOptions = { delta: 1 };
 * assert.equal(nn.huberLoss(tensor([0]), tensor([3]), opts).item(), 2.5);
 * ```
 */
export interface HuberLossOptions<R extends Reduction = Reduction> extends RegressionLossOptions<R> {
  /** where |d| <= delta the loss is 0.5·d², else delta·(|d| - 0.5·delta) (default 1) */
  readonly delta?: number;
}

type Loss<Op extends string, O> = <
  S extends Shape,
  S2 extends Shape,
  D extends FloatDType,
  R extends Reduction = 'mean',
>(
  input: Tensor<S, D>,
  target: Checked<Tensor<S2, DType>, SameShapeCheck<Op, 'input and target', S, S2>>,
  opts?: Omit<O, 'reduction'> & RegressionLossOptions<R>,
) => LossOut<R, S, D>;

function regression<Op extends string, O extends RegressionLossOptions>(
  op: Op,
  perElement: (d: T, opts: O) => T,
  extraKeys: readonly string[] = [],
): Loss<Op, O> {
  return ((input: T, target: T, opts: O = {} as O) => {
    checkArg(op, input, 'input');
    checkArg(op, target, 'target');
    checkOptions(op, opts, ['reduction', ...extraKeys]);
    const reduction = reductionOf(op, opts.reduction);
    sameShapeCheck(
      op,
      'input and target',
      input.shape as readonly number[],
      target.shape as readonly number[],
    );
    if (input.dtype !== 'f32' && input.dtype !== 'f64')
      throw new Error(`${op}: input must be f32 or f64, got ${input.describe()}`);
    const d = lax.sub(input, lax.cast(target, input.dtype));
    return reduceLoss(perElement(d, opts), reduction);
  }) as never;
}

function positive(op: string, name: string, v: number, allowZero: boolean): number {
  if (!(Number.isFinite(v) && (allowZero ? v >= 0 : v > 0)))
    throw new Error(`${op}: ${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${v}`);
  return v;
}

const c = (x: T, v: number) => lax.fullLike(x.aval, v);

/**
 * Mean squared error `(input - target)²`, PyTorch's `F.mse_loss`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * assert.equal(nn.mseLoss(tensor([1, 2]), tensor([1, 4]), { reduction: 'sum' }).item(), 4);
 * assert.equal(nn.mseLoss(tensor([1, 2]), tensor([1, 4])).item(), 2);
 * ```
 */
export const mseLoss: Loss<'mseLoss', RegressionLossOptions> = regression<'mseLoss', RegressionLossOptions>(
  'mseLoss',
  (d) => lax.mul(d, d),
);

/**
 * Mean absolute error `|input - target|`, PyTorch's `F.l1_loss` (gradient 0 where they are equal).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * assert.equal(nn.l1Loss(tensor([1, 2]), tensor([0, 5])).item(), 2);
 * ```
 */
export const l1Loss: Loss<'l1Loss', RegressionLossOptions> = regression<'l1Loss', RegressionLossOptions>(
  'l1Loss',
  (d) => lax.abs(d),
);

/**
 * Smooth L1, PyTorch's `F.smooth_l1_loss`: `0.5·d²/beta` where `|d| < beta`, else
 * `|d| - 0.5·beta` (default beta 1; beta 0 is `l1Loss`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const loss = nn.smoothL1Loss(tensor([0, 0]), tensor([0.25, 2]), { beta: 0.5, reduction: 'none' });
 * assert.deepEqual(loss.toArray(), [0.0625, 1.75]); // 0.5·d²/beta below beta, |d| - beta/2 above
 * ```
 */
export const smoothL1Loss: Loss<'smoothL1Loss', SmoothL1LossOptions> = regression(
  'smoothL1Loss',
  (d, opts: SmoothL1LossOptions) => {
    const beta = positive('smoothL1Loss', 'beta', opts.beta ?? 1, true);
    const ad = lax.abs(d);
    if (beta === 0) return ad;
    const inner = lax.div(lax.mul(c(d, 0.5), lax.mul(d, d)), c(d, beta));
    return lax.select(lax.compare(ad, c(ad, beta), 'lt'), inner, lax.sub(ad, c(ad, 0.5 * beta)));
  },
  ['beta'],
);

/**
 * Huber loss, PyTorch's `F.huber_loss`: `0.5·d²` where `|d| <= delta`, else
 * `delta·(|d| - 0.5·delta)` (default delta 1; equals `delta · smoothL1Loss` with beta = delta).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const loss = nn.huberLoss(tensor([0, 0]), tensor([1, 4]), { delta: 2, reduction: 'none' });
 * assert.deepEqual(loss.toArray(), [0.5, 6]); // 0.5·d² within delta, delta·(|d| - delta/2) beyond
 * ```
 */
export const huberLoss: Loss<'huberLoss', HuberLossOptions> = regression(
  'huberLoss',
  (d, opts: HuberLossOptions) => {
    const delta = positive('huberLoss', 'delta', opts.delta ?? 1, false);
    const ad = lax.abs(d);
    const inner = lax.mul(c(d, 0.5), lax.mul(d, d));
    const outer = lax.mul(c(ad, delta), lax.sub(ad, c(ad, 0.5 * delta)));
    return lax.select(lax.compare(ad, c(ad, delta), 'le'), inner, outer);
  },
  ['delta'],
);
