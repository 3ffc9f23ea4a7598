import type { DType } from '../../core/dtype.ts';

/**
 * Storage layout on WebGPU: f32 as `f32`, i32 as `i32`, bool as `u32` holding 0 or 1 (one
 * word per element; simpler and atomics-friendly, at 4× the bytes of the CPU's Uint8Array).
 * `upload`/`read` convert to and from the CPU layouts.
 */
export type WgslScalar = 'f16' | 'f32' | 'i32' | 'u32';

export function storageType(dtype: DType): WgslScalar {
  switch (dtype) {
    case 'f16':
      return 'f16';
    case 'f32':
      return 'f32';
    case 'i32':
      return 'i32';
    case 'bool':
      return 'u32';
    default:
      throw new Error(
        `webgpu: dtype ${dtype} is not supported (WGSL has no f64; use the CPU backend or f32)`,
      );
  }
}

/** Bytes per element in GPU storage (bool is one u32 word, f16 two bytes). */
export function elementBytes(dtype: DType): number {
  return dtype === 'f16' ? 2 : 4;
}

/** The type kernels compute in: f16 storage is loaded as, and accumulated in, f32. */
export function computeType(dtype: DType): WgslScalar {
  return dtype === 'f16' ? 'f32' : storageType(dtype);
}

/** Workgroup size of the 1-D kernels. */
export const WG = 64;
/** The most workgroups along one dispatch dimension (the WebGPU default limit). */
export const MAX_GROUPS_PER_DIM = 65535;

/** Splits `groups` workgroups over x and y so that neither exceeds the per-dimension limit. */
export function grid(groups: number): [number, number, number] {
  if (groups <= 0) return [0, 1, 1];
  const x = Math.min(groups, MAX_GROUPS_PER_DIM);
  const y = Math.ceil(groups / x);
  if (y > MAX_GROUPS_PER_DIM) throw new Error(`webgpu: ${groups} workgroups exceed one dispatch`);
  return [x, y, 1];
}

/** A 1-D grid of `n` threads in workgroups of `WG`. */
export function grid1d(n: number, wg = WG): [number, number, number] {
  return grid(Math.ceil(n / wg));
}

/** Entry point header of a 1-D kernel; the flat thread index is `gi`, the group index `gid`. */
export function main1d(wg = WG): string {
  return `@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let gid = wid.y * nwg.x + wid.x;
  let gi = gid * ${wg}u + lid;`;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Helpers every kernel gets. Values that cannot be WGSL constants (NaN, ±inf, i32 min) are
 * made at run time from bit patterns held in `var`s, so they are not const-expressions.
 */
export const PRELUDE = `
fn u(i: u32) -> u32 { return prm.v[i >> 2u][i & 3u]; }
fn s(i: u32) -> i32 { return bitcast<i32>(prm.v[i >> 2u][i & 3u]); }
fn tg_bits_f32(b: u32) -> f32 { var x = b; return bitcast<f32>(x); }
fn tg_neg_inf() -> f32 { return tg_bits_f32(0xff800000u); }
fn tg_nan() -> f32 { return tg_bits_f32(0x7fc00000u); }
fn tg_i32_min() -> i32 { var x = 0x80000000u; return bitcast<i32>(x); }
// Bit test: drivers may fold \`x != x\` to false (SwiftShader does), so NaN checks use the bits.
fn tg_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn tg_max_f32(a: f32, b: f32) -> f32 {
  if (tg_isnan(a) || tg_isnan(b)) { return a + b; }
  return select(b, a, a > b);
}
fn tg_min_f32(a: f32, b: f32) -> f32 {
  if (tg_isnan(a) || tg_isnan(b)) { return a + b; }
  return select(b, a, a < b);
}
`;
