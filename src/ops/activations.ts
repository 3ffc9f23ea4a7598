import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Checked, Shape } from '../shapes/dim.ts';
import type { ReduceCheck } from '../shapes/reduce.ts';
import { reduceShape } from '../shapes/reduce.ts';
import { stopGradient } from '../transforms/stop-gradient.ts';
import { checkArg, checkAxisArg } from './coerce.ts';
import { erfcOf } from './erf.ts';
import type { FloatOf } from './types.ts';

type Act = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, FloatOf<D>>;

function floatOf(x: Tensor): Tensor {
  return isFloat(x.dtype) ? x : lax.cast(x, 'f32');
}
const c = (x: Tensor, v: number) => lax.fullLike(x.aval, v);

function activation(op: string, f: (x: Tensor) => Tensor): Act {
  return ((x: Tensor) => {
    checkArg(op, x);
    return f(floatOf(x));
  }) as Act;
}

/**
 * ReLU, `max(x, 0)` elementwise, with `relu'(0) = 0` (PyTorch and JAX): a select on `x > 0`,
 * not `maximum`'s half-and-half tie rule.
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @returns A tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * import { relu, tensor } from 'typegrad';
 * console.log(relu(tensor([-1, 0, 2])).toArray()); // [0, 0, 2]
 * ```
 * @function
 */
export const relu = activation('relu', (x) => {
  const zero = c(x, 0);
  return lax.select(lax.compare(x, zero, 'gt'), x, zero);
});
/**
 * The logistic sigmoid `1 / (1 + exp(-x))` elementwise.
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @returns A tensor of `x`'s shape, values in (0, 1).
 *
 * @example
 * ```ts
 * import { sigmoid, tensor } from 'typegrad';
 * console.log(sigmoid(tensor([0])).toArray()); // [0.5]
 * ```
 * @function
 */
export const sigmoid = activation('sigmoid', (x) => lax.logistic(x));
/**
 * Hyperbolic tangent elementwise.
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @returns A tensor of `x`'s shape, values in (-1, 1).
 *
 * @example
 * ```ts
 * import { tanh, tensor } from 'typegrad';
 * console.log(tanh(tensor([0])).toArray()); // [0]
 * ```
 * @function
 */
export const tanh = activation('tanh', (x) => lax.tanh(x));

/** `softplus` options, PyTorch's: `softplus(x) = log(1 + exp(beta·x)) / beta`, and `x` past the threshold. */
export interface SoftplusOptions {
  /** default 1 */
  readonly beta?: number;
  /** where beta·x > threshold the result is x exactly (gradient 1); default 20, as PyTorch */
  readonly threshold?: number;
}

/**
 * `log(1 + exp(beta·x)) / beta` elementwise, stable (`max(z, 0) + log(1 + exp(-|z|))` for
 * z = beta·x), and `x` itself where `beta·x > threshold` (PyTorch's `F.softplus`).
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @param opts - `beta` (default 1) and `threshold` (default 20).
 * @returns A tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * import { softplus, tensor } from 'typegrad';
 * const y = softplus(tensor([0, 30]));
 * console.log(Array.from(y.dataSync(), (v) => +v.toFixed(4))); // [0.6931, 30]
 * ```
 */
export function softplus<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  opts: SoftplusOptions = {},
): Tensor<S, FloatOf<D>> {
  checkArg('softplus', x);
  const beta = opts.beta ?? 1;
  const threshold = opts.threshold ?? 20;
  if (!(Number.isFinite(beta) && beta > 0))
    throw new Error(`softplus: beta must be a finite number > 0, got ${beta}`);
  if (Number.isNaN(threshold)) throw new Error('softplus: threshold must be a number, got NaN');
  const v = floatOf(x);
  const z = beta === 1 ? v : lax.mul(v, c(v, beta));
  // max's tie rule (1/2 each) plus abs'(0) = 0 gives softplus'(0) = 1/2 exactly
  const soft = lax.add(lax.max(z, c(z, 0)), lax.log(lax.add(c(z, 1), lax.exp(lax.neg(lax.abs(z))))));
  const scaled = beta === 1 ? soft : lax.div(soft, c(soft, beta));
  return lax.select(lax.compare(z, c(z, threshold), 'gt'), v, scaled) as never;
}

