/**
 * f32 GEMM on the WebAssembly SIMD micro-kernel: C = A·B, with the GotoBLAS blocking of
 * `matmul.ts` (NC columns, KC depth, MC rows). Packing reads A through its strides and B
 * through a `PackB` (a strided view, or a convolution's im2col gather), so transposes,
 * batch dims and convolutions all reach the kernel without an intermediate copy. The
 * product accumulates in f32 inside the kernel, into a zeroed f32 scratch in wasm memory,
 * which is copied into C once per NC block (a memcpy for f32 outputs).
 */
import { DIRECT_FLOPS, gemmDirect, type MatView } from '../matmul.ts';
import type { NumArray } from '../strides.ts';
import { cachedPanels } from './packed-cache.ts';
import { wasmKernels } from './runtime.ts';
import { MR as KERNEL_MR, NR as KERNEL_NR } from './sgemm-kernel.ts';

// Module-level copies: an imported binding read in a hot loop can cost a getter call under
// some loaders (tsx's ESM interop), 30% of a 512² product.
const MR = KERNEL_MR;
const NR = KERNEL_NR;

/** Depth, rows and columns of a block (A block 120×256 f32 = 120 KiB stays in L2). */
const KC = 256;
const MC = 120;
const NC = 1024;

/**
 * An f32 or f64 output region: element (i, j) at off + i·ldc + j, or, with `groups`, at
 * off + i·ldc + ⌊j / size⌋·stride + j mod size (a convolution batched over its images:
 * column j = (image, position) lands in that image's output plane).
 */
export interface OutRegion {
  readonly data: Float32Array | Float64Array;
  readonly off: number;
  readonly ldc: number;
  readonly groups?: { readonly size: number; readonly stride: number };
  /** Add the product into C instead of overwriting it (C += A·B). */
  readonly accumulate?: boolean;
}

/**
 * Writes B[p0:p0+kc, j0:j0+nc] into `dst` from float index `at` as NR-column slivers (kc
 * rows of NR values each), zero-padding the last sliver's missing columns.
 */
export type PackB = (p0: number, kc: number, j0: number, nc: number, dst: Float32Array, at: number) => void;

/**
 * The packer for a strided view B (element (k, j) at off + k·rs + j·cs).
 *
 * @example
 * const pack = packFromView({ data: b, off: 0, rs: n, cs: 1 });
 */
export function packFromView(B: MatView): PackB {
  const { data: b, rs, cs } = B;
  return (p0, kc, j0, nc, dst, at) => {
    let q = at;
    for (let jr = 0; jr < nc; jr += NR) {
      const cols = Math.min(NR, nc - jr);
      const base = B.off + p0 * rs + (j0 + jr) * cs;
      if (cols === NR && cs === 1) {
        for (let p = 0, o = base; p < kc; p++, o += rs, q += NR) {
          for (let c = 0; c < NR; c++) dst[q + c] = b[o + c]!;
        }
      } else if (cols === NR) {
        // column-major B (a transposed operand): walk each column along k, where it is contiguous
        for (let c = 0; c < NR; c++) {
          for (let p = 0, o = base + c * cs, d = q + c; p < kc; p++, o += rs, d += NR) dst[d] = b[o]!;
        }
        q += kc * NR;
      } else {
        for (let p = 0, o = base; p < kc; p++, o += rs, q += NR) {
          for (let c = 0; c < NR; c++) dst[q + c] = c < cols ? b[o + c * cs]! : 0;
        }
      }
    }
  };
}

/** Packs A[i0:i0+mc, p0:p0+kc] as MR-row slivers, each kc columns of MR values (zero-padded). */
function packA(
  A: MatView,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  dst: Float32Array,
  at: number,
): void {
  const a: NumArray = A.data;
  const { rs, cs } = A;
  let q = at;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const base = A.off + (i0 + ir) * rs + p0 * cs;
    if (rows === MR) {
      for (let p = 0, o = base; p < kc; p++, o += cs, q += MR) {
        for (let r = 0, x = o; r < MR; r++, x += rs) dst[q + r] = a[x]!;
      }
    } else {
      for (let p = 0, o = base; p < kc; p++, o += cs, q += MR) {
        for (let r = 0; r < MR; r++) dst[q + r] = r < rows ? a[o + r * rs]! : 0;
      }
    }
  }
}

