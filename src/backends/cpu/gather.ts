/**
 * gather (numpy `take` along an axis) and its transpose scatter_add. Both view the operand
 * as [pre, n, post] and the indices as a flat list; negative indices in [-n, 0) wrap, others
 * outside [0, n) throw before anything is written.
 */
import type { TypedArray } from '../../core/dtype.ts';
import { fmtShape, sizeOf } from './strides.ts';

/**
 * Checks every index; returns them as non-negative offsets along the axis: the indices
 * themselves when none is negative (the common case, e.g. max pooling's), else a wrapped copy.
 */
function normalize(op: string, indices: TypedArray, axis: number, n: number): TypedArray {
  let negative = false;
  const integral = indices instanceof Int32Array;
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (!(v >= -n && v < n) || (!integral && !Number.isInteger(v)))
      throw new Error(`${op}: index ${v} out of range for axis ${axis} of size ${n}`);
    if (v < 0) negative = true;
  }
  if (!negative) return indices;
  return Int32Array.from(indices, (v) => (v < 0 ? v + n : v));
}

function splitAt(op: string, shape: readonly number[], axis: number): [pre: number, n: number, post: number] {
  const n = shape[axis];
  if (n === undefined || !Number.isInteger(axis) || axis < 0) {
    throw new Error(`${op}: axis ${axis} out of range for operand shape ${fmtShape(shape)}`);
  }
  return [sizeOf(shape.slice(0, axis)), n, sizeOf(shape.slice(axis + 1))];
}

export function gather(
  x: TypedArray,
  shape: readonly number[],
  indices: TypedArray,
  axis: number,
  out: TypedArray,
): void {
  const [pre, n, post] = splitAt('gather', shape, axis);
  const idx = normalize('gather', indices, axis, n);
  const m = idx.length;
  if (out.length !== pre * m * post) {
    throw new Error(`gather: output has ${out.length} elements, expected ${pre * m * post}`);
  }
  let q = 0;
  for (let p = 0; p < pre; p++) {
    const base = p * n * post;
    for (let i = 0; i < m; i++) {
      const src = base + idx[i]! * post;
      for (let j = 0; j < post; j++) out[q++] = x[src + j]!;
    }
  }
}

/** out = operand with updates[pre, i, post] added at operand[pre, indices[i], post]. */
export function scatterAdd(
  operand: TypedArray,
  shape: readonly number[],
  indices: TypedArray,
  updates: TypedArray,
  axis: number,
  out: TypedArray,
): void {
  const [pre, n, post] = splitAt('scatter_add', shape, axis);
  if (updates.length !== pre * indices.length * post) {
    throw new Error(
      `scatter_add: updates have ${updates.length} elements, expected ${pre * indices.length * post}`,
    );
  }
  // One element per index (a flat scatter, as max pooling's gradient), in one pass.
  const flat = pre === 1 && post === 1 && !(out instanceof Uint8Array) && indices instanceof Int32Array;
  if (flat && flatScatter(operand, indices, updates, out)) return;
  const idx = normalize('scatter_add', indices, axis, n);
  const m = idx.length;
  out.set(operand);
  // bool: adding is or (stays 0/1)
  const cap = out instanceof Uint8Array ? 1 : Number.POSITIVE_INFINITY;
  let q = 0;
  for (let p = 0; p < pre; p++) {
    const base = p * n * post;
    for (let i = 0; i < m; i++) {
      const dst = base + idx[i]! * post;
      for (let j = 0; j < post; j++) out[dst + j] = Math.min(cap, out[dst + j]! + updates[q++]!);
    }
  }
}

/**
 * out = operand with updates[i] added at out[indices[i]], checking each index as it is used
 * instead of in a separate pass over the indices first (max pooling's gradient scatters
 * 800K indices, and the extra pass cost as much as the scatter). Returns false, having
 * written only into `out` (a fresh buffer), at the first index outside [0, n): the caller
 * then wraps negative indices or throws.
 */
function flatScatter(
  operand: TypedArray,
  indices: Int32Array,
  updates: TypedArray,
  out: TypedArray,
): boolean {
  const n = operand.length;
  out.set(operand);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    if (!(j >= 0 && j < n)) return false;
    out[j] = out[j]! + updates[i]!;
  }
  return true;
}
