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
import type { Concat, ConcatCheck, Stack, StackCheck } from '../shapes/concat.ts';
import { concatShape, stackShape } from '../shapes/concat.ts';
import type { Dim, Guard, Shape } from '../shapes/dim.ts';
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
 * Reshape; one dim may be -1 (inferred); the element counts must agree.
 *
 * @example
 * reshape(zeros([2, 6]), [3, -1]); // Tensor<[3, 4]>
 */
export function reshape<S extends Shape, D extends DType, const T extends readonly Dim[]>(
  x: Tensor<S, D>,
  shape: T & Guard<ReshapeCheck<S, T>>,
): Tensor<Reshape<S, T>, D> {
  const target = (shape as readonly Dim[]).map((d) => (typeof d === 'number' ? d : Number.NaN));
  if (target.some(Number.isNaN))
    throw new Error('reshape: a run-time target shape must be numbers (named dims exist only in types)');
  return lax.reshape(x, reshapeShape(dims(x), target)) as never;
}

/**
 * Permutes axes by `perm` (reverses them when no permutation is given).
 *
 * @example
 * transpose(zeros([2, 3, 4]), { perm: [0, 2, 1] }); // Tensor<[2, 4, 3]>
 * transpose(zeros([2, 3])); // Tensor<[3, 2]>
 */
export function transpose<
  S extends Shape,
  D extends DType,
  const P extends readonly number[] | undefined = undefined,
>(
  x: Tensor<S, D>,
  opts?: { readonly perm?: P } & Guard<TransposeCheck<S, P>>,
): Tensor<Transpose<S, NoInfer<P>>, D> {
  checkOptions('transpose', opts, ['perm']);
  const perm = opts?.perm;
  transposeShape(dims(x), perm as readonly number[] | undefined);
  const p = (perm as readonly number[] | undefined) ?? range(x.ndim).reverse();
  return lax.transpose(
    x,
    p.map((a) => normalizeAxis('transpose', a, x.ndim)),
  ) as never;
}

/** Which axes `flatten` merges: `startAxis..endAxis` inclusive (default all, 0..-1). */
export interface FlattenOptions<A extends number, B extends number> {
  readonly startAxis?: A;
  readonly endAxis?: B;
}

/**
 * Merges axes `startAxis..endAxis` (inclusive) into one.
 *
 * @example
 * flatten(zeros([32, 16, 5, 5]), { startAxis: 1 }); // Tensor<[32, 400]>
 * flatten(zeros([2, 3])); // Tensor<[6]>
 */
export function flatten<
  S extends Shape,
  D extends DType,
  const A extends number = 0,
  const B extends number = -1,
>(
  x: Tensor<S, D>,
  opts?: FlattenOptions<A, B> & Guard<FlattenCheck<S, A, B>>,
): Tensor<Flatten<S, NoInfer<A>, NoInfer<B>>, D> {
  checkOptions('flatten', opts, ['startAxis', 'endAxis']);
  return lax.reshape(x, flattenShape(dims(x), opts?.startAxis ?? 0, opts?.endAxis ?? -1)) as never;
}

/**
 * Inserts a dim of size 1 at `axis` (negative counts from the end of the result).
 *
 * @example
 * expandDims(zeros([3, 4]), 0); // Tensor<[1, 3, 4]>
 */

export function expandDims<S extends Shape, D extends DType, const A extends number>(
  x: Tensor<S, D>,
  axis: A & Guard<ExpandDimsCheck<S, A>>,
): Tensor<ExpandDims<S, A>, D> {
  checkArg('expandDims', x, 'x');
  checkAxisArg('expandDims', axis, x.ndim + 1);
  return lax.reshape(x, expandDimsShape(dims(x), axis as number)) as never;
}

/**
 * Removes dims of size 1: those at `axis` (one or several), or all of them.
 *
 * @example
 * squeeze(zeros([1, 3, 1]), { axis: 0 }); // Tensor<[3, 1]>
 * squeeze(zeros([1, 3, 1])); // Tensor<[3]>
 */
export function squeeze<S extends Shape, D extends DType, const A extends Axes = undefined>(
  x: Tensor<S, D>,
  opts?: { readonly axis?: A } & Guard<SqueezeCheck<S, A>>,
): Tensor<Squeeze<S, NoInfer<A>>, D> {
  checkArg('squeeze', x, 'x');
  checkOptions('squeeze', opts, ['axis']);
  const axis = opts?.axis as number | readonly number[] | undefined;
  checkAxisArg('squeeze', axis, x.ndim, true);
  return lax.reshape(x, squeezeShape(dims(x), axis)) as never;
}

/**
 * Broadcasts to exactly `shape` by numpy's rules (a 1 stretches; leading dims may be added).
 *
 * @example
 * broadcastTo(zeros([1, 3]), [4, 3]); // Tensor<[4, 3]>
 */
