import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Checked, Shape } from '../shapes/dim.ts';
import type { Axes, Reduce, ReduceCheck } from '../shapes/reduce.ts';
import { reduceShape } from '../shapes/reduce.ts';
import { stopGradient as stopGradientOf } from '../transforms/stop-gradient.ts';
import { checkArg, checkAxisArg } from './coerce.ts';
import { takeAlongAxis } from './shape.ts';
import type { FloatOf } from './types.ts';

/** `axis`: one axis, several, or all when absent; negative axes count from the end. */
export interface ReduceOptions<A extends number | readonly number[] | undefined, K extends boolean> {
  /** The axis or axes reduced over (default: all); negative axes count from the end. */
  readonly axis?: A;
  /** Keep reduced axes as dims of size 1 (default false), so the result broadcasts against the input. */
  readonly keepdims?: K;
}

type Reduced<S extends Shape, A extends Axes, K> = Reduce<S, A, K extends true ? true : false>;
type SumDType<D extends DType> = D extends 'bool' ? 'i32' : D;

interface Plan {
  readonly axes: readonly number[];
  readonly shape: readonly number[];
}

const REDUCE_KEYS = ['axis', 'keepdims'];
/** `max`/`min` also take `indices: true` (values and first-occurrence indices). */
const EXTREME_KEYS = [...REDUCE_KEYS, 'indices'];

function plan(
  op: string,
  x: Tensor,
  opts: ReduceOptions<number | readonly number[] | undefined, boolean> = {},
  keys: readonly string[] = REDUCE_KEYS,
): Plan {
  checkArg(op, x);
  checkOptions(op, opts, keys);
  checkAxisArg(op, opts.axis, x.ndim, true);
  const r = reduceShape(op, x.shape as readonly number[], opts.axis, opts.keepdims ?? false);
  return { axes: r.axes, shape: r.shape };
}

/** max/min of no elements has no value (numpy and JAX raise too). */
function checkNonEmpty(op: string, x: Tensor, p: Plan): void {
  if (p.axes.some((a) => x.shape[a] === 0))
    throw new Error(
      `${op}: reducing ${x.describe()} over an axis of size 0 has no identity; pass a non-empty tensor`,
    );
}

function finish(t: Tensor, p: Plan): Tensor {
  return lax.reshape(t, p.shape);
}

/**
 * The type of a reduction: `x` and optional {@link ReduceOptions}; an axis out of range is a
 * compile error on the options. The result's shape drops (or, with `keepdims`, keeps as 1)
 * the reduced axes.
 */
export type ReduceFn<Op extends string, Out extends 'same' | 'sum' | 'float'> = <
  S extends Shape,
  D extends DType,
  const A extends number | readonly number[] | undefined = undefined,
  K extends boolean = false,
>(
  x: Tensor<S, D>,
  opts?: Checked<ReduceOptions<A, K>, ReduceCheck<Op, S, A>>,
) => Tensor<Reduced<S, A, K>, Out extends 'same' ? D : Out extends 'sum' ? SumDType<D> : FloatOf<D>>;

/**
 * Sum over `axis` (default: all elements). Bools sum as i32 (a count).
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis` (one or several; default all) and `keepdims`.
 * @returns The sums: the reduced axes dropped (kept as 1 with `keepdims`); bool gives i32.
 *
 * @example
 * ```ts
 * import { sum, tensor } from 'typegrad';
 * const x = tensor([[1, 2], [3, 4]]);
 * console.log(sum(x).item()); // 10
 * console.log(sum(x, { axis: 0 }).toArray()); // [4, 6]
 * console.log(sum(x, { axis: 1, keepdims: true }).toArray()); // [[3], [7]]
 * ```
 * @function
 */
export const sum: ReduceFn<'sum', 'sum'> = ((x: Tensor, opts?: ReduceOptions<number | number[], boolean>) => {
  const p = plan('sum', x, opts);
  const v = x.dtype === 'bool' ? lax.cast(x, 'i32') : x;
  return finish(lax.reduceSum(v, p.axes), p);
}) as never;

