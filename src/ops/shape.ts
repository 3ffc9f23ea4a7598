import { currentBackend } from '../core/backend-registry.ts';
import type { DType } from '../core/dtype.ts';
import { promote } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import { checkAllocation, checkDims } from '../core/limits.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { BroadcastTo, BroadcastToCheck } from '../shapes/broadcast.ts';
import { broadcastToShape } from '../shapes/broadcast.ts';
import type { Concat, ConcatCheck, JoinDimsCheck, Stack, StackCheck } from '../shapes/concat.ts';
import { concatShape, stackShape } from '../shapes/concat.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';
import type { ExpandDims, ExpandDimsCheck } from '../shapes/expand.ts';
import { expandDimsShape } from '../shapes/expand.ts';
import type { Flatten, FlattenCheck } from '../shapes/flatten.ts';
import { flattenShape } from '../shapes/flatten.ts';
import type { OneHot, OneHotCheck } from '../shapes/onehot.ts';
import { oneHotShape } from '../shapes/onehot.ts';
import type { Pad, PadCheck, PadWidths } from '../shapes/pad.ts';
import { padShape } from '../shapes/pad.ts';
import type { Axes } from '../shapes/reduce.ts';
import type { Reshape, ReshapeCheck } from '../shapes/reshape.ts';
import { reshapeShape } from '../shapes/reshape.ts';
import type { Slice, SliceCheck, SliceSpecs } from '../shapes/slice.ts';
import type { Squeeze, SqueezeCheck } from '../shapes/squeeze.ts';
import { squeezeShape } from '../shapes/squeeze.ts';
import type { Take, TakeAlongAxis, TakeAlongAxisCheck, TakeCheck } from '../shapes/take.ts';
import { takeAlongAxisShape, takeShape } from '../shapes/take.ts';
import type { Transpose, TransposeCheck } from '../shapes/transpose.ts';
import { transposeShape } from '../shapes/transpose.ts';
import { broadcastTo as broadcastRaw, checkArg, checkAxisArg, normalizeAxis, range } from './coerce.ts';

type Dims = readonly number[];
const dims = (t: Tensor): Dims => t.shape as Dims;

/**
 * Reshape to `shape`; one dim may be -1 (inferred). The element counts must agree: a mismatch
 * of literal shapes is a compile error, at run time a `ShapeError`.
 *
 * @param x - A tensor of any shape.
 * @param shape - The new shape: numbers, at most one -1.
 * @returns The same values in row-major order, of shape `shape` (-1 resolved).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { type Tensor, reshape, tensor } from 'typegrad';
 * const y: Tensor<[3, 2]> = reshape(tensor([1, 2, 3, 4, 5, 6]), [3, -1]);
 * assert.deepEqual(y.toArray(), [[1, 2], [3, 4], [5, 6]]);
 * ```
 */
export function reshape<S extends Shape, D extends DType, const T extends readonly Dim[]>(
  x: Tensor<S, D>,
  shape: Checked<T, ReshapeCheck<S, T>>,
): Tensor<Reshape<S, T>, D> {
  const target = (shape as readonly Dim[]).map((d) => (typeof d === 'number' ? d : Number.NaN));
  if (target.some(Number.isNaN))
    throw new Error('reshape: a run-time target shape must be numbers (named dims exist only in types)');
  return lax.reshape(x, reshapeShape(dims(x), target)) as never;
}

/**
 * Permutes axes by `perm` (reverses them when no permutation is given).
 *
 * @param x - A tensor of any shape.
 * @param opts - `perm`: a permutation of `0..ndim-1`; result axis i is input axis `perm[i]`.
 * @returns A tensor of the permuted shape.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, transpose, zeros } from 'typegrad';
 * assert.deepEqual(transpose(tensor([[1, 2, 3]])).toArray(), [[1], [2], [3]]);
 * assert.deepEqual(transpose(zeros([2, 3, 4]), { perm: [0, 2, 1] }).shape, [2, 4, 3]);
 * ```
 */
export function transpose<
  S extends Shape,
  D extends DType,
  const P extends readonly number[] | undefined = undefined,
