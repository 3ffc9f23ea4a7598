import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Guard, Shape } from '../shapes/dim.ts';
import type { Axes, Reduce, ReduceCheck } from '../shapes/reduce.ts';
import { reduceShape } from '../shapes/reduce.ts';
import { stopGradient as stopGradientOf } from '../transforms/stop-gradient.ts';
import type { FloatOf } from './types.ts';

/** `axis`: one axis, several, or all when absent; negative axes count from the end. */
export interface ReduceOptions<A extends number | readonly number[] | undefined, K extends boolean> {
  readonly axis?: A;
  readonly keepdims?: K;
}

type Reduced<S extends Shape, A extends Axes, K> = Reduce<S, A, K extends true ? true : false>;
type SumDType<D extends DType> = D extends 'bool' ? 'i32' : D;

interface Plan {
  readonly axes: readonly number[];
  readonly shape: readonly number[];
}

const REDUCE_KEYS = ['axis', 'keepdims'];

function plan(
  op: string,
  x: Tensor,
  opts: ReduceOptions<number | readonly number[] | undefined, boolean> = {},
): Plan {
  checkOptions(op, opts, REDUCE_KEYS);
  const r = reduceShape(op, x.shape as readonly number[], opts.axis, opts.keepdims ?? false);
  return { axes: r.axes, shape: r.shape };
}

function finish(t: Tensor, p: Plan): Tensor {
  return lax.reshape(t, p.shape);
}

export type ReduceFn<Op extends string, Out extends 'same' | 'sum' | 'float'> = <
  S extends Shape,
  D extends DType,
  const A extends number | readonly number[] | undefined = undefined,
  K extends boolean = false,
>(
  x: Tensor<S, D>,
  opts?: ReduceOptions<A, K> & Guard<ReduceCheck<Op, S, A>>,
) => Tensor<Reduced<S, A, K>, Out extends 'same' ? D : Out extends 'sum' ? SumDType<D> : FloatOf<D>>;

export const sum: ReduceFn<'sum', 'sum'> = ((x: Tensor, opts?: ReduceOptions<number | number[], boolean>) => {
  const p = plan('sum', x, opts);
  const v = x.dtype === 'bool' ? lax.cast(x, 'i32') : x;
  return finish(lax.reduceSum(v, p.axes), p);
}) as never;

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

export const max: ReduceFn<'max', 'same'> = ((
  x: Tensor,
  opts?: ReduceOptions<number | number[], boolean>,
) => {
  const p = plan('max', x, opts);
  return finish(lax.reduceMax(x, p.axes), p);
}) as never;

export const min: ReduceFn<'min', 'same'> = ((
  x: Tensor,
  opts?: ReduceOptions<number | number[], boolean>,
) => {
  const p = plan('min', x, opts);
  // min = flip(max(flip(x))) with an order-reversing flip; bools go through i32 and come back.
  const v = x.dtype === 'bool' ? lax.cast(x, 'i32') : x;
  const m = flipOrder(lax.reduceMax(flipOrder(v), p.axes));
  return finish(x.dtype === 'bool' ? lax.cast(m, 'bool') : m, p);
}) as never;

/** Population variance (ddof = 0, as numpy's default). */
export const variance: ReduceFn<'variance', 'float'> = ((
  x: Tensor,
  opts?: ReduceOptions<number | number[], boolean>,
) => {
  const p = plan('variance', x, opts);
  const v = isFloat(x.dtype) ? x : lax.cast(x, 'f32');
  const keep = plan('variance', x, { ...opts, keepdims: true });
  const m = lax.reshape(
    mean(v as Tensor<Shape, 'f32'>, { axis: p.axes, keepdims: true } as never),
    keep.shape,
  );
  const d = lax.sub(
    v,
    lax.broadcastInDim(
      m,
      v.shape as readonly number[],
      m.shape.map((_, i) => i),
    ),
  );
  const count = p.axes.reduce((n, a) => n * (x.shape[a] as number), 1);
  const s = lax.reduceSum(lax.mul(d, d), p.axes);
  return finish(lax.div(s, lax.fullLike(s.aval, count)), p);
}) as never;

/** log(sum(exp(x))), computed stably by shifting by the max (finite for large inputs). */
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

export interface ArgOptions<K extends boolean> {
  readonly axis?: number;
  readonly keepdims?: K;
}

/** Index of the first maximum; over the flattened tensor when no axis is given. */
export function argmax<
  S extends Shape,
  const A extends number | undefined = undefined,
  K extends boolean = false,
>(
  x: Tensor<S, DType>,
  opts?: ArgOptions<K> & { readonly axis?: A } & Guard<ReduceCheck<'argmax', S, A>>,
): Tensor<Reduced<S, A, K>, 'i32'> {
  return argReduce('argmax', x, opts ?? {}, false) as never;
}

export function argmin<
  S extends Shape,
  const A extends number | undefined = undefined,
  K extends boolean = false,
>(
  x: Tensor<S, DType>,
  opts?: ArgOptions<K> & { readonly axis?: A } & Guard<ReduceCheck<'argmin', S, A>>,
): Tensor<Reduced<S, A, K>, 'i32'> {
  return argReduce('argmin', x, opts ?? {}, true) as never;
}

/**
 * An order-reversing bijection: -x for floats, -1 - x for i32 (which, unlike -x, does not
 * overflow at -2^31), so min(x) = flip(max(flip(x))) and argmin(x) = argmax(flip(x)).
 */
function flipOrder(x: Tensor): Tensor {
  return isFloat(x.dtype) ? lax.neg(x) : lax.sub(lax.fullLike(x.aval, -1), x);
}

function argReduce(op: string, x: Tensor, opts: ArgOptions<boolean>, negate: boolean): Tensor {
  checkOptions(op, opts, REDUCE_KEYS);
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