/**
 * Arithmetic mean over `axis` (default: all elements); integer and bool inputs give f32.
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis` (one or several; default all) and `keepdims`.
 * @returns The means, the reduced axes dropped (kept as 1 with `keepdims`).
 *
 * @example
 * ```ts
 * import { mean, tensor } from 'typegrad';
 * console.log(mean(tensor([[1, 2], [3, 4]]), { axis: 1 }).toArray()); // [1.5, 3.5]
 * ```
 * @function
 */
export const mean: ReduceFn<'mean', 'float'> = ((
  x: Tensor,
  opts?: ReduceOptions<number | number[], boolean>,
) => {
  const p = plan('mean', x, opts);
  const v = isFloat(x.dtype) ? x : lax.cast(x, 'f32');
  const count = p.axes.reduce((n, a) => n * (x.shape[a] as number), 1);
  const s = lax.reduceSum(v, p.axes);
  return finish(lax.div(s, lax.fullLike(s.aval, count)), p);
}) as never;

/**
 * `max`/`min` options with `indices: true`: one axis, as PyTorch's `torch.max(x, dim)`.
 */
export interface IndexedReduceOptions<A extends number, K extends boolean> {
  /** The one axis reduced over; negative counts from the end. */
  readonly axis: A;
  /** Keep the reduced axis as a dim of size 1 (default false). */
  readonly keepdims?: K;
  /** Also return the index of the first extreme along `axis`. */
  readonly indices: true;
}

/** The result of `max`/`min` with `indices: true` (PyTorch's `torch.return_types.max`). */
export interface ValuesAndIndices<S, D extends DType> {
  /**
   * The extremes along the axis.
   */
  readonly values: Tensor<S, D>;
  /** i32 index of the first occurrence of the extreme along the axis */
  readonly indices: Tensor<S, 'i32'>;
}

/**
 * The options of `max`/`min`: a reduction's `axis` and `keepdims`, or with `indices: true` (I
 * true) one axis, as {@link IndexedReduceOptions}.
 */
export type ExtremeOptions<
  A extends number | readonly number[] | undefined,
  K extends boolean,
  I extends boolean,
> = I extends true
  ? IndexedReduceOptions<A & number, K> & {
      /** Also return the index of the first extreme along `axis`. */
      readonly indices: I;
    }
  : ReduceOptions<A, K> & {
      /** `false` (the default): the values alone. */
      readonly indices?: I;
    };

/**
 * A max/min reduction. Without `indices`, the gradient is shared evenly among ties (JAX's
 * rule); with `{ axis, indices: true }` it returns `{ values, indices }` (first occurrence)
 * and the gradient goes to the returned index only (PyTorch). One signature, not an overload
 * per form, so that an axis out of range prints only its message (not "No overload matches").
 */
export type ExtremeFn<Op extends string> = <
  S extends Shape,
  D extends DType,
  const A extends number | readonly number[] | undefined = undefined,
  K extends boolean = false,
  I extends boolean = false,
>(
  x: Tensor<S, D>,
  opts?: Checked<ExtremeOptions<A, K, I>, ReduceCheck<Op, S, A>>,
) => I extends true ? ValuesAndIndices<Reduced<S, A, K>, D> : Tensor<Reduced<S, A, K>, D>;

type AnyReduceOptions = ReduceOptions<number | number[], boolean> & { readonly indices?: boolean };

function extreme(
  op: 'max' | 'min',
  plain: (x: Tensor, axes: readonly number[]) => Tensor,
): ExtremeFn<typeof op> {
  return ((x: Tensor, opts?: AnyReduceOptions) => {
    if (opts?.indices === undefined || opts.indices === false) {
      const p = plan(op, x, opts, EXTREME_KEYS);
      checkNonEmpty(op, x, p);
      return finish(plain(x, p.axes), p);
    }
    if (opts.indices !== true)
      throw new Error(`${op}: indices must be true or false, got ${String(opts.indices)}`);
    if (typeof opts.axis !== 'number')
      throw new Error(`${op}: indices: true needs one axis (a number), got ${JSON.stringify(opts.axis)}`);
    const p = plan(op, x, opts, EXTREME_KEYS);
    checkNonEmpty(op, x, p);
    const keep = plan(op, x, { axis: opts.axis, keepdims: true });
    const axis = p.axes[0]!;
    const idx = argReduce(op === 'max' ? 'argmax' : 'argmin', x, { axis, keepdims: true }, op === 'min');
    // values gathered at the index, so the gradient flows to that element alone
    const values = takeAlongAxis(x as Tensor<Shape>, idx as Tensor<Shape, 'i32'>, axis as never) as Tensor;
    return {
      values: lax.reshape(values, p.shape),
      indices: lax.reshape(idx, opts.keepdims ? keep.shape : p.shape),
    };
  }) as never;
}

