/**
 * Half precision on WebGPU: host conversions of the `f16` storage (IEEE binary16 bits) and the
 * primitives that take f16 operands. Storage is f16; matmul accumulates in f32 (see
 * `tiledGemmBody`). Needs the adapter feature `shader-f16`.
 */
import type { DType } from '../../core/dtype.ts';
import type { PrimName } from '../../core/primitives.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bits nearest to `x` (round to nearest, ties to even; NaN stays NaN). */
export function f16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to inf
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit-1 mantissa into place, round to even.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches inf at the top).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** The value of binary16 bits `h`. */
export function f16Value(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Host values → f16 storage words (padded to whole 4-byte words, as writeBuffer needs). */
export function toF16Storage(data: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(data.length + (data.length & 1));
  for (let i = 0; i < data.length; i++) out[i] = f16Bits(Number(data[i]));
  return out;
}

/** f16 storage words → host values (a Float32Array: every f16 is exact in f32). */
export function fromF16Storage(words: ArrayBuffer | undefined, size: number): Float32Array {
  const out = new Float32Array(size);
  if (!words) return out;
  const h = new Uint16Array(words, 0, size);
  for (let i = 0; i < size; i++) out[i] = f16Value(h[i]!);
  return out;
}

/**
 * The primitives with f16 kernels: conversions, matmul (f32 accumulation) and the
 * zero-copy reshape. Everything else says so, naming the op.
 */
const F16_PRIMS: ReadonlySet<PrimName> = new Set<PrimName>(['cast', 'dot_general', 'reshape']);

/** An error message when `prim` cannot take f16 operands, else undefined. */
export function f16Refusal(prim: PrimName, dtypes: readonly DType[]): string | undefined {
  if (F16_PRIMS.has(prim) || !dtypes.includes('f16')) return undefined;
  return `f16 on WebGPU is storage for cast and dot_general (f32 accumulation) only so far; cast to f32 before ${prim}`;
}
