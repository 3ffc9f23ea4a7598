import type { DType } from '../../../core/dtype.ts';
import type { PrimParams } from '../../../core/primitives.ts';
import type { OutputSpec } from '../../backend.ts';
import {
  type DispatchSpec,
  expectInputs,
  type GpuOperand,
  type Kernel,
  type KernelContext,
  type KernelFusion,
  type WebGpuBuffer,
} from '../kernel.ts';
import { computeType, MAX_GROUPS_PER_DIM, sizeOf, storageType, stridesOf } from '../wgsl.ts';
import { affineGather } from './movement.ts';

/** Contraction step of the GEMM tiles; each thread computes 4 × 4 outputs. */
const TK = 16;

/** Which GEMM operands are loaded as vec4 (see `tiledGemmBody`). */
export interface GemmVec {
  readonly a: boolean;
  readonly b: boolean;
}
const NO_VEC: GemmVec = { a: false, b: false };

/**
 * The GEMM tiling for an M × N output: `wg` × `wg` threads per workgroup, a 4·wg square
 * output tile. Large outputs take 16 × 16 threads (64 × 64 tiles: half the workgroup-memory
 * traffic per multiply-add of 32 × 32 tiles, the usual choice on GPUs); smaller ones keep
 * 8 × 8 (32 × 32 tiles), so that they still spread over many workgroups.
 */
export function gemmTile(M: number, N: number): number {
  return M >= 256 && N >= 256 ? 16 : 8;
}

/**
 * One stride standing for a group of dims, when the group is contiguous in row-major order
 * (as a reshape would see it); undefined when it is not.
 */
function groupStride(
  dims: readonly number[],
  shape: readonly number[],
  strides: readonly number[],
): number | undefined {
  const live = dims.filter((d) => shape[d] !== 1);
  if (live.length === 0) return 0;
  for (let i = 0; i + 1 < live.length; i++) {
    const a = live[i]!;
    const b = live[i + 1]!;
    if (strides[a] !== strides[b]! * shape[b]!) return undefined;
  }
  return strides[live[live.length - 1]!]!;
}

function prod(dims: readonly number[], shape: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= shape[d]!;
  return n;
}

/** [batch, m or n, k] strides of an operand, transposing it into that order first if it must. */
function operandStrides(
  ctx: KernelContext,
  x: GpuOperand,
  batch: readonly number[],
  free: readonly number[],
  contract: readonly number[],
  temps: WebGpuBuffer[],
): { buf: WebGpuBuffer; sb: number; sf: number; sk: number } {
  const st = stridesOf(x.shape);
  const sb = groupStride(batch, x.shape, st);
  const sf = groupStride(free, x.shape, st);
  const sk = groupStride(contract, x.shape, st);
  if (sb !== undefined && sf !== undefined && sk !== undefined) return { buf: x.buf, sb, sf, sk };
  // Not expressible by three strides: materialize [batch..., free..., contract...].
  const perm = [...batch, ...free, ...contract];
  const shape = perm.map((d) => x.shape[d]!);
  const buf = affineGather(
    ctx,
    'dot_general',
    x,
    { shape, dtype: x.dtype },
    0,
    perm.map((d, i) => ({ size: shape[i]!, stride: st[d]! })),
  );
  temps.push(buf);
  const f = prod(free, x.shape);
  const k = prod(contract, x.shape);
  return { buf, sb: f * k, sf: k, sk: 1 };
}

/**
 * WGSL of a batched, tiled GEMM: out[b, m, n] = Σ_k A(b, m, k) · B(b, k, n) for m < M = u(0),
 * n < N = u(1), k < K = u(2), batch b = workgroup z + u(3). The caller supplies
 * `fn load_a(b, m, k) -> T`, `fn load_b(b, k, n) -> T` (called in bounds only) and
 * `fn store(b, m, n, v: T)`. Each `wg` × `wg` workgroup computes a 4·wg square tile, 4 × 4
 * per thread, staging 4·wg × 16 slices of A and B in workgroup memory (f32 accumulation;
 * f16 storage is staged and accumulated in f32, so the loads return and `store` takes f32).
 * With `vec.a` the tile of A is loaded four k at a time through `fn load_a4(b, m, k) ->
 * vec4<T>` (needs K % 4 == 0: a vector is in bounds when its first element is), with `vec.b`
 * B four n at a time through `load_b4(b, k, n)` (needs N % 4 == 0).
 */