/**
 * Maximum over `axis` (default: all elements). Without `indices`, the gradient is shared evenly
 * among ties (JAX's rule); `{ axis, indices: true }` returns `{ values, indices }` (first
 * occurrence) and the gradient goes to that index only (PyTorch's `torch.max(x, dim)`).
 * Reducing an axis of size 0 is an error.
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis`, `keepdims`, and `indices: true` (needs one axis).
 * @returns The maxima (the reduced axes dropped unless `keepdims`), or `{ values, indices }`.
 *
 * @example
 * ```ts
 * import { max, tensor } from 'typegrad';
 * const x = tensor([[1, 5], [7, 2]]);
 * console.log(max(x).item()); // 7
 * console.log(max(x, { axis: 1 }).toArray()); // [5, 7]
 * const { values, indices } = max(x, { axis: 0, indices: true });
 * console.log(values.toArray(), indices.toArray()); // [7, 5] [1, 0]
 * ```
 * @function
 */
export const max: ExtremeFn<'max'> = extreme('max', (x, axes) => lax.reduceMax(x, axes));

/**
 * Minimum over `axis` (default: all elements); `{ axis, indices: true }` also returns the
 * first index. The gradient rules are `max`'s.
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis`, `keepdims`, and `indices: true` (needs one axis).
 * @returns The minima (the reduced axes dropped unless `keepdims`), or `{ values, indices }`.
 *
 * @example
 * ```ts
 * import { min, tensor } from 'typegrad';
 * const x = tensor([[1, 5], [7, 2]]);
 * console.log(min(x, { axis: 1 }).toArray()); // [1, 2]
 * console.log(min(x, { axis: 1, indices: true }).indices.toArray()); // [0, 1]
 * ```
 * @function
 */
export const min: ExtremeFn<'min'> = extreme('min', (x, axes) => {
  // min = flip(max(flip(x))) with an order-reversing flip; bools go through i32 and come back.
  const v = x.dtype === 'bool' ? lax.cast(x, 'i32') : x;
  const m = flipOrder(lax.reduceMax(flipOrder(v), axes));
  return x.dtype === 'bool' ? lax.cast(m, 'bool') : m;
});

/**
 * Options of `variance` and `std`. `correction` is subtracted from the element count in the
 * divisor: 0 (the DEFAULT, numpy's and JAX's `ddof=0`) gives the population variance, 1 gives
 * Bessel's unbiased estimate. NOTE: PyTorch's `torch.var`/`torch.std` default to 1.
 */
export interface VarianceOptions<A extends number | readonly number[] | undefined, K extends boolean>
  extends ReduceOptions<A, K> {
  /** subtracted from the count N in the divisor N - correction; default 0 (PyTorch: 1) */
  readonly correction?: number;
}

/**
 * The type of `variance` and `std`: a reduction with {@link VarianceOptions}; float results.
 */
export type VarianceFn<Op extends string> = <
  S extends Shape,
  D extends DType,
  const A extends number | readonly number[] | undefined = undefined,
  K extends boolean = false,
>(
  x: Tensor<S, D>,
  opts?: Checked<VarianceOptions<A, K>, ReduceCheck<Op, S, A>>,
) => Tensor<Reduced<S, A, K>, FloatOf<D>>;