>(
  x: Tensor<S, D>,
  opts?: Checked<{ readonly perm?: P }, TransposeCheck<S, P>>,
): Tensor<Transpose<S, NoInfer<P>>, D> {
  checkOptions('transpose', opts, ['perm']);
  const perm = (opts as { readonly perm?: P } | undefined)?.perm;
  transposeShape(dims(x), perm as readonly number[] | undefined);
  const p = (perm as readonly number[] | undefined) ?? range(x.ndim).reverse();
  return lax.transpose(
    x,
    p.map((a) => normalizeAxis('transpose', a, x.ndim)),
  ) as never;
}

/**
 * Which axes `flatten` merges: `startAxis..endAxis` inclusive (default all, 0..-1).
 */
export interface FlattenOptions<A extends number, B extends number> {
  /**
   * The first axis merged (default 0); negative counts from the end.
   */
  readonly startAxis?: A;
  /**
   * The last axis merged, inclusive (default -1).
   */
  readonly endAxis?: B;
}

/**
 * Merges axes `startAxis..endAxis` (inclusive) into one.
 *
 * @param x - A tensor of any shape.
 * @param opts - `startAxis` (default 0) and `endAxis` (default -1).
 * @returns A tensor whose merged dim is the product of the merged dims.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { flatten, tensor, zeros } from 'typegrad';
 * assert.deepEqual(flatten(zeros([32, 16, 5, 5]), { startAxis: 1 }).shape, [32, 400]);
 * assert.deepEqual(flatten(tensor([[1, 2], [3, 4]])).toArray(), [1, 2, 3, 4]);
 * ```
 */
export function flatten<
  S extends Shape,
  D extends DType,
  const A extends number = 0,
  const B extends number = -1,
>(
  x: Tensor<S, D>,
  opts?: Checked<FlattenOptions<A, B>, FlattenCheck<S, A, B>>,
): Tensor<Flatten<S, NoInfer<A>, NoInfer<B>>, D> {
  checkOptions('flatten', opts, ['startAxis', 'endAxis']);
  const o = opts as FlattenOptions<A, B> | undefined;
  return lax.reshape(x, flattenShape(dims(x), o?.startAxis ?? 0, o?.endAxis ?? -1)) as never;
}

/**
 * Inserts a dim of size 1 at `axis` (negative counts from the end of the result).
 *
 * @param x - A tensor of any shape.
 * @param axis - Where the new dim goes, in `-(ndim+1)..ndim`.
 * @returns A tensor of rank `ndim + 1`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { expandDims, zeros } from 'typegrad';
 * assert.deepEqual(expandDims(zeros([3, 4]), 0).shape, [1, 3, 4]);
 * assert.deepEqual(expandDims(zeros([3, 4]), -1).shape, [3, 4, 1]);
 * ```
 */
export function expandDims<S extends Shape, D extends DType, const A extends number>(
  x: Tensor<S, D>,
  axis: Checked<A, ExpandDimsCheck<S, A>>,
): Tensor<ExpandDims<S, A>, D> {
  checkArg('expandDims', x, 'x');
  checkAxisArg('expandDims', axis, x.ndim + 1);
  return lax.reshape(x, expandDimsShape(dims(x), axis as number)) as never;
}

/**
 * Removes dims of size 1: those at `axis` (one or several), or all of them. Squeezing a dim
 * that is not 1 is a compile error (literal shapes) or a `ShapeError`.
 *
 * @param x - A tensor of any shape.
 * @param opts - `axis`: the axis or axes to remove (default: every dim of size 1).
 * @returns A tensor with those dims removed.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { squeeze, zeros } from 'typegrad';
 * assert.deepEqual(squeeze(zeros([1, 3, 1]), { axis: 0 }).shape, [3, 1]);
 * assert.deepEqual(squeeze(zeros([1, 3, 1])).shape, [3]);
 * ```
 */
export function squeeze<S extends Shape, D extends DType, const A extends Axes = undefined>(
  x: Tensor<S, D>,
  opts?: Checked<{ readonly axis?: A }, SqueezeCheck<S, A>>,
): Tensor<Squeeze<S, NoInfer<A>>, D> {
  checkArg('squeeze', x, 'x');
  checkOptions('squeeze', opts, ['axis']);
  const axis = (opts as { readonly axis?: A } | undefined)?.axis as number | readonly number[] | undefined;
  checkAxisArg('squeeze', axis, x.ndim, true);
  return lax.reshape(x, squeezeShape(dims(x), axis)) as never;
}

