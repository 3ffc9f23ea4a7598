/**
 * A free list of CPU buffers, so eager ops and training steps reuse the typed arrays of
 * disposed tensors instead of allocating (and later garbage-collecting) new ones: in a chain
 * of small eager ops allocation and collection were over a third of the time, and in a
 * training step large short-lived arrays make the collector run often.
 *
 * A buffer is pooled only when it owns its whole ArrayBuffer and no view of it handed out
 * (scan's per-step slices) is still alive, so reuse can never alias a live tensor: the stacks
 * a scan reads step by step (its xs, a training step's residuals) are reused like any other
 * buffer once their views are disposed, instead of becoming garbage. The pool is bounded
 * (bytes in all, buffers per size); beyond that, disposed buffers go to the collector.
 * Buffers taken from the pool are zero-filled, as fresh ones are.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import { allocArray } from '../../core/dtype.ts';
import { forgetPacked } from './wasm/packed-cache.ts';

/** Bytes the pool may hold in all, and buffers it keeps of one dtype and length. */
const MAX_POOLED_BYTES = 256 * 1024 * 1024;
const MAX_PER_SIZE = 8;

// per CPU dtype (f16 is WebGPU-only and never reaches this pool)
const free: Partial<Record<DType, Map<number, TypedArray[]>>> = {
  f32: new Map(),
  f64: new Map(),
  i32: new Map(),
  bool: new Map(),
};
/** Pooled buffers, to tell a disposed buffer that is waiting for reuse from a live one. */
const pooled = new Set<TypedArray>();
/** Per ArrayBuffer, how many views of it are alive: it is not pooled while any is. */
const liveViews = new WeakMap<ArrayBufferLike, number>();
/** The views handed out and not yet disposed. */
const views = new WeakSet<TypedArray>();
let pooledBytes = 0;

function dtypeOf(buf: TypedArray): DType | undefined {
  if (buf instanceof Float32Array) return 'f32';
  if (buf instanceof Float64Array) return 'f64';
  if (buf instanceof Int32Array) return 'i32';
  if (buf instanceof Uint8Array) return 'bool';
  return undefined;
}

/**
 * A buffer of `size` elements of `dtype`, a pooled one when there is one: zero-filled, or
 * with `zeroed` false holding stale values (for a kernel that writes every element).
 */
export function takeBuffer(dtype: DType, size: number, zeroed = true): TypedArray {
  const list = free[dtype]?.get(size);
  const buf = list?.pop();
  if (buf === undefined) return allocArray(dtype, size);
  pooled.delete(buf);
  pooledBytes -= buf.byteLength;
  if (zeroed) buf.fill(0);
  return buf;
}

/** Hands a disposed buffer to the pool; false when it is not kept (a view, too big, pool full). */
export function giveBuffer(buf: TypedArray): boolean {
  forgetPacked(buf);
  if (views.delete(buf)) {
    // a view is never pooled itself; its buffer may be once no view of it is left
    liveViews.set(buf.buffer, (liveViews.get(buf.buffer) ?? 1) - 1);
    return false;
  }
  const dtype = dtypeOf(buf);
  if (dtype === undefined || buf.length === 0 || pooled.has(buf)) return false;
  if (
    buf.byteOffset !== 0 ||
    buf.byteLength !== buf.buffer.byteLength ||
    (liveViews.get(buf.buffer) ?? 0) > 0
  )
    return false;
  if (pooledBytes + buf.byteLength > MAX_POOLED_BYTES) return false;
  const map = free[dtype];
  if (map === undefined) return false;
  let list = map.get(buf.length);
  if (list === undefined) {
    list = [];
    map.set(buf.length, list);
  }
  if (list.length >= MAX_PER_SIZE) return false;
  list.push(buf);
  pooled.add(buf);
  pooledBytes += buf.byteLength;
  return true;
}

/** True while `buf` sits in the pool (it was disposed and is not yet reused). */
export function isPooled(buf: unknown): boolean {
  return pooled.has(buf as TypedArray);
}

/**
 * A view of `buf`'s elements [offset, offset + size): `buf` is not pooled until the view
 * is disposed (given back through `giveBuffer`); a view never disposed keeps it out for good.
 *
 * @example
 * const step = takeView(stack, i * size, size); // scan's slice i of xs
 */
export function takeView(buf: TypedArray, offset: number, size: number): TypedArray {
  const view = buf.subarray(offset, offset + size);
  views.add(view);
  liveViews.set(buf.buffer, (liveViews.get(buf.buffer) ?? 0) + 1);
  return view;
}

/** Bytes held by the pool now (for tests and benchmarks). */
export function pooledByteCount(): number {
  return pooledBytes;
}

/** Empties the pool (tests; or to hand the memory back to the collector). */
export function drainPool(): void {
  for (const map of Object.values(free)) map?.clear();
  pooled.clear();
  pooledBytes = 0;
}