function varianceOf(op: string, x: Tensor, opts: VarianceOptions<number | number[], boolean> = {}): Tensor {
  const p = plan(op, x, opts, [...REDUCE_KEYS, 'correction']);
  const correction = opts.correction ?? 0;
  const count = p.axes.reduce((n, a) => n * (x.shape[a] as number), 1);
  if (!Number.isFinite(correction) || correction < 0)
    throw new Error(`${op}: correction must be a finite number >= 0, got ${correction}`);
  if (count - correction <= 0)
    throw new Error(`${op}: correction ${correction} leaves no degrees of freedom for ${count} elements`);
  const v = isFloat(x.dtype) ? x : lax.cast(x, 'f32');
  const kept = v.shape.map((_, i) => i).filter((i) => !p.axes.includes(i));
  const m = lax.div(
    lax.reduceSum(v, p.axes),
    lax.fullLike({ shape: kept.map((i) => v.shape[i]!), dtype: v.dtype }, count),
  );
  const d = lax.sub(v, lax.broadcastInDim(m, v.shape as readonly number[], kept));
  const s = lax.reduceSum(lax.mul(d, d), p.axes);
  return finish(lax.div(s, lax.fullLike(s.aval, count - correction)), p);
}

/**
 * Variance over `axis` (default: all elements) with divisor `N - correction`. DEFAULT
 * correction 0 (population, numpy's and JAX's default); PyTorch's `torch.var` defaults to 1
 * (unbiased): pass `{ correction: 1 }`.
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis`, `keepdims` and `correction` (default 0).
 * @returns The variances, the reduced axes dropped (kept as 1 with `keepdims`).
 *
 * @example
 * ```ts
 * import { tensor, variance } from 'typegrad';
 * const x = tensor([1, 2, 3, 4]);
 * console.log(variance(x).item()); // 1.25
 * console.log(variance(x, { correction: 1 }).item().toFixed(4)); // 1.6667
 * ```
 * @function
 */
export const variance: VarianceFn<'variance'> = ((
  x: Tensor,
  opts?: VarianceOptions<number | number[], boolean>,
) => varianceOf('variance', x, opts)) as never;

/**
 * Standard deviation `sqrt(variance)` over `axis`. DEFAULT correction 0 (population);
 * PyTorch's `torch.std` defaults to 1: pass `{ correction: 1 }` for its value.
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis`, `keepdims` and `correction` (default 0).
 * @returns The standard deviations, the reduced axes dropped (kept as 1 with `keepdims`).
 *
 * @example
 * ```ts
 * import { std, tensor } from 'typegrad';
 * console.log(std(tensor([1, 3])).item()); // 1
 * console.log(std(tensor([1, 2, 3, 4]), { correction: 1 }).item().toFixed(4)); // 1.2910
 * ```
 * @function
 */
export const std: VarianceFn<'std'> = ((x: Tensor, opts?: VarianceOptions<number | number[], boolean>) =>
  lax.sqrt(varianceOf('std', x, opts))) as never;

/**
 * `log(sum(exp(x)))` over `axis` (default: all), computed stably by shifting by the max (finite
 * for large inputs).
 *
 * @param x - A tensor of any shape; integer and bool inputs give f32.
 * @param opts - `axis` (one or several; default all) and `keepdims`.
 * @returns The log-sum-exps, the reduced axes dropped (kept as 1 with `keepdims`).
 *
 * @example
 * ```ts
 * import { logsumexp, tensor } from 'typegrad';
 * // log(e^1000 + e^1000) = 1000 + log 2, though e^1000 overflows
 * console.log((logsumexp(tensor([1000, 1000])).item() - 1000).toFixed(3)); // 0.693
 * ```
 * @function
 */
