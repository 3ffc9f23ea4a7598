import type { PrimParams } from '../../../core/primitives.ts';
import type { OutputSpec } from '../../backend.ts';
import {
  expectInputs,
  type GpuOperand,
  type Kernel,
  type KernelContext,
  type KernelFusion,
  type WebGpuBuffer,
  word,
} from '../kernel.ts';
import { grid1d, main1d, sizeOf, storageType } from '../wgsl.ts';
import { dispatchGemm, plainStore, tiledGemmBody } from './matmul.ts';

/** Below this contraction length (Cg · window) the direct kernel beats the GEMM tiles. */
const MIN_GEMM_K = 16;

/**
 * Implicit GEMM per group g: rows m = (n, output position), columns = the group's output
 * channels, contraction k = (input channel, window position); A(m, k) reads the input at the
 * dilated position (or 0), B(k, col) is the weight. Same tiles as dot_general.
 * Params: 0 M, 1 Og, 2 K, 3 batch0, 4 N, 5 C, 6 O, 7 Cg, 8 Og, 9–11 in, 12–14 window,
 * 15–17 out, 18–20 strides, 21–23 lo, 24–26 lhsDil, 27–29 rhsDil, 30–32 dilated in.
 */
function gemmFns(t: string, epilogue: string): string {
  const dim = (a: string, i: number, o: string, k: string) =>
    `  let p${a} = i32(${o} * u(${18 + i}u) + ${k} * u(${27 + i}u)) - s(${21 + i}u);
  if (p${a} < 0 || p${a} >= i32(u(${30 + i}u)) || p${a} % i32(u(${24 + i}u)) != 0) { return ${t}(0); }
  let i${a} = u32(p${a}) / u(${24 + i}u);`;
  return `
fn load_a(g: u32, m: u32, k: u32) -> ${t} {
  var r = m;
  let ox = r % u(17u);
  r = r / u(17u);
  let oy = r % u(16u);
  r = r / u(16u);
  let oz = r % u(15u);
  let n = r / u(15u);
  var q = k;
  let kx = q % u(14u);
  q = q / u(14u);
  let ky = q % u(13u);
  q = q / u(13u);
  let kz = q % u(12u);
  let c = q / u(12u);
${dim('z', 0, 'oz', 'kz')}
${dim('y', 1, 'oy', 'ky')}
${dim('x', 2, 'ox', 'kx')}
  return in0[(((n * u(5u) + g * u(7u) + c) * u(9u) + iz) * u(10u) + iy) * u(11u) + ix];
}
fn load_b(g: u32, k: u32, col: u32) -> ${t} { return in1[(g * u(8u) + col) * u(2u) + k]; }
fn store(g: u32, m: u32, col: u32, v: ${t}) {
  let S = u(15u) * u(16u) * u(17u);
  epi_store(((m / S) * u(6u) + g * u(8u) + col) * S + m % S, v);
}
${epilogue}
`;
}

/**
 * conv_general: implicit GEMM on the dot_general tiles when the contraction (Cg · window) is
 * at least 16 long, else direct, one thread per output element, looping over the group's input
 * channels and the window. Handles 1–3 spatial dims (padded to 3 with size-1 dims), strides,
 * padding of either sign, lhs dilation (transposed convolution) and rhs dilation, and groups.
 * Output o, window k reads the dilated input position p = o·stride + k·rhsDil − lo, valid iff
 * 0 ≤ p < (in−1)·lhsDil+1 and p % lhsDil == 0 (input index p / lhsDil); otherwise it reads 0.
 */
export const convGeneralKernel: Kernel<'conv_general'> = (ctx, inputs, params, out) =>
  convGeneral(ctx, inputs, params, out);