/**
 * Broadcasts to exactly `shape` by numpy's rules (a 1 stretches; leading dims may be added).
 *
 * @param x - A tensor whose shape broadcasts to `shape`.
 * @param shape - The target shape.
 * @returns A tensor of shape `shape` (the gradient sums over the stretched dims).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { broadcastTo, tensor } from 'typegrad';
 * assert.deepEqual(broadcastTo(tensor([1, 2]), [2, 2]).toArray(), [[1, 2], [1, 2]]);
 * ```
 */
export function broadcastTo<S extends Shape, D extends DType, const T extends readonly number[]>(
  x: Tensor<S, D>,
  shape: Checked<T, BroadcastToCheck<S, T>>,
): Tensor<BroadcastTo<S, T>, D> {
  checkArg('broadcastTo', x, 'x');
  checkDims('broadcastTo', shape as readonly number[]);
  checkAllocation('broadcastTo', currentBackend(), { shape: shape as readonly number[], dtype: x.dtype });
  return broadcastRaw(x, broadcastToShape(dims(x), shape as readonly number[])) as never;
}

/** concat/stack: a non-empty array of tensors. */
function checkList(op: string, list: unknown): void {
  if (!Array.isArray(list)) throw new Error(`${op}: needs an array of tensors, got ${String(list)}`);
  if (list.length === 0) throw new ShapeError(`${op}: no tensors to join`);
  list.forEach((t, i) => {
    checkArg(op, t, `tensor ${i}`);
  });
}

/** The shapes of a tuple of tensors: `Shapes<[Tensor<[2, 3]>, Tensor<[4, 3]>]>` is `[[2, 3], [4, 3]]`. */
export type Shapes<Ts extends readonly Tensor[]> = {
  [K in keyof Ts]: Ts[K] extends Tensor<infer S, DType> ? S : never;
};
// Read from `dtype`, not `Tensor<Shape, infer D>`: a shape with a generic dim must not defer this.
/** The dtype of a list of tensors (that of `concat` and `stack`): the union of their dtypes. */
export type DTypeOfAll<Ts extends readonly Tensor[]> = Ts[number] extends {
  /** The dtype of the tensors. */
  readonly dtype: infer D extends DType;
}
  ? D
  : never;

/**
 * The axis `concat` and `stack` join along (default 0).
 */
export interface AxisOptions<A extends number> {
  /** The axis (default 0); negative counts from the end. */
  readonly axis?: A;
}

/**
 * Joins tensors along an existing axis (default 0); dtypes promote to the common one. The
 * other dims must agree (a compile error for literal shapes).
 *
 * @param xs - A non-empty array of tensors of one rank.
 * @param opts - `axis`: the axis joined along (default 0; negative counts from the end).
 * @returns A tensor whose `axis` dim is the sum of the inputs'.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { concat, tensor, zeros } from 'typegrad';
 * assert.deepEqual(concat([tensor([1, 2]), tensor([3])]).toArray(), [1, 2, 3]);
 * assert.deepEqual(concat([zeros([2, 3]), zeros([2, 5])], { axis: 1 }).shape, [2, 8]);
 * ```
 */
export function concat<const Ts extends readonly Tensor[], const A extends number = 0>(
  xs: Checked<Ts, JoinDimsCheck<'concat', Shapes<Ts>, A>, ConcatCheck<'concat', Shapes<Ts>, A>>,
  opts?: AxisOptions<A>,
): Tensor<Concat<Shapes<Ts>, NoInfer<A>>, DTypeOfAll<Ts>> {
  checkOptions('concat', opts, ['axis']);
  const axis = opts?.axis;
  const list = xs as readonly Tensor[];
  checkList('concat', list);
  checkAxisArg('concat', axis, list[0]?.ndim ?? 1);
  const out = concatShape('concat', list.map(dims), axis ?? 0);
  const ax = normalizeAxis('concat', axis ?? 0, out.length);
  // Promote to the common dtype (numpy), rather than casting to the first tensor's dtype.
  const dt = list.map((t) => t.dtype).reduce(promote);
  return lax.concatenate(
    list.map((t) => lax.cast(t, dt)),
    ax,
  ) as never;
}