/** B's panels from the packed cache (packed-cache.ts), in the loop order of `sgemm`. */
function reusedPanels(B: MatView, K: number, N: number, pack: PackB): Float32Array | undefined {
  const size = K * roundUp(N, NR);
  return cachedPanels(B.data, B.off, B.rs, B.cs, K, N, size, (into) => {
    let at = 0;
    for (let jc = 0; jc < N; jc += NC) {
      const nc = Math.min(NC, N - jc);
      for (let pc = 0; pc < K; pc += KC) {
        const kc = Math.min(KC, K - pc);
        pack(pc, kc, jc, nc, into, at);
        at += kc * roundUp(nc, NR);
      }
    }
  });
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/**
 * C[0:M, 0:N] = A·B (or += with `accumulate`) for A: M×K (a strided view) and B: K×N (given by its packer, or a
 * strided view), accumulating in f32 on the SIMD kernel. Tiny products run the direct loop.
 *
 * @example
 * const c = new Float32Array(4);
 * sgemm(2, 2, 2, { data: a, off: 0, rs: 2, cs: 1 }, { data: b, off: 0, rs: 2, cs: 1 }, { data: c, off: 0, ldc: 2 });
 */
export function sgemm(M: number, N: number, K: number, A: MatView, B: MatView | PackB, C: OutRegion): void {
  if (M === 0 || N === 0) return;
  if (K === 0 || (M * N * K <= DIRECT_FLOPS && typeof B !== 'function' && !C.groups)) {
    if (!C.accumulate) for (let i = 0; i < M; i++) C.data.fill(0, C.off + i * C.ldc, C.off + i * C.ldc + N);
    gemmDirect(M, N, K, A, B as MatView, C);
    return;
  }
  const pack = typeof B === 'function' ? B : packFromView(B);
  const panels = typeof B === 'function' ? undefined : reusedPanels(B, K, N, pack);
  let panelAt = 0;
  const k = wasmKernels();
  const kcMax = Math.min(KC, K);
  const mPad = roundUp(M, MR);
  const ncPadMax = roundUp(Math.min(NC, N), NR);
  // byte layout: [A block | B panel | C scratch]
  const aAt = 0;
  const bAt = aAt + Math.min(MC, mPad) * kcMax;
  const cAt = bAt + kcMax * ncPadMax;
  k.reserve(4 * (cAt + mPad * ncPadMax));
  const mem = k.f32();
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    const ncPad = roundUp(nc, NR);
    mem.fill(0, cAt, cAt + mPad * ncPad);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      if (panels) {
        mem.set(panels.subarray(panelAt, panelAt + kc * ncPad), bAt);
        panelAt += kc * ncPad;
      } else pack(pc, kc, jc, nc, mem, bAt);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packA(A, ic, mc, pc, kc, mem, aAt);
        k.sgemm_block(roundUp(mc, MR), ncPad, kc, 4 * aAt, 4 * bAt, 4 * (cAt + ic * ncPad), ncPad);
      }
    }
    copyOut(mem, cAt, ncPad, M, jc, nc, C);
  }
}

/** C[0:M, jc:jc+nc] = the scratch block at `at` (row stride ncPad), through C's layout. */
function copyOut(
  mem: Float32Array,
  at: number,
  ncPad: number,
  M: number,
  jc: number,
  nc: number,
  C: OutRegion,
): void {
  const out = C.data;
  // without groups, one group spans every column
  const size = C.groups?.size ?? jc + nc;
  const stride = C.groups?.stride ?? 0;
  // runs of columns within one group: [j, end) lands contiguously
  for (let j = jc; j < jc + nc; ) {
    const g = Math.floor(j / size);
    const inGroup = j - g * size;
    const end = Math.min(jc + nc, j + (size - inGroup));
    const base = C.off + g * stride + inGroup;
    for (let i = 0; i < M; i++) {
      const src = at + i * ncPad + (j - jc);
      const dst = base + i * C.ldc;
      if (C.accumulate) for (let t = 0; t < end - j; t++) out[dst + t] = out[dst + t]! + mem[src + t]!;
      else out.set(mem.subarray(src, src + end - j), dst);
    }
    j = end;
  }
}