/**
 * SiLU (swish), `x · sigmoid(x)` elementwise (Elfwing et al. 2018; PyTorch's `F.silu`).
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @returns A tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * import { silu, tensor } from 'typegrad';
 * const y = silu(tensor([0, 1]));
 * console.log(Array.from(y.dataSync(), (v) => +v.toFixed(4))); // [0, 0.7311]
 * ```
 * @function
 */
export const silu = activation('silu', (x) => lax.mul(x, lax.logistic(x)));

/** `gelu` options. */
export interface GeluOptions {
  /** 'none' (default, as PyTorch; JAX's default is the tanh form): exact erf; 'tanh': the tanh approximation */
  readonly approximate?: 'none' | 'tanh';
}

/**
 * GELU (Hendrycks & Gimpel 2016) elementwise. Default exact: `x · Φ(x) = x/2 · erfc(-x/√2)`
 * (erfc, so the negative tail stays accurate); `{ approximate: 'tanh' }`:
 * `x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³)))`, as PyTorch's `approximate='tanh'`.
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @param opts - `approximate`: `'none'` (default) or `'tanh'`.
 * @returns A tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * import { gelu, tensor } from 'typegrad';
 * console.log(gelu(tensor([1])).item().toFixed(4)); // 0.8413
 * console.log(gelu(tensor([1]), { approximate: 'tanh' }).item().toFixed(4)); // 0.8412
 * ```
 */
export function gelu<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  opts: GeluOptions = {},
): Tensor<S, FloatOf<D>> {
  checkArg('gelu', x);
  const mode = opts.approximate === undefined ? 'none' : opts.approximate;
  const v = floatOf(x);
  if (mode === 'none')
    return lax.mul(lax.mul(c(v, 0.5), v), erfcOf(lax.mul(v, c(v, -Math.SQRT1_2)))) as never;
  if (mode !== 'tanh')
    throw new Error(`gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(mode)}`);
  const inner = lax.mul(
    c(v, Math.sqrt(2 / Math.PI)),
    lax.add(v, lax.mul(c(v, 0.044715), lax.mul(v, lax.mul(v, v)))),
  );
  return lax.mul(lax.mul(c(v, 0.5), v), lax.add(c(v, 1), lax.tanh(inner))) as never;
}

/**
 * Leaky ReLU elementwise: `x` for `x >= 0`, `slope · x` otherwise (slope 0.01 by default, as
 * PyTorch).
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @param opts - `slope` for negative inputs (default 0.01).
 * @returns A tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * import { leakyRelu, tensor } from 'typegrad';
 * console.log(leakyRelu(tensor([-2, 3]), { slope: 0.5 }).toArray()); // [-1, 3]
 * ```
 */
export function leakyRelu<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  opts?: { readonly slope?: number },
): Tensor<S, FloatOf<D>> {
  checkOptions('leakyRelu', opts, ['slope']);
  const slope = opts?.slope ?? 0.01;
  checkArg('leakyRelu', x);
  const v = floatOf(x);
  // x > 0 picks the branch, so leakyRelu'(0) = slope (PyTorch)
  return lax.select(lax.compare(v, c(v, 0), 'gt'), v, lax.mul(v, c(v, slope))) as never;
}

/**
 * ELU elementwise: `x` for `x > 0`, `alpha · (exp(x) - 1)` otherwise (alpha 1 by default; exp
 * of `min(x, 0)`, so no overflow).
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @param opts - `alpha`, the negative saturation value (default 1).
 * @returns A tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * import { elu, tensor } from 'typegrad';
 * const y = elu(tensor([-1, 2]), { alpha: 0.5 });
 * console.log(Array.from(y.dataSync(), (v) => +v.toFixed(4))); // [-0.3161, 2]
 * ```
 */