/**
 * Joins tensors of one shape along a new axis (default 0).
 *
 * @param xs - A non-empty array of tensors of one shape.
 * @param opts - `axis`: where the new axis goes (default 0).
 * @returns A tensor of rank one more, the new dim the number of tensors.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { stack, tensor } from 'typegrad';
 * assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])]).toArray(), [[1, 2], [3, 4]]);
 * assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])], { axis: 1 }).toArray(), [[1, 3], [2, 4]]);
 * ```
 */
export function stack<const Ts extends readonly Tensor[], const A extends number = 0>(
  xs: Checked<Ts, JoinDimsCheck<'stack', Shapes<Ts>, A>, StackCheck<Shapes<Ts>, A>>,
  opts?: AxisOptions<A>,
): Tensor<Stack<Shapes<Ts>, NoInfer<A>>, DTypeOfAll<Ts>> {
  checkOptions('stack', opts, ['axis']);
  const axis = opts?.axis;
  const list = xs as readonly Tensor[];
  checkList('stack', list);
  checkAxisArg('stack', axis, (list[0]?.ndim ?? 0) + 1);
  const out = stackShape(list.map(dims), axis ?? 0);
  const ax = normalizeAxis('stack', axis ?? 0, out.length);
  const dt = list.map((t) => t.dtype).reduce(promote);
  const expanded = list.map((t) =>
    lax.reshape(
      lax.cast(t, dt),
      out.map((d, i) => (i === ax ? 1 : d)),
    ),
  );
  return lax.concatenate(expanded, ax) as never;
}

/** One [start, stop, step] per axis (python slice semantics: negatives count from the end, clamped). */
type Bound = number | undefined;
/**
 * What `slice` takes, one entry per leading axis: `[start, stop, step]` (python slice
 * semantics: negatives count from the end, bounds clamp; any may be omitted), an integer (keeps
 * that index and removes the axis), or `null`/`undefined` (the whole axis).
 */
export type SliceSpec = readonly (readonly [Bound?, Bound?, Bound?] | number | null | undefined)[];

/** The tuple form of a spec entry as the object form the shape rule reads (an integer is an index). */
type AsRuleSpec<E> = E extends null | undefined
  ? null
  : E extends number
    ? { index: E }
    : E extends readonly [infer A, infer B, infer C]
      ? { start: A & Bound; stop: B & Bound; step: C & Bound }
      : E extends readonly [infer A, infer B]
        ? { start: A & Bound; stop: B & Bound }
        : E extends readonly [infer A]
          ? { start: A & Bound }
          : null;
type AsRuleSpecs<P extends SliceSpec> = { -readonly [K in keyof P]: AsRuleSpec<P[K]> };
type SliceResult<S extends Shape, P extends SliceSpec> =
  AsRuleSpecs<P> extends infer Q extends SliceSpecs ? Slice<S, Q> : number[];
type SliceGuard<S extends Shape, P extends SliceSpec> =
  AsRuleSpecs<P> extends infer Q extends SliceSpecs ? SliceCheck<S, Q> : unknown;

/**
 * Basic slicing: `slice(x, [[1, 3], null, [0, 10, 2]])`; an integer keeps that index (axis
 * removed, so `slice(ys, [-1])` is the last time step); `null`, `undefined` or a missing entry
 * keeps an axis whole, and `undefined` bounds are open (`[2, undefined]` is numpy's `2:`).
 * Literal bounds on literal dims give literal result dims.
 *
 * @param x - A tensor of any shape.
 * @param spec - One {@link SliceSpec} entry per leading axis; axes after them are kept whole.
 * @returns The selected elements.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { slice, tensor } from 'typegrad';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual(slice(x, [null, [1, 3]]).toArray(), [[2, 3], [5, 6]]);
 * assert.deepEqual(slice(x, [1, [undefined, undefined, -1]]).toArray(), [6, 5, 4]);
 * assert.deepEqual(slice(x, [-1]).toArray(), [4, 5, 6]);
 * ```
 */
