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
  const idx = new Array<number>(r).fill(0);
  let o = 0;
  for (let row = 0, base = 0; row < outer; row++, base += inner) {
    if (kind === 'sum') {
      if (innerReduced) {
        let s = 0;
        for (let j = 0; j < inner; j++) s += x[base + j]!;
        acc[o] = acc[o]! + s;
      } else {
        for (let j = 0; j < inner; j++) acc[o + j] = acc[o + j]! + x[base + j]!;
      }
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
    for (let d = r - 2; d >= 0; d--) {
      if (++idx[d]! < dims[d]!) {
        o += os[d]!;
        break;
      }
      idx[d] = 0;
      o -= os[d]! * (dims[d]! - 1);
    }
  }
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
