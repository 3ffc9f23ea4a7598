/**
 * Element types. `f64` exists on the CPU backend only (for exact gradient checks); `f16` on
 * WebGPU only, where the adapter has `shader-f16` (half-precision storage).
 */
export type DType = 'f16' | 'f32' | 'f64' | 'i32' | 'bool';
export const DTYPES: readonly DType[] = ['f16', 'f32', 'f64', 'i32', 'bool'];

/** The floating-point dtypes (what samplers and gradients produce; f16 on WebGPU only). */
export type FloatDType = 'f16' | 'f32' | 'f64';

/**
 * The typed array that holds each dtype on the host. `bool` is one byte per element (0 or 1);
 * `f16` values are read and written as a Float32Array (Node 20 has no Float16Array).
 */
export interface TypedArrayFor {
  /** 16-bit floats (WebGPU with shader-f16): read and written on the host as f32. */
  f16: Float32Array;
  /** 32-bit floats. */
  f32: Float32Array;
  /** 64-bit floats (CPU only). */
  f64: Float64Array;
  /** 32-bit signed integers. */
  i32: Int32Array;
  /** Booleans, one byte each (0 or 1). */
  bool: Uint8Array;
}
/** Any of the typed arrays that hold tensor data. */
export type TypedArray = TypedArrayFor[DType];

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'f32' || dtype === 'f64' || dtype === 'f16';
}

export function byteSize(dtype: DType): number {
  return dtype === 'f64' ? 8 : dtype === 'bool' ? 1 : dtype === 'f16' ? 2 : 4;
}

export function allocArray<D extends DType>(dtype: D, size: number): TypedArrayFor[D] {
  switch (dtype) {
    case 'f16':
    case 'f32':
      return new Float32Array(size) as TypedArrayFor[D];
    case 'f64':
      return new Float64Array(size) as TypedArrayFor[D];
    case 'i32':
      return new Int32Array(size) as TypedArrayFor[D];
    case 'bool':
      return new Uint8Array(size) as TypedArrayFor[D];
    default:
      throw new Error(`unknown dtype ${String(dtype)}`);
  }
}

/** Copies (and converts) any numeric array into the storage of `dtype`. */
export function toArray<D extends DType>(dtype: D, values: ArrayLike<number | boolean>): TypedArrayFor[D] {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  } else if (dtype === 'i32') {
    // Truncate toward zero, as a C cast does.
    for (let i = 0; i < values.length; i++) out[i] = Math.trunc(Number(values[i]));
  } else {
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  }
  return out;
}

const RANK: Record<DType, number> = { bool: 0, i32: 1, f16: 2, f32: 3, f64: 4 };

/**
 * Type promotion for binary ops: bool < i32 < f16 < f32 < f64, the larger wins.
 * (Unlike numpy, i32 with f32 gives f32, not f64: as in JAX, we stay in 32 bits.)
 */
export function promote(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Type-level twin of `promote`. */
export type Promote<A extends DType, B extends DType> = A extends 'f64'
  ? 'f64'
  : B extends 'f64'
    ? 'f64'
    : A extends 'f32'
      ? 'f32'
      : B extends 'f32'
        ? 'f32'
        : A extends 'f16'
          ? 'f16'
          : B extends 'f16'
            ? 'f16'
            : A extends 'i32'
              ? 'i32'
              : B extends 'i32'
                ? 'i32'
                : 'bool';