export function slice<S extends Shape, D extends DType, const P extends SliceSpec>(
  x: Tensor<S, D>,
  spec: Checked<P, SliceGuard<S, P>>,
): Tensor<SliceResult<S, P>, D> {
  const shape = dims(x);
  if (spec.length > shape.length)
    throw new ShapeError(`slice: spec count ${spec.length} exceeds rank ${shape.length}`);
  const start: number[] = [];
  const limit: number[] = [];
  const stride: number[] = [];
  const flips: number[] = [];
  const dropped: number[] = [];
  shape.forEach((n, i) => {
    const s = (spec as P)[i];
    if (typeof s === 'number') {
      const k = s < 0 ? s + n : s;
      if (!Number.isInteger(s) || k < 0 || k >= n)
        throw new Error(`slice: index ${s} out of range for axis ${i} of size ${n}`);
      start.push(k);
      limit.push(k + 1);
      stride.push(1);
      dropped.push(i);
      return;
    }
    const [a, b, step = 1] = s ?? [];
    if (!Number.isInteger(step) || step === 0) throw new ShapeError(`slice: axis ${i} has step ${step}`);
    for (const bound of [a, b])
      if (bound !== undefined && bound !== null && !Number.isInteger(bound))
        throw new Error(`slice: axis ${i} has the bound ${String(bound)}; bounds are integers (or null)`);
    const r = pythonRange(n, a, b, step);
    if (step > 0) {
      start.push(r.first);
      limit.push(r.count === 0 ? r.first : r.first + (r.count - 1) * step + 1);
      stride.push(step);
    } else {
      // A negative step reads the reversed axis with a positive step.
      const firstRev = n - 1 - r.first;
      flips.push(i);
      start.push(r.count === 0 ? 0 : firstRev);
      limit.push(r.count === 0 ? 0 : firstRev + (r.count - 1) * -step + 1);
      stride.push(-step);
    }
  });
  const src = lax.rev(x, flips);
  const sliced = lax.slice(src, { start, limit, stride });
  const outShape = dims(sliced).filter((_, i) => !dropped.includes(i));
  return lax.reshape(sliced, outShape) as never;
}

function pythonRange(n: number, a: number | undefined, b: number | undefined, step: number) {
  const clampIdx = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const first =
    a === undefined ? (step > 0 ? 0 : n - 1) : clampIdx(a, step > 0 ? 0 : -1, step > 0 ? n : n - 1);
  const stop = b === undefined ? (step > 0 ? n : -1) : clampIdx(b, step > 0 ? 0 : -1, step > 0 ? n : n - 1);
  const count =
    step > 0 ? Math.max(0, Math.ceil((stop - first) / step)) : Math.max(0, Math.ceil((first - stop) / -step));
  return { first, count };
}

/**
 * The options of `pad`.
 */
export interface PadOptions {
  /**
   * The constant the padding holds (default 0).
   */
  readonly value?: number;
}

/**
 * Pads each axis by `[before, after]` with a constant `value` (default 0); a negative width
 * crops that many elements from that side (as PyTorch's `F.pad`).
 *
 * @param x - A tensor of any shape.
 * @param widths - One `[before, after]` pair per leading axis.
 * @param opts - `value`, the constant padded with.
 * @returns A tensor whose dim i is `before + dim + after`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { pad, tensor, zeros } from 'typegrad';
 * assert.deepEqual(pad(zeros([2, 3]), [[1, 1], [0, 2]], { value: -1 }).shape, [4, 5]);
 * assert.deepEqual(pad(tensor([1, 2, 3, 4]), [[1, -2]]).toArray(), [0, 1, 2]);
 * ```
 */
