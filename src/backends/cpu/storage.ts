/**
 * CPU storage: a buffer is the typed array of its dtype (f32 Float32Array, f64 Float64Array,
 * i32 Int32Array, bool Uint8Array of 0/1), row-major and contiguous.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import type { Operand, OutputSpec } from '../backend.ts';
import { takeBuffer } from './buffer-pool.ts';
import { fmtShape, sizeOf } from './strides.ts';

// No f16 entry: f16 is WebGPU-only, so no CPU buffer is ever of that dtype.
const CTOR: Partial<Record<DType, new (n: number) => TypedArray>> = {
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  bool: Uint8Array,
};

/** True when `buffer` is the storage of `dtype`. */
export function isStorageOf(buffer: unknown, dtype: DType): buffer is TypedArray {
  const ctor = CTOR[dtype];
  return ctor !== undefined && buffer instanceof ctor;
}

/**
 * The typed array behind an operand, checked against its dtype and shape (the kernels index
 * it by the shape, so a mismatch would read out of bounds).
 */
export function dataOf(prim: string, op: Operand, i: number): TypedArray {
  const buf = op.buffer;
  if (!isStorageOf(buf, op.dtype)) {
    throw new Error(`cpu ${prim}: operand ${i} is not a ${op.dtype} CPU buffer`);
  }
  const n = sizeOf(op.shape);
  if (buf.length !== n) {
    throw new Error(
      `cpu ${prim}: operand ${i} has ${buf.length} elements but shape ${fmtShape(op.shape)} needs ${n}`,
    );
  }
  return buf;
}

/**
 * An output buffer for `out` (from the buffer pool when one is free): zero-filled, or with
 * `zeroed` false left as it comes, for kernels that write every element.
 */
export function allocOut(out: OutputSpec, zeroed = true): TypedArray {
  return takeBuffer(out.dtype, sizeOf(out.shape), zeroed);
}

/** Copies host data of any numeric type into new storage of `dtype` (bool: x != 0). */
export function toStorage(data: ArrayLike<number>, dtype: DType): TypedArray {
  const out = takeBuffer(dtype, data.length, false);
  if (dtype === 'bool') {
    for (let i = 0; i < data.length; i++) out[i] = data[i] !== 0 ? 1 : 0;
  } else if (dtype === 'i32' && !(data instanceof Int32Array || data instanceof Uint8Array)) {
    for (let i = 0; i < data.length; i++) out[i] = castToI32(data[i]!);
  } else {
    out.set(data);
  }
  return out;
}

/** float → i32: truncates toward zero, NaN → 0, clamps to the i32 range. */
export function castToI32(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x);
}