export function elu<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  opts?: { readonly alpha?: number },
): Tensor<S, FloatOf<D>> {
  checkOptions('elu', opts, ['alpha']);
  const alpha = opts?.alpha ?? 1;
  checkArg('elu', x);
  const v = floatOf(x);
  const positive = lax.compare(v, c(v, 0), 'gt');
  // exp of select(x > 0, 0, x) rather than min(x, 0): min's tie rule would halve elu'(0) = alpha
  const negPart = lax.mul(c(v, alpha), lax.sub(lax.exp(lax.select(positive, c(v, 0), v)), c(v, 1)));
  return lax.select(positive, v, negPart) as never;
}

/**
 * The options of `softmax` and `logSoftmax`.
 */
export interface AxisOption<A extends number> {
  /**
   * The axis to normalize over; negative counts from the end (default -1).
   */
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

/**
 * Softmax along `axis` (default -1), `exp(x) / sum(exp(x))`, stable for large inputs
 * (`softmax([1000, 0])` is `[1, 0]`). An axis out of range is a compile error.
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @param opts - `axis`, the axis normalized over (default -1, the last).
 * @returns A tensor of `x`'s shape whose slices along `axis` sum to 1.
 *
 * @example
 * ```ts
 * import { softmax, tensor } from 'typegrad';
 * console.log(softmax(tensor([[0, 0], [1000, 0]])).toArray()); // [[0.5, 0.5], [1, 0]]
 * ```
 */
export function softmax<S extends Shape, D extends DType, const A extends number = -1>(
  x: Tensor<S, D>,
  opts?: Checked<AxisOption<A>, ReduceCheck<'softmax', S, A>>,
): Tensor<S, FloatOf<D>> {
  checkArg('softmax', x);
  checkOptions('softmax', opts, ['axis']);
  checkAxisArg('softmax', (opts as AxisOption<A> | undefined)?.axis, x.ndim);
  const v = floatOf(x);
  const { axes, kept } = axisPlan(
    'softmax',
    v,
    ((opts as AxisOption<A> | undefined)?.axis as number | undefined) ?? -1,
  );
  const e = lax.exp(shifted(v, axes, kept));
  const s = lax.reduceSum(e, axes);
  return lax.div(e, lax.broadcastInDim(s, v.shape as readonly number[], kept)) as never;
}

/**
 * `log(softmax(x))` along `axis` (default -1), computed as `x - logsumexp(x)`, stable.
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @param opts - `axis`, the axis normalized over (default -1, the last).
 * @returns A tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * import { exp, logSoftmax, sum, tensor } from 'typegrad';
 * const y = logSoftmax(tensor([1, 2, 3]));
 * console.log(sum(exp(y)).item().toFixed(6)); // 1.000000
 * ```
 */
export function logSoftmax<S extends Shape, D extends DType, const A extends number = -1>(
  x: Tensor<S, D>,
  opts?: Checked<AxisOption<A>, ReduceCheck<'logSoftmax', S, A>>,
): Tensor<S, FloatOf<D>> {
  checkArg('logSoftmax', x);
  checkOptions('logSoftmax', opts, ['axis']);
  checkAxisArg('logSoftmax', (opts as AxisOption<A> | undefined)?.axis, x.ndim);
  const v = floatOf(x);
  const { axes, kept } = axisPlan(
    'logSoftmax',
    v,
    ((opts as AxisOption<A> | undefined)?.axis as number | undefined) ?? -1,
  );
  const z = shifted(v, axes, kept);
  const lse = lax.log(lax.reduceSum(lax.exp(z), axes));
  return lax.sub(z, lax.broadcastInDim(lse, v.shape as readonly number[], kept)) as never;
}