export function pad<S extends Shape, D extends DType, const W extends PadWidths>(
  x: Tensor<S, D>,
  widths: Checked<W, PadCheck<S, W>>,
  opts: PadOptions = {},
): Tensor<Pad<S, W>, D> {
  checkOptions('pad', opts, ['value']);
  const full = dims(x);
  padShape(full, widths as PadWidths); // the ShapeError the type shows (widths length vs rank)
  (widths as PadWidths).forEach(([a, b], i) => {
    if (!Number.isInteger(a) || !Number.isInteger(b))
      throw new Error(`pad: widths [${a}, ${b}] on axis ${i} must be integers`);
    if (Math.max(-a, 0) + Math.max(-b, 0) > full[i]!)
      throw new Error(`pad: widths [${a}, ${b}] crop more than axis ${i} of size ${full[i]} holds`);
  });
  // negative widths: crop with a slice first, then pad by the non-negative parts
  const start = (widths as PadWidths).map((w) => Math.max(-w[0], 0));
  const limit = (widths as PadWidths).map((w, i) => full[i]! - Math.max(-w[1], 0));
  const cropped = start.some((v) => v > 0) || limit.some((v, i) => v < full[i]!);
  const base = cropped ? lax.slice(x, { start, limit, stride: full.map(() => 1) }) : (x as Tensor);
  const shape = base.shape as readonly number[];
  const lo = (widths as PadWidths).map((w) => Math.max(w[0], 0));
  const hi = (widths as PadWidths).map((w) => Math.max(w[1], 0));
  const padded = lax.pad(base, { lo, hi, interior: shape.map(() => 0) });
  const value = opts.value ?? 0;
  if (value === 0) return padded as never;
  // Fill the border: pad a mask of ones the same way and select.
  const inside = lax.pad(lax.fullLike({ shape, dtype: 'bool' }, 1), { lo, hi, interior: shape.map(() => 0) });
  return lax.select(inside, padded, lax.fullLike(padded.aval, value)) as never;
}

/**
 * numpy's `take`: index `axis` with an i32 index tensor (over the flattened tensor when no
 * axis is given). An index out of range is an error (checked where the indices are readable
 * synchronously, e.g. on the CPU).
 *
 * @param x - A tensor of any shape.
 * @param indices - An i32 tensor of indices into `axis`.
 * @param opts - `axis` (default: the flattened tensor).
 * @returns `x`'s shape with the `axis` dim replaced by `indices`' shape.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { take, tensor } from 'typegrad';
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * assert.deepEqual(take(x, tensor([2, 0], { dtype: 'i32' }), { axis: 0 }).toArray(), [[5, 6], [1, 2]]);
 * ```
 */
export function take<
  S extends Shape,
  D extends DType,
  I extends Shape,
  const A extends number | undefined = undefined,
>(
  x: Tensor<S, D>,
  indices: Tensor<I, 'i32'>,
  opts?: Checked<{ readonly axis?: A }, TakeCheck<S, I, A>>,
): Tensor<Take<S, I, NoInfer<A>>, D> {
  checkArg('take', x, 'x');
  checkArg('take', indices, 'indices');
  checkOptions('take', opts, ['axis']);
  const axis = (opts as { readonly axis?: A } | undefined)?.axis;
  if (indices.dtype !== 'i32') throw new Error(`take: indices must be i32, got ${indices.describe()}`);
  checkAxisArg('take', axis, x.ndim);
  if (axis === undefined) {
    takeShape(dims(x), dims(indices));
    return lax.gather(lax.reshape(x, [x.size]), indices, 0) as never;
  }
  takeShape(dims(x), dims(indices), axis as number);
  return lax.gather(x, indices, normalizeAxis('take', axis as number, x.ndim)) as never;
}

/**
 * numpy's `take_along_axis`: indices of the same rank pick one element along `axis` per
 * position (the other dims broadcast).
 *
 * @param x - A tensor of any shape.
 * @param indices - An i32 tensor of `x`'s rank.
 * @param axis - The axis indexed.
 * @returns A tensor of `indices`' shape (broadcast against `x` off `axis`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { takeAlongAxis, tensor } from 'typegrad';
 * const x = tensor([[10, 20, 30], [40, 50, 60]]);
 * const picked = takeAlongAxis(x, tensor([[2], [0]], { dtype: 'i32' }), 1);
 * assert.deepEqual(picked.toArray(), [[30], [40]]);
 * ```
 */
