/**
 * Reductions over any set of axes (sum, max) and argmax along one axis.
 *
 * The input is walked once in memory order; each element is folded into a Float64Array of
 * accumulators (one per output element), so f32 sums accumulate in double precision and
 * reducing leading axes (bias gradients) streams through memory instead of striding.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import { coalesce, fmtShape, sizeOf, stridesOf } from './strides.ts';

export type ReduceKind = 'sum' | 'max';

/** The identity of each reduction: sum of nothing is 0, max of nothing the dtype's minimum. */
function identity(kind: ReduceKind, dtype: DType): number {
  if (kind === 'sum') return 0;
  return dtype === 'i32' ? -2147483648 : dtype === 'bool' ? 0 : Number.NEGATIVE_INFINITY;
}

export function reduce(
  kind: ReduceKind,
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  out: TypedArray,
  dtype: DType,
): void {
  const rank = shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= rank) {
      throw new Error(`cpu reduce_${kind}: axis ${a} out of range for shape ${fmtShape(shape)}`);
    }
    reduced[a] = true;
  }
  const outShape = shape.filter((_, d) => !reduced[d]);
  const outContig = stridesOf(outShape);
  const outStrides: number[] = [];
  for (let d = 0, k = 0; d < rank; d++) outStrides.push(reduced[d] ? 0 : outContig[k++]!);

  const acc = new Float64Array(out.length).fill(identity(kind, dtype));
  if (sizeOf(shape) > 0) accumulate(kind, x, coalesce(shape, [stridesOf(shape), outStrides]), acc);
  if (dtype === 'bool') for (let i = 0; i < acc.length; i++) out[i] = acc[i] !== 0 ? 1 : 0;
  else out.set(acc);
}

function accumulate(
  kind: ReduceKind,
  x: TypedArray,
  loop: { shape: number[]; strides: number[][] },
  acc: Float64Array,
): void {
  const dims = loop.shape;
  const os = loop.strides[1]!;
  const r = dims.length;
  if (r === 0) {
    acc[0] = kind === 'sum' ? acc[0]! + x[0]! : foldMax(acc[0]!, x[0]!);
    return;
  }
  const inner = dims[r - 1]!;
  const innerReduced = os[r - 1] === 0;
  const outer = x.length / inner;
  if (kind === 'sum' && innerReduced) {
    foldRows(rowSums(x, inner, outer), dims, os, acc);
    return;
  }
  const idx = new Array<number>(r).fill(0);
  let o = 0;
  for (let row = 0, base = 0; row < outer; row++, base += inner) {
    if (kind === 'sum') {
      for (let j = 0; j < inner; j++) acc[o + j] = acc[o + j]! + x[base + j]!;
    } else if (innerReduced) {
      let m = acc[o]!;
      for (let j = 0; j < inner; j++) {
        const v = x[base + j]!;
        if (v > m || Number.isNaN(v)) m = v;
      }
      acc[o] = m;
    } else {
      for (let j = 0; j < inner; j++) acc[o + j] = foldMax(acc[o + j]!, x[base + j]!);
    }
    o = nextRow(idx, dims, os, r - 2, o);
  }
}

/**
 * Steps the row odometer `idx` (over dims[0..last]) by one row and returns the output offset
 * `o` moved with it by the output strides `os`.
 */
function nextRow(
  idx: number[],
  dims: readonly number[],
  os: readonly number[],
  last: number,
  o: number,
): number {
  for (let d = last; d >= 0; d--) {
    if (++idx[d]! < dims[d]!) return o + os[d]!;
    idx[d] = 0;
    o -= os[d]! * (dims[d]! - 1);
  }
  return o;
}

/**
 * acc[o(row)] += sums[row] in row order, rows laid out over all but the last of `dims` with
 * output strides `os`: the last row axis runs as a plain strided loop, the odometer only
 * steps between its runs (per row it cost more than the 9-float sums of a 3×3 map).
 */
function foldRows(
  sums: Float64Array,
  dims: readonly number[],
  os: readonly number[],
  acc: Float64Array,
): void {
  const r = dims.length - 1;
  if (r === 0) {
    acc[0] = acc[0]! + sums[0]!;
    return;
  }
  const n = dims[r - 1]!;
  const step = os[r - 1]!;
  const idx = new Array<number>(r).fill(0);
  let o = 0;
  for (let row = 0; row < sums.length; row += n) {
    for (let k = 0, a = o; k < n; k++, a += step) acc[a] = acc[a]! + sums[row + k]!;
    o = nextRow(idx, dims, os, r - 2, o);
  }
}

/** Rows summed at once by `rowSums`: independent f64 chains hide the add latency. */
const ROWS = 8;

/**
 * The f64 sum of each contiguous row of `inner` elements, each added left to right (the
 * order of a plain loop, so the same bits), ROWS rows at a time: one row's chain of adds
 * waits on the add latency, eight in flight wait on the loads (1.3 → 0.75 ns a float).
 */
function rowSums(x: TypedArray, inner: number, outer: number): Float64Array {
  const sums = new Float64Array(outer);
  let row = 0;
  for (; row + ROWS <= outer; row += ROWS) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let j = row * inner, end = j + inner; j < end; j++) {
      s0 += x[j]!;
      s1 += x[j + inner]!;
      s2 += x[j + 2 * inner]!;
      s3 += x[j + 3 * inner]!;
      s4 += x[j + 4 * inner]!;
      s5 += x[j + 5 * inner]!;
      s6 += x[j + 6 * inner]!;
      s7 += x[j + 7 * inner]!;
    }
    sums[row] = s0;
    sums[row + 1] = s1;
    sums[row + 2] = s2;
    sums[row + 3] = s3;
    sums[row + 4] = s4;
    sums[row + 5] = s5;
    sums[row + 6] = s6;
    sums[row + 7] = s7;
  }
  for (; row < outer; row++) {
    let s = 0;
    for (let j = row * inner, end = j + inner; j < end; j++) s += x[j]!;
    sums[row] = s;
  }
  return sums;
}

/** max that propagates NaN: once NaN, always NaN. */
function foldMax(m: number, v: number): number {
  return v > m || Number.isNaN(v) ? v : m;
}

/** Index of the first maximum along `axis` (NaN counts as the maximum; the first NaN wins). */
export function argmax(x: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void {
  const n = shape[axis];
  if (n === undefined || !Number.isInteger(axis) || axis < 0) {
    throw new Error(`cpu argmax: axis ${axis} out of range for shape ${fmtShape(shape)}`);
  }
  const pre = sizeOf(shape.slice(0, axis));
  const post = sizeOf(shape.slice(axis + 1));
  if (pre * post === 0) return;
  if (n === 0) throw new Error(`cpu argmax: axis ${axis} of shape ${fmtShape(shape)} is empty`);
  const best = new Float64Array(post);
  for (let p = 0; p < pre; p++) {
    const base = p * n * post;
    const o = p * post;
    for (let j = 0; j < post; j++) {
      best[j] = x[base + j]!;
      out[o + j] = 0;
    }
    for (let k = 1; k < n; k++) {
      const row = base + k * post;
      for (let j = 0; j < post; j++) {
        const v = x[row + j]!;
        const b = best[j]!;
        if (!Number.isNaN(b) && (v > b || Number.isNaN(v))) {
          best[j] = v;
          out[o + j] = k;
        }
      }
    }
  }
}