/** conv_general, optionally with fused elementwise code applied to each output before it is stored. */
export function convGeneral(
  ctx: KernelContext,
  inputs: readonly GpuOperand[],
  params: PrimParams['conv_general'],
  out: OutputSpec,
  fusion?: KernelFusion,
): WebGpuBuffer {
  expectInputs('conv_general', inputs, 2);
  const [lhs, rhs] = inputs as [GpuOperand, GpuOperand];
  const S = lhs.shape.length - 2;
  if (S < 1 || S > 3) throw new Error(`webgpu conv_general: ${S} spatial dims (1 to 3 supported)`);
  if (rhs.shape.length !== S + 2 || out.shape.length !== S + 2) {
    throw new Error('webgpu conv_general: lhs, rhs and output ranks differ');
  }
  if (lhs.dtype !== rhs.dtype || lhs.dtype !== out.dtype) {
    throw new Error(`webgpu conv_general: dtypes ${lhs.dtype}, ${rhs.dtype} -> ${out.dtype} must agree`);
  }
  const [N, C] = lhs.shape as [number, number];
  const [O, Cg] = rhs.shape as [number, number];
  const G = params.groups;
  if (G < 1 || C !== Cg * G || O % G !== 0) {
    throw new Error(
      `webgpu conv_general: ${C} input channels, ${Cg} per group and ${O} outputs do not fit ${G} groups`,
    );
  }
  const pad3 = (xs: readonly number[], fill: number): number[] => [
    ...new Array<number>(3 - S).fill(fill),
    ...xs,
  ];
  const inSz = pad3(lhs.shape.slice(2), 1);
  const kSz = pad3(rhs.shape.slice(2), 1);
  const outSz = pad3(out.shape.slice(2), 1);
  const strides = pad3(params.strides, 1);
  const lo = pad3(
    params.padding.map((p) => p[0]),
    0,
  );
  const lhsDil = pad3(params.lhsDilation, 1);
  const rhsDil = pad3(params.rhsDilation, 1);
  const dilIn = inSz.map((n, i) => (n === 0 ? 0 : (n - 1) * lhsDil[i]! + 1));
  const total = sizeOf(out.shape);
  if (total !== N * O * outSz[0]! * outSz[1]! * outSz[2]!)
    throw new Error('webgpu conv_general: output shape mismatch');
  const buf = ctx.alloc('conv_general', fusion?.out ?? out);
  if (total === 0) return buf;
  const t = storageType(out.dtype);
  const outputs = [{ buf, type: storageType(fusion?.out.dtype ?? out.dtype) }];
  const extra = fusion?.inputs ?? [];
  const fkey = fusion ? `|${fusion.key}` : '';
  const epilogue = (metaBase: number) => (fusion ? fusion.code(2, metaBase) : plainStore(out.dtype));
  const K = Cg * kSz[0]! * kSz[1]! * kSz[2]!;
  if (K >= MIN_GEMM_K) {
    const S = outSz[0]! * outSz[1]! * outSz[2]!;
    const Og = O / G;
    const rest = [
      N,
      C,
      O,
      Cg,
      Og,
      ...inSz,
      ...kSz,
      ...outSz,
      ...strides,
      ...lo.map(word),
      ...lhsDil,
      ...rhsDil,
      ...dilIn,
    ];
    const base = 4 + rest.length;
    dispatchGemm(ctx, 'conv_general', `conv-gemm:${out.dtype}${fkey}`, N * S, Og, G, {
      inputs: [{ buf: lhs.buf, type: t }, { buf: rhs.buf, type: t }, ...extra],
      outputs,
      meta: (b0) => [N * S, Og, K, b0, ...rest, ...(fusion?.meta ?? [])],
      body: (wg) => tiledGemmBody(out.dtype, gemmFns(t, epilogue(base)), wg),
    });
    return buf;
  }
  const dim = (axis: string, i: number, o: string, k: string): string => `
      let p${axis} = i32(${o} * u(${15 + i}u) + ${k} * u(${24 + i}u)) - s(${18 + i}u);
      if (p${axis} < 0 || p${axis} >= i32(u(${27 + i}u)) || p${axis} % i32(u(${21 + i}u)) != 0) { continue; }
      let i${axis} = u32(p${axis}) / u(${21 + i}u);`;
  const meta = [
    total,
    N,
    C,
    O,
    Cg,
    O / G,
    ...inSz,
    ...kSz,
    ...outSz,
    ...strides,
    ...lo.map(word),
    ...lhsDil,
    ...rhsDil,
    ...dilIn,
  ];
  const base = meta.length;
  ctx.dispatch({
    op: 'conv_general',
    key: `conv:${out.dtype}${fkey}`,
    inputs: [{ buf: lhs.buf, type: t }, { buf: rhs.buf, type: t }, ...extra],
    outputs,
    meta: [...meta, ...(fusion?.meta ?? [])],
    workgroups: grid1d(total),
    body: () => `${epilogue(base)}
${main1d()}
  if (gi >= u(0u)) { return; }
  var rem = gi;
  let ox = rem % u(14u);
  rem = rem / u(14u);
  let oy = rem % u(13u);
  rem = rem / u(13u);
  let oz = rem % u(12u);
  rem = rem / u(12u);
  let oc = rem % u(3u);
  let n = rem / u(3u);
  let cg = u(4u);
  let g = oc / u(5u);
  let inZ = u(6u);
  let inY = u(7u);
  let inX = u(8u);
  let kZ = u(9u);
  let kY = u(10u);
  let kX = u(11u);
  var acc = ${t}(0);
  for (var c = 0u; c < cg; c = c + 1u) {
    let ib = (n * u(2u) + g * cg + c) * inZ * inY * inX;
    let wb = (oc * cg + c) * kZ * kY * kX;
    for (var kz = 0u; kz < kZ; kz = kz + 1u) {${dim('z', 0, 'oz', 'kz')}
      for (var ky = 0u; ky < kY; ky = ky + 1u) {${dim('y', 1, 'oy', 'ky')}
        for (var kx = 0u; kx < kX; kx = kx + 1u) {${dim('x', 2, 'ox', 'kx')}
          acc = acc + in0[ib + (iz * inY + iy) * inX + ix] * in1[wb + (kz * kY + ky) * kX + kx];
        }
      }
    }
  }
  epi_store(gi, acc);
}`,
  });
  return buf;
}