export function takeAlongAxis<S extends Shape, D extends DType, I extends Shape, const A extends number>(
  x: Tensor<S, D>,
  indices: Tensor<I, 'i32'>,
  axis: Checked<A, TakeAlongAxisCheck<S, I, A>>,
): Tensor<TakeAlongAxis<S, I, A>, D> {
  if (indices.dtype !== 'i32')
    throw new Error(`takeAlongAxis: indices must be i32, got ${indices.describe()}`);
  const out = takeAlongAxisShape(dims(x), dims(indices), axis as number);
  const ax = normalizeAxis('takeAlongAxis', axis as number, x.ndim);
  checkIndexRange('takeAlongAxis', indices, dims(x)[ax]!, ax);
  // Flatten to one axis and gather with computed flat indices.
  const xShape = out.map((d, i) => (i === ax ? (dims(x)[i] as number) : d));
  const xb = broadcastRaw(x, xShape);
  const idx = broadcastRaw(indices, out);
  const n = xShape[ax]!;
  const wrapped = lax.select(
    lax.compare(idx, lax.fullLike(idx.aval, 0), 'lt'),
    lax.add(idx, lax.fullLike(idx.aval, n)),
    idx,
  );
  // flat index = (position with axis replaced by idx) in xb's row-major layout
  let flat = lax.fullLike({ shape: out, dtype: 'i32' }, 0);
  const xStrides = xShape.map((_, i) => xShape.slice(i + 1).reduce((a, b) => a * b, 1));
  out.forEach((d, i) => {
    const coord = i === ax ? wrapped : broadcastRaw(iota(d, i, out.length), out);
    flat = lax.add(flat, lax.mul(coord, lax.fullLike(coord.aval, xStrides[i]!)));
  });
  return lax.gather(lax.reshape(xb, [xb.size]), flat, 0) as never;
}

/**
 * Index values are only known for concrete tensors on a synchronous backend; there, check them
 * (the flat gather below would otherwise read a neighbouring row). Kernels re-check elsewhere.
 */
function checkIndexRange(op: string, indices: Tensor, n: number, axis: number): void {
  const s = indices._storage;
  if (!s || s.freed || !s.backend.readSync) return;
  for (const k of indices.dataSync() as Int32Array)
    if (k < -n || k >= n) throw new Error(`${op}: index ${k} out of range for axis ${axis} of size ${n}`);
}

function iota(n: number, axis: number, rank: number): Tensor {
  const shape = range(rank).map((i) => (i === axis ? n : 1));
  return lax.reshape(arangeI32(n), shape);
}

const arangeI32 = (n: number) =>
  fromHost(
    Int32Array.from({ length: n }, (_, i) => i),
    { shape: [n], dtype: 'i32' },
    'iota',
  );

/**
 * One-hot encoding of i32 labels along a new last axis of size `n` (f32 unless `dtype` says).
 *
 * @param labels - An i32 tensor of class indices in `0..n-1`.
 * @param n - The number of classes.
 * @param opts - `dtype` of the result (default f32).
 * @returns A tensor of `[...labels.shape, n]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { oneHot, tensor } from 'typegrad';
 * assert.deepEqual(oneHot(tensor([0, 2], { dtype: 'i32' }), 3).toArray(), [[1, 0, 0], [0, 0, 1]]);
 * ```
 */
export function oneHot<S extends Shape, const N extends number, D extends DType = 'f32'>(
  labels: Checked<Tensor<S, 'i32'>, OneHotCheck<S, N>>,
  n: N,
  opts?: { readonly dtype?: D },
): Tensor<OneHot<S, N>, D> {
  checkOptions('oneHot', opts, ['dtype']);
  const dtype = opts?.dtype;
  const l = labels as Tensor;
  checkArg('oneHot', l, 'labels');
  if (l.dtype !== 'i32') throw new Error(`oneHot: labels must be i32, got ${l.describe()}`);
  if (!Number.isSafeInteger(n)) throw new Error(`oneHot: depth ${String(n)} is not an integer`);
  const out = oneHotShape(dims(l), n);
  const classes = broadcastRaw(lax.reshape(arangeI32(n), [n]), out);
  const lb = lax.broadcastInDim(l, out, range(l.ndim));
  return lax.cast(lax.compare(lb, classes, 'eq'), dtype ?? 'f32') as never;
}