export function broadcastTo<S extends Shape, D extends DType, const T extends readonly number[]>(
  x: Tensor<S, D>,
  shape: T & Guard<BroadcastToCheck<S, T>>,
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

type Shapes<Ts extends readonly Tensor[]> = {
  [K in keyof Ts]: Ts[K] extends Tensor<infer S, DType> ? S : never;
};
// read from `dtype`: matching `Tensor<Shape, infer D>` stays deferred for generic dims
type DTypeOfAll<Ts extends readonly Tensor[]> = Ts[number] extends { readonly dtype: infer D extends DType }
  ? D
  : never;

/** The axis `concat` and `stack` join along (default 0). */
export interface AxisOptions<A extends number> {
  readonly axis?: A;
}

/**
 * Joins tensors along an existing axis (default 0); dtypes promote to the common one.
 *
 * @example
 * concat([zeros([2, 3]), zeros([4, 3])]); // Tensor<[6, 3]>
 * concat([zeros([2, 3]), zeros([2, 5])], { axis: 1 }); // Tensor<[2, 8]>
 */
export function concat<const Ts extends readonly Tensor[], const A extends number = 0>(
  xs: Ts & Guard<ConcatCheck<'concat', Shapes<Ts>, A>>,
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
 * @example
 * stack([zeros([3]), zeros([3])]); // Tensor<[2, 3]>
 * stack([zeros([3]), zeros([3])], { axis: 1 }); // Tensor<[3, 2]>
 */
export function stack<const Ts extends readonly Tensor[], const A extends number = 0>(
  xs: Ts & Guard<StackCheck<Shapes<Ts>, A>>,
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
export type SliceSpec = readonly (readonly [Bound?, Bound?, Bound?] | number | null)[];

/** The tuple form of a spec entry as the object form the shape rule reads. */
type AsRuleSpec<E> = E extends null | undefined
  ? null
  : E extends readonly [infer A, infer B, infer C]
    ? { start: A & Bound; stop: B & Bound; step: C & Bound }
    : E extends readonly [infer A, infer B]
      ? { start: A & Bound; stop: B & Bound }
      : E extends readonly [infer A]
        ? { start: A & Bound }
        : null;
type AsRuleSpecs<P extends SliceSpec> = { -readonly [K in keyof P]: AsRuleSpec<P[K]> };
/** An integer entry drops its axis; the rule does not model that, so such results are dynamic. */
type HasIndex<P extends SliceSpec> = number extends P['length']
  ? true
  : [Extract<P[number], number>] extends [never]
    ? false
    : true;
type SliceResult<S, P extends SliceSpec> = S extends Shape
  ? HasIndex<P> extends true
    ? number[]
    : AsRuleSpecs<P> extends infer Q extends SliceSpecs
      ? Slice<S, Q>
      : number[]
  : number[];
type SliceGuard<S, P extends SliceSpec> = S extends Shape
  ? HasIndex<P> extends true
    ? unknown
    : AsRuleSpecs<P> extends infer Q extends SliceSpecs
      ? SliceCheck<S, Q>
      : unknown
  : unknown;

/**
 * Basic slicing: `slice(x, [[1, 3], null, [0, 10, 2]])`; an integer keeps that index (axis
 * removed). Literal bounds on literal dims give literal result dims.
 */
export function slice<S extends Shape, D extends DType, const P extends SliceSpec>(
  x: Tensor<S, D>,
  spec: P & Guard<SliceGuard<S, P>>,
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
    const s = spec[i];
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

export interface PadOptions {
  readonly value?: number;
}

/**
 * Pads each axis by [before, after] with a constant `value` (default 0); a negative width crops
 * that many elements from that side (as PyTorch's `F.pad`).
 *
 * @example
 * pad(zeros([2, 3]), [[1, 1], [0, 2]], { value: -1 }); // Tensor<[4, 5]>
 * pad(tensor([1, 2, 3, 4]), [[1, -2]]); // [0, 1, 2]
 */
export function pad<S extends Shape, D extends DType, const W extends PadWidths>(
  x: Tensor<S, D>,
  widths: W & Guard<PadCheck<S, W>>,
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
 * numpy take: index `axis` with an i32 index tensor (over the flattened tensor when no axis).
 *
 * @example
 * take(zeros([10, 4]), tensor([3, 1], { dtype: 'i32' }), { axis: 0 }); // Tensor<[2, 4]>
 */
export function take<
  S extends Shape,
  D extends DType,
  I extends Shape,
  const A extends number | undefined = undefined,
>(
  x: Tensor<S, D>,
  indices: Tensor<I, 'i32'>,
  opts?: { readonly axis?: A } & Guard<TakeCheck<S, I, A>>,
): Tensor<Take<S, I, NoInfer<A>>, D> {
  checkArg('take', x, 'x');
  checkArg('take', indices, 'indices');
  checkOptions('take', opts, ['axis']);
  const axis = opts?.axis;
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
 * numpy takeAlongAxis: indices of the same rank pick one element along `axis` per position.
 *
 * @example
 * takeAlongAxis(zeros([4, 10]), zeros([4, 1], { dtype: 'i32' }), 1); // Tensor<[4, 1]>
 */
export function takeAlongAxis<S extends Shape, D extends DType, I extends Shape, const A extends number>(
  x: Tensor<S, D>,
  indices: Tensor<I, 'i32'>,
  axis: A & Guard<TakeAlongAxisCheck<S, I, A>>,
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
 * One-hot encoding of i32 labels along a new last axis of size n (f32 unless `dtype` says).
 *
 * @example
 * oneHot(tensor([0, 2], { dtype: 'i32' }), 3); // Tensor<[2, 3]>: [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot<S extends Shape, const N extends number, D extends DType = 'f32'>(
  labels: Tensor<S, 'i32'> & Guard<OneHotCheck<S, N>>,
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