export const logsumexp: ReduceFn<'logsumexp', 'float'> = ((
  x: Tensor,
  opts?: ReduceOptions<number | number[], boolean>,
) => {
  const p = plan('logsumexp', x, opts);
  const v = isFloat(x.dtype) ? x : lax.cast(x, 'f32');
  const kept = v.shape.map((_, i) => i).filter((i) => !p.axes.includes(i));
  // Shift by the max (a constant for differentiation); an infinite or NaN max shifts by 0.
  const m = stopGradientOf(lax.reduceMax(v, p.axes));
  const finite = lax.compare(lax.sub(m, m), lax.fullLike(m.aval, 0), 'eq');
  const safeM = lax.select(finite, m, lax.fullLike(m.aval, 0));
  const shifted = lax.sub(v, lax.broadcastInDim(safeM, v.shape as readonly number[], kept));
  const out = lax.add(lax.log(lax.reduceSum(lax.exp(shifted), p.axes)), safeM);
  return finish(out, p);
}) as never;

/**
 * The options of `argmax` and `argmin`.
 */
export interface ArgOptions<K extends boolean> {
  /** The axis searched (default: the flattened tensor); negative counts from the end. */
  readonly axis?: number;
  /** Keep the searched axis as a dim of size 1 (default false). */
  readonly keepdims?: K;
}

/**
 * Index of the first maximum along `axis`; over the flattened tensor when no axis is given.
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis` (default: the flattened tensor) and `keepdims`.
 * @returns An i32 tensor of indices, `axis` dropped (kept as 1 with `keepdims`).
 *
 * @example
 * ```ts
 * import { argmax, tensor } from 'typegrad';
 * const x = tensor([[1, 9, 3], [7, 2, 7]]);
 * console.log(argmax(x).item()); // 1
 * console.log(argmax(x, { axis: 1 }).toArray()); // [1, 0]
 * ```
 */
export function argmax<
  S extends Shape,
  const A extends number | undefined = undefined,
  K extends boolean = false,
>(
  x: Tensor<S, DType>,
  opts?: Checked<ArgOptions<K> & { readonly axis?: A }, ReduceCheck<'argmax', S, A>>,
): Tensor<Reduced<S, A, K>, 'i32'> {
  return argReduce('argmax', x, (opts as ArgOptions<K> | undefined) ?? {}, false) as never;
}

/**
 * Index of the first minimum along `axis`; over the flattened tensor when no axis is given.
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis` (default: the flattened tensor) and `keepdims`.
 * @returns An i32 tensor of indices, `axis` dropped (kept as 1 with `keepdims`).
 *
 * @example
 * ```ts
 * import { argmin, tensor } from 'typegrad';
 * console.log(argmin(tensor([[4, 1], [0, 0]]), { axis: 1 }).toArray()); // [1, 0]
 * ```
 */
export function argmin<
  S extends Shape,
  const A extends number | undefined = undefined,
  K extends boolean = false,
>(
  x: Tensor<S, DType>,
  opts?: Checked<ArgOptions<K> & { readonly axis?: A }, ReduceCheck<'argmin', S, A>>,
): Tensor<Reduced<S, A, K>, 'i32'> {
  return argReduce('argmin', x, (opts as ArgOptions<K> | undefined) ?? {}, true) as never;
}

/**
 * An order-reversing bijection: -x for floats, -1 - x for i32 (which, unlike -x, does not
 * overflow at -2^31), so min(x) = flip(max(flip(x))) and argmin(x) = argmax(flip(x)).
 */
function flipOrder(x: Tensor): Tensor {
  return isFloat(x.dtype) ? lax.neg(x) : lax.sub(lax.fullLike(x.aval, -1), x);
}

function argReduce(op: string, x: Tensor, opts: ArgOptions<boolean>, negate: boolean): Tensor {
  checkArg(op, x);
  checkOptions(op, opts, REDUCE_KEYS);
  checkAxisArg(op, opts.axis, x.ndim);
  const v = negate ? flipOrder(x.dtype === 'bool' ? lax.cast(x, 'i32') : x) : x;
  if (opts.axis === undefined) {
    const flat = lax.reshape(v, [x.size]);
    const idx = lax.argmax(flat, 0);
    return opts.keepdims
      ? lax.reshape(
          idx,
          x.shape.map(() => 1),
        )
      : idx;
  }
  const p = plan(op, x, { axis: opts.axis, keepdims: opts.keepdims ?? false });
  return lax.reshape(lax.argmax(v, p.axes[0]!), p.shape);
}
