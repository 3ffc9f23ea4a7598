import type { DType } from '../../../core/dtype.ts';
import {
  expectInputs,
  type GpuOperand,
  type Kernel,
  type KernelContext,
  type WebGpuBuffer,
} from '../kernel.ts';
import { MAX_GROUPS_PER_DIM, sizeOf, storageType, stridesOf } from '../wgsl.ts';
import { affineGather } from './movement.ts';

/** Output tile per workgroup (TM × TN), contraction step TK, and outputs per thread (4 × 4). */
const TM = 32;
const TN = 32;
const TK = 16;

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

function accType(dtype: DType): string {
  return storageType(dtype);
}

function matmulBody(dtype: DType): string {
  const t = storageType(dtype);
  const a = accType(dtype);
  const store = dtype === 'bool' ? (v: string) => `select(0u, 1u, ${v} != 0u)` : (v: string) => v;
  return `
var<workgroup> As: array<array<${t}, ${TM}>, ${TK}>;
var<workgroup> Bs: array<array<${t}, ${TN}>, ${TK}>;
@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let M = u(0u);
  let N = u(1u);
  let K = u(2u);
  let b = wid.z + u(3u);
  let abase = b * u(4u);
  let bbase = b * u(7u);
  let sam = u(5u);
  let sak = u(6u);
  let sbk = u(8u);
  let sbn = u(9u);
  let m0 = wid.y * ${TM}u;
  let n0 = wid.x * ${TN}u;
  var acc: array<array<${a}, 4>, 4>;
  for (var k0 = 0u; k0 < K; k0 = k0 + ${TK}u) {
    for (var e = li; e < ${TM * TK}u; e = e + 64u) {
      let kk = e / ${TM}u;
      let mm = e % ${TM}u;
      let gm = m0 + mm;
      let gk = k0 + kk;
      var v = ${t}(0);
      if (gm < M && gk < K) { v = in0[abase + gm * sam + gk * sak]; }
      As[kk][mm] = v;
    }
    for (var e = li; e < ${TN * TK}u; e = e + 64u) {
      let kk = e / ${TN}u;
      let nn = e % ${TN}u;
      let gn = n0 + nn;
      let gk = k0 + kk;
      var v = ${t}(0);
      if (gn < N && gk < K) { v = in1[bbase + gk * sbk + gn * sbn]; }
      Bs[kk][nn] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk = kk + 1u) {
      var av: array<${a}, 4>;
      var bv: array<${a}, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) {
        av[i] = ${a}(As[kk][lid3.y + 8u * i]);
        bv[i] = ${a}(Bs[kk][lid3.x + 8u * i]);
      }
      for (var i = 0u; i < 4u; i = i + 1u) {
        for (var j = 0u; j < 4u; j = j + 1u) {
          acc[i][j] = acc[i][j] + av[i] * bv[j];
        }
      }
    }
    workgroupBarrier();
  }
  let obase = b * M * N;
  for (var i = 0u; i < 4u; i = i + 1u) {
    let m = m0 + lid3.y + 8u * i;
    if (m >= M) { continue; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let n = n0 + lid3.x + 8u * j;
      if (n < N) { out0[obase + m * N + n] = ${store('acc[i][j]')}; }
    }
  }
}`;
}

/**
 * dot_general as batched matmul: out[b, m, n] = Σ_k lhs[b, m, k] · rhs[b, k, n], with each of
 * b, m, n, k standing for a group of dims read through one stride (transposed operands cost
 * nothing); operands whose groups are not contiguous are transposed first. Tiled 32 × 32 in
 * workgroup memory, 4 × 4 outputs per thread.
 */
export const dotGeneralKernel: Kernel<'dot_general'> = (ctx, inputs, params, out) => {
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
  const buf = ctx.alloc('dot_general', out);
  if (B * M * N === 0) return buf;
  const temps: WebGpuBuffer[] = [];
  const a = operandStrides(ctx, lhs, lhsBatch, lhsFree, lhsContract, temps);
  const b = operandStrides(ctx, rhs, rhsBatch, rhsFree, rhsContract, temps);
  const gx = Math.ceil(N / TN);
  const gy = Math.ceil(M / TM);
  if (gx > MAX_GROUPS_PER_DIM || gy > MAX_GROUPS_PER_DIM) {
    throw new Error(`webgpu dot_general: ${M} × ${N} output is too large for one dispatch`);
  }
  const t = storageType(out.dtype);
  for (let b0 = 0; b0 < B; b0 += MAX_GROUPS_PER_DIM) {
    const nb = Math.min(MAX_GROUPS_PER_DIM, B - b0);
    ctx.dispatch({
      op: 'dot_general',
      key: `matmul:${out.dtype}`,
      inputs: [
        { buf: a.buf, type: storageType(lhs.dtype) },
        { buf: b.buf, type: storageType(rhs.dtype) },
      ],
      outputs: [{ buf, type: t }],
      // M N K batch0 | lhs: sb sm sk | rhs: sb sk sn
      meta: [M, N, K, b0, a.sb, a.sf, a.sk, b.sb, b.sk, b.sf],
      workgroups: [gx, gy, nb],
      body: () => matmulBody(out.dtype),
    });
  }
  for (const tmp of temps) ctx.release(tmp);
  return buf;
};