export function tiledGemmBody(dtype: DType, fns: string, wg = 8, vec: GemmVec = NO_VEC): string {
  const t = computeType(dtype);
  const TM = 4 * wg;
  const TN = 4 * wg;
  const threads = wg * wg;
  const loadA = vec.a
    ? `for (var e = li; e < ${(TM * TK) / 4}u; e = e + ${threads}u) {
      let kq = e / ${TM}u;
      let mm = e % ${TM}u;
      let gm = m0 + mm;
      let gk = k0 + 4u * kq;
      var v = vec4<${t}>(0);
      if (gm < M && gk < K) { v = load_a4(b, gm, gk); }
      As[4u * kq][mm] = v.x;
      As[4u * kq + 1u][mm] = v.y;
      As[4u * kq + 2u][mm] = v.z;
      As[4u * kq + 3u][mm] = v.w;
    }`
    : `for (var e = li; e < ${TM * TK}u; e = e + ${threads}u) {
      let kk = e / ${TM}u;
      let mm = e % ${TM}u;
      let gm = m0 + mm;
      let gk = k0 + kk;
      var v = ${t}(0);
      if (gm < M && gk < K) { v = load_a(b, gm, gk); }
      As[kk][mm] = v;
    }`;
  const loadB = vec.b
    ? `for (var e = li; e < ${(TN * TK) / 4}u; e = e + ${threads}u) {
      let kk = e / ${TN / 4}u;
      let nq = e % ${TN / 4}u;
      let gn = n0 + 4u * nq;
      let gk = k0 + kk;
      var v = vec4<${t}>(0);
      if (gn < N && gk < K) { v = load_b4(b, gk, gn); }
      Bs[kk][4u * nq] = v.x;
      Bs[kk][4u * nq + 1u] = v.y;
      Bs[kk][4u * nq + 2u] = v.z;
      Bs[kk][4u * nq + 3u] = v.w;
    }`
    : `for (var e = li; e < ${TN * TK}u; e = e + ${threads}u) {
      let kk = e / ${TN}u;
      let nn = e % ${TN}u;
      let gn = n0 + nn;
      let gk = k0 + kk;
      var v = ${t}(0);
      if (gn < N && gk < K) { v = load_b(b, gk, gn); }
      Bs[kk][nn] = v;
    }`;
  return `${fns}
var<workgroup> As: array<array<${t}, ${TM}>, ${TK}>;
var<workgroup> Bs: array<array<${t}, ${TN}>, ${TK}>;
@compute @workgroup_size(${wg}, ${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let M = u(0u);
  let N = u(1u);
  let K = u(2u);
  let b = wid.z + u(3u);
  let m0 = wid.y * ${TM}u;
  let n0 = wid.x * ${TN}u;
  var acc: array<array<${t}, 4>, 4>;
  for (var k0 = 0u; k0 < K; k0 = k0 + ${TK}u) {
    ${loadA}
    ${loadB}
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk = kk + 1u) {
      var av: array<${t}, 4>;
      var bv: array<${t}, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) {
        av[i] = As[kk][lid3.y + ${wg}u * i];
        bv[i] = Bs[kk][lid3.x + ${wg}u * i];
      }
      for (var i = 0u; i < 4u; i = i + 1u) {
        for (var j = 0u; j < 4u; j = j + 1u) {
          acc[i][j] = acc[i][j] + av[i] * bv[j];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    let m = m0 + lid3.y + ${wg}u * i;
    if (m >= M) { continue; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let n = n0 + lid3.x + ${wg}u * j;
      if (n < N) { store(b, m, n, acc[i][j]); }
    }
  }
}`;
}

