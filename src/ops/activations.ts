import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Guard, Shape } from '../shapes/dim.ts';
import type { ReduceCheck } from '../shapes/reduce.ts';
import { reduceShape } from '../shapes/reduce.ts';
import { stopGradient } from '../transforms/stop-gradient.ts';
import type { FloatOf } from './types.ts';

type Act = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, FloatOf<D>>;

function floatOf(x: Tensor): Tensor {
  return isFloat(x.dtype) ? x : lax.cast(x, 'f32');
}
const c = (x: Tensor, v: number) => lax.fullLike(x.aval, v);

function activation(f: (x: Tensor) => Tensor): Act {
  return ((x: Tensor) => f(floatOf(x))) as Act;
}

export const relu = activation((x) => lax.max(x, c(x, 0)));
export const sigmoid = activation((x) => lax.logistic(x));
export const tanh = activation((x) => lax.tanh(x));

/** log(1 + exp(x)), stable: max(x, 0) + log(1 + exp(-|x|)). */
export const softplus = activation((x) =>
  lax.add(lax.max(x, c(x, 0)), lax.log(lax.add(c(x, 1), lax.exp(lax.neg(lax.abs(x)))))),
);

/** GELU, tanh approximation (as PyTorch's approximate='tanh' and JAX's default). */
export const gelu = activation((x) => {
  const inner = lax.mul(
    c(x, Math.sqrt(2 / Math.PI)),
    lax.add(x, lax.mul(c(x, 0.044715), lax.mul(x, lax.mul(x, x)))),
  );
  return lax.mul(lax.mul(c(x, 0.5), x), lax.add(c(x, 1), lax.tanh(inner)));
});

/**
 * Leaky ReLU: x for x >= 0, slope * x otherwise (slope 0.01 by default, as PyTorch).
 *
 * @example
 * leakyRelu(tensor([-2, 3]), { slope: 0.1 }); // [-0.2, 3]
 */
export function leakyRelu<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  opts?: { readonly slope?: number },
): Tensor<S, FloatOf<D>> {
  checkOptions('leakyRelu', opts, ['slope']);
  const slope = opts?.slope ?? 0.01;
  const v = floatOf(x);
  return lax.select(lax.compare(v, c(v, 0), 'ge'), v, lax.mul(v, c(v, slope))) as never;
}

/**
 * ELU: x for x > 0, alpha * (exp(x) - 1) otherwise (alpha 1 by default; exp of min(x, 0), so
 * no overflow).
 *
 * @example
 * elu(tensor([-1, 2]), { alpha: 0.5 }); // [0.5 * (e^-1 - 1), 2]
 */
export function elu<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  opts?: { readonly alpha?: number },
): Tensor<S, FloatOf<D>> {
  checkOptions('elu', opts, ['alpha']);
  const alpha = opts?.alpha ?? 1;
  const v = floatOf(x);
  const negPart = lax.mul(c(v, alpha), lax.sub(lax.exp(lax.min(v, c(v, 0))), c(v, 1)));
  return lax.select(lax.compare(v, c(v, 0), 'gt'), v, negPart) as never;
}

export interface AxisOption<A extends number> {
  readonly axis?: A;
}

function axisPlan(op: string, x: Tensor, axis: number) {
  const { axes } = reduceShape(op, x.shape as readonly number[], axis, true);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return { axes, kept };
}

/** Subtracts the (gradient-stopped) max along the axes: the shift that keeps exp finite. */
function shifted(x: Tensor, axes: readonly number[], kept: readonly number[]): Tensor {
  const m = stopGradient(lax.reduceMax(x, axes));
  const finite = lax.compare(lax.sub(m, m), c(m, 0), 'eq');
  const safe = lax.select(finite, m, c(m, 0));
  return lax.sub(x, lax.broadcastInDim(safe, x.shape as readonly number[], kept));
}

/** softmax along `axis` (default -1), stable for large inputs: softmax([1000, 0]) = [1, 0]. */
export function softmax<S extends Shape, D extends DType, const A extends number = -1>(
  x: Tensor<S, D>,
  opts?: AxisOption<A> & Guard<ReduceCheck<'softmax', S, A>>,
): Tensor<S, FloatOf<D>> {
  checkOptions('softmax', opts, ['axis']);
  const v = floatOf(x);
  const { axes, kept } = axisPlan('softmax', v, (opts?.axis as number | undefined) ?? -1);
  const e = lax.exp(shifted(v, axes, kept));
  const s = lax.reduceSum(e, axes);
  return lax.div(e, lax.broadcastInDim(s, v.shape as readonly number[], kept)) as never;
}

/** log(softmax(x)) computed as x - logsumexp(x), stable. */
export function logSoftmax<S extends Shape, D extends DType, const A extends number = -1>(
  x: Tensor<S, D>,
  opts?: AxisOption<A> & Guard<ReduceCheck<'logSoftmax', S, A>>,
): Tensor<S, FloatOf<D>> {
  checkOptions('logSoftmax', opts, ['axis']);
  const v = floatOf(x);
  const { axes, kept } = axisPlan('logSoftmax', v, (opts?.axis as number | undefined) ?? -1);
  const z = shifted(v, axes, kept);
  const lse = lax.log(lax.reduceSum(lax.exp(z), axes));
  return lax.sub(z, lax.broadcastInDim(lse, v.shape as readonly number[], kept)) as never;
}