/**
 * Dispatches a tiled GEMM over `batches` batches (split into chunks of at most 65535), with
 * the tiling `gemmTile` picks for M × N (`body` gets its `wg`; it is part of the key).
 */
export function dispatchGemm(
  ctx: KernelContext,
  op: string,
  key: string,
  M: number,
  N: number,
  batches: number,
  spec: Omit<DispatchSpec, 'op' | 'key' | 'workgroups' | 'meta' | 'body'> & {
    meta: (batch0: number) => number[];
    body: (wg: number) => string;
  },
): void {
  const wg = gemmTile(M, N);
  const gx = Math.ceil(N / (4 * wg));
  const gy = Math.ceil(M / (4 * wg));
  const tiled = { ...spec, key: `${key}|wg${wg}`, body: () => spec.body(wg) };
  if (gx > MAX_GROUPS_PER_DIM || gy > MAX_GROUPS_PER_DIM) {
    throw new Error(`webgpu ${op}: ${M} × ${N} output is too large for one dispatch`);
  }
  for (let b0 = 0; b0 < batches; b0 += MAX_GROUPS_PER_DIM) {
    const nb = Math.min(MAX_GROUPS_PER_DIM, batches - b0);
    ctx.dispatch({ ...tiled, op, meta: spec.meta(b0), workgroups: [gx, gy, nb] });
  }
}

/** WGSL of the plain epilogue: `out0[gi] = v` (bool normalized to 0 or 1). */
export function plainStore(dtype: DType): string {
  const t = computeType(dtype);
  const v = dtype === 'bool' ? 'select(0u, 1u, v != 0u)' : dtype === 'f16' ? 'f16(v)' : 'v';
  return `fn epi_store(gi: u32, v: ${t}) { out0[gi] = ${v}; }`;
}

/** The own uniforms of the GEMM kernels end before this word (fused code's come after). */
const GEMM_META = 10;

function matmulFns(dtype: DType, epilogue: string, vec: GemmVec): string {
  const t = computeType(dtype);
  // A vec4 binding is indexed in vectors: the (unit-stride, 4-aligned) element offset / 4.
  const a = vec.a
    ? `fn load_a4(b: u32, m: u32, k: u32) -> vec4<${t}> { return in0[(b * u(4u) + m * u(5u) + k) >> 2u]; }`
    : `fn load_a(b: u32, m: u32, k: u32) -> ${t} { return ${t}(in0[b * u(4u) + m * u(5u) + k * u(6u)]); }`;
  const b = vec.b
    ? `fn load_b4(b: u32, k: u32, n: u32) -> vec4<${t}> { return in1[(b * u(7u) + k * u(8u) + n) >> 2u]; }`
    : `fn load_b(b: u32, k: u32, n: u32) -> ${t} { return ${t}(in1[b * u(7u) + k * u(8u) + n * u(9u)]); }`;
  return `
${a}
${b}
fn store(b: u32, m: u32, n: u32, v: ${t}) { epi_store((b * u(0u) + m) * u(1u) + n, v); }
${epilogue}
`;
}

/**
 * dot_general as batched matmul: out[b, m, n] = Σ_k lhs[b, m, k] · rhs[b, k, n], with each of
 * b, m, n, k standing for a group of dims read through one stride (transposed operands cost
 * nothing); operands whose groups are not contiguous are transposed first.
 */
export const dotGeneralKernel: Kernel<'dot_general'> = (ctx, inputs, params, out) =>
  dotGeneral(ctx, inputs, params, out);

/**
 * dot_general, optionally with fused elementwise code applied to each output before it is
 * stored (`fusion`: its extra inputs are bound after lhs and rhs, its uniforms after the
 * GEMM's ten).
 */
export function dotGeneral(
  ctx: KernelContext,
  inputs: readonly GpuOperand[],
  params: PrimParams['dot_general'],
  out: OutputSpec,
  fusion?: KernelFusion,
): WebGpuBuffer {
  expectInputs('dot_general', inputs, 2);
  const [lhs, rhs] = inputs as [GpuOperand, GpuOperand];
  const { lhsContract, rhsContract, lhsBatch, rhsBatch } = params;
  if (lhsContract.length !== rhsContract.length || lhsBatch.length !== rhsBatch.length) {
    throw new Error('webgpu dot_general: contracting/batch dims of lhs and rhs differ in number');
  }
  if (lhs.dtype !== rhs.dtype || lhs.dtype !== out.dtype) {
    throw new Error(`webgpu dot_general: dtypes ${lhs.dtype}, ${rhs.dtype} -> ${out.dtype} must agree`);
  }
  const lhsFree = lhs.shape.map((_, d) => d).filter((d) => !lhsContract.includes(d) && !lhsBatch.includes(d));
  const rhsFree = rhs.shape.map((_, d) => d).filter((d) => !rhsContract.includes(d) && !rhsBatch.includes(d));
  const B = prod(lhsBatch, lhs.shape);
  const M = prod(lhsFree, lhs.shape);
  const N = prod(rhsFree, rhs.shape);
  const K = prod(lhsContract, lhs.shape);
  if (K !== prod(rhsContract, rhs.shape) || B !== prod(rhsBatch, rhs.shape)) {
    throw new Error('webgpu dot_general: contracting or batch sizes of lhs and rhs differ');
  }
  if (B * M * N !== sizeOf(out.shape))
    throw new Error(`webgpu dot_general: output [${out.shape}] has the wrong size`);
  const buf = ctx.alloc('dot_general', fusion?.out ?? out);
  if (B * M * N === 0) return buf;
  const temps: WebGpuBuffer[] = [];
  const a = operandStrides(ctx, lhs, lhsBatch, lhsFree, lhsContract, temps);
  const b = operandStrides(ctx, rhs, rhsBatch, rhsFree, rhsContract, temps);
  // vec4 loads (f32 only): unit stride along the loaded dim, a multiple of 4 in size, and
  // every other stride that can be nonzero a multiple of 4, so each vector is 16-byte aligned.
  const f32 = out.dtype === 'f32';
  const vec: GemmVec = {
    a: f32 && a.sk === 1 && K % 4 === 0 && (M === 1 || a.sf % 4 === 0) && (B === 1 || a.sb % 4 === 0),
    b: f32 && b.sf === 1 && N % 4 === 0 && b.sk % 4 === 0 && (B === 1 || b.sb % 4 === 0),
  };
  const vkey = `${vec.a ? 'va' : ''}${vec.b ? 'vb' : ''}`;
  const key = fusion ? `matmul:${out.dtype}${vkey}|${fusion.key}` : `matmul:${out.dtype}${vkey}`;
  dispatchGemm(ctx, 'dot_general', key, M, N, B, {
    inputs: [
      { buf: a.buf, type: vec.a ? 'vec4<f32>' : storageType(lhs.dtype) },
      { buf: b.buf, type: vec.b ? 'vec4<f32>' : storageType(rhs.dtype) },
      ...(fusion?.inputs ?? []),
    ],
    outputs: [{ buf, type: storageType(fusion?.out.dtype ?? out.dtype) }],
    // M N K batch0 | lhs: sb sm sk | rhs: sb sk sn | fused code's
    meta: (b0) => [M, N, K, b0, a.sb, a.sf, a.sk, b.sb, b.sk, b.sf, ...(fusion?.meta ?? [])],
    body: (wg) =>
      tiledGemmBody(
        out.dtype,
        matmulFns(out.dtype, fusion ? fusion.code(2, GEMM_META) : plainStore(out.dtype), vec),
        wg,
        vec,
      ),
  });
  for (const tmp of temps) ctx.release(tmp);
  return buf;
}
