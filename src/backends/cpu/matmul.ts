/**
 * The matrix-multiply engine behind dot_general and conv_general:
 *
 *   C[i, j] += Σ_k A[i, k] · B[k, j]
 *
 * where A and B are strided views (any row and column strides, so transposed operands are
 * read in place) and C is a Float64Array with row stride `ldc`. Large products use the
 * GotoBLAS scheme: blocks of A and B are packed into contiguous Float64Array panels (which
 * reads each operand once per block through its strides, whatever its layout) and a 4×4
 * register-tiled micro-kernel runs over the panels, accumulating in JS doubles. Small
 * products skip packing and use a direct loop.
 */
import type { NumArray } from './strides.ts';

/** A strided 2-d view into an array: element (r, c) is data[off + r·rs + c·cs]. */
export interface MatView {
  readonly data: NumArray;
  readonly off: number;
  readonly rs: number;
  readonly cs: number;
}

/** Output of a product: a Float64Array region with row stride ldc and unit column stride. */
export interface OutView {
  readonly data: Float64Array;
  readonly off: number;
  readonly ldc: number;
}

/** An f32 or f64 output region (the direct loop writes either). */
export interface AnyOutView {
  readonly data: Float64Array | Float32Array;
  readonly off: number;
  readonly ldc: number;
}

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;
/** Below this many multiply-adds, packing costs more than it saves (measured: even 6×576×25 gains 2×). */
export const DIRECT_FLOPS = 16 * 16 * 16;

// Packing buffers, reused across calls (single-threaded; grown on demand, at most
// MC·KC and KC·NC doubles: 256 KiB and 4 MiB).
let packA = new Float64Array(0);
let packB = new Float64Array(0);
/** Scratch for an edge micro-tile. */
const EDGE = new Float64Array(MR * NR);

/** C += A·B for A: M×K, B: K×N. */
export function gemm(M: number, N: number, K: number, A: MatView, B: MatView, C: OutView): void {
  if (M === 0 || N === 0 || K === 0) return;
  if (M * N * K <= DIRECT_FLOPS || M < MR || N < NR) {
    gemmDirect(M, N, K, A, B, C);
    return;
  }
  const kcMax = Math.min(KC, K);
  const mcMax = Math.min(MC, roundUp(M, MR));
  const ncMax = Math.min(NC, roundUp(N, NR));
  if (packA.length < mcMax * kcMax) packA = new Float64Array(mcMax * kcMax);
  if (packB.length < kcMax * ncMax) packB = new Float64Array(kcMax * ncMax);
  const ap = packA;
  const bp = packB;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packPanelB(B, pc, kc, jc, nc, bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packPanelA(A, ic, mc, pc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bOff = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const co = C.off + (ic + ir) * C.ldc + jc + jr;
            // A last sliver of 1-2 rows (M = 6 in conv layers) skips the padded rows' work.
            if (mr <= 2) kernel2x4(kc, ap, ir * kc, bp, bOff, C.data, co, C.ldc, mr, nr);
            else kernel4x4(kc, ap, ir * kc, bp, bOff, C.data, co, C.ldc, mr, nr);
          }
        }
      }
    }
  }
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/** Packs A[i0:i0+mc, p0:p0+kc] as MR-row slivers, each kc columns of MR values (zero-padded). */
function packPanelA(A: MatView, i0: number, mc: number, p0: number, kc: number, ap: Float64Array): void {
  const a = A.data;
  const rs = A.rs;
  const cs = A.cs;
  let q = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const base = A.off + (i0 + ir) * rs + p0 * cs;
    if (rows === MR) {
      for (let p = 0, o = base; p < kc; p++, o += cs) {
        ap[q] = a[o]!;
        ap[q + 1] = a[o + rs]!;
        ap[q + 2] = a[o + 2 * rs]!;
        ap[q + 3] = a[o + 3 * rs]!;
        q += MR;
      }
    } else {
      for (let p = 0, o = base; p < kc; p++, o += cs) {
        for (let r = 0; r < MR; r++) ap[q + r] = r < rows ? a[o + r * rs]! : 0;
        q += MR;
      }
    }
  }
}

/** Packs B[p0:p0+kc, j0:j0+nc] as NR-column slivers, each kc rows of NR values (zero-padded). */
function packPanelB(B: MatView, p0: number, kc: number, j0: number, nc: number, bp: Float64Array): void {
  const b = B.data;
  const rs = B.rs;
  const cs = B.cs;
  let q = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const base = B.off + p0 * rs + (j0 + jr) * cs;
    if (cols === NR) {
      for (let p = 0, o = base; p < kc; p++, o += rs) {
        bp[q] = b[o]!;
        bp[q + 1] = b[o + cs]!;
        bp[q + 2] = b[o + 2 * cs]!;
        bp[q + 3] = b[o + 3 * cs]!;
        q += NR;
      }
    } else {
      for (let p = 0, o = base; p < kc; p++, o += rs) {
        for (let c = 0; c < NR; c++) bp[q + c] = c < cols ? b[o + c * cs]! : 0;
        q += NR;
      }
    }
  }
}

/** C[0:mr, 0:nr] += Ap-sliver · Bp-sliver over kc, with 16 accumulators held in registers. */
function kernel4x4(
  kc: number,
  ap: Float64Array,
  ai0: number,
  bp: Float64Array,
  bi0: number,
  c: Float64Array,
  co: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c23 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  let c33 = 0;
  for (let p = 0, ai = ai0, bi = bi0; p < kc; p++, ai += 4, bi += 4) {
    const a0 = ap[ai]!;
    const a1 = ap[ai + 1]!;
    const a2 = ap[ai + 2]!;
    const a3 = ap[ai + 3]!;
    const b0 = bp[bi]!;
    const b1 = bp[bi + 1]!;
    const b2 = bp[bi + 2]!;
    const b3 = bp[bi + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    c[co] = c[co]! + c00;
    c[co + 1] = c[co + 1]! + c01;
    c[co + 2] = c[co + 2]! + c02;
    c[co + 3] = c[co + 3]! + c03;
    co += ldc;
    c[co] = c[co]! + c10;
    c[co + 1] = c[co + 1]! + c11;
    c[co + 2] = c[co + 2]! + c12;
    c[co + 3] = c[co + 3]! + c13;
    co += ldc;
    c[co] = c[co]! + c20;
    c[co + 1] = c[co + 1]! + c21;
    c[co + 2] = c[co + 2]! + c22;
    c[co + 3] = c[co + 3]! + c23;
    co += ldc;
    c[co] = c[co]! + c30;
    c[co + 1] = c[co + 1]! + c31;
    c[co + 2] = c[co + 2]! + c32;
    c[co + 3] = c[co + 3]! + c33;
    return;
  }
  // Edge tile: write only the rows and columns that exist.
  const t = EDGE;
  t[0] = c00;
  t[1] = c01;
  t[2] = c02;
  t[3] = c03;
  t[4] = c10;
  t[5] = c11;
  t[6] = c12;
  t[7] = c13;
  t[8] = c20;
  t[9] = c21;
  t[10] = c22;
  t[11] = c23;
  t[12] = c30;
  t[13] = c31;
  t[14] = c32;
  t[15] = c33;
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) c[co + r * ldc + j] = c[co + r * ldc + j]! + t[r * 4 + j]!;
  }
}

/** As kernel4x4 for a sliver with at most 2 real rows (of the 4 packed). */
function kernel2x4(
  kc: number,
  ap: Float64Array,
  ai0: number,
  bp: Float64Array,
  bi0: number,
  c: Float64Array,
  co: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  for (let p = 0, ai = ai0, bi = bi0; p < kc; p++, ai += 4, bi += 4) {
    const a0 = ap[ai]!;
    const a1 = ap[ai + 1]!;
    const b0 = bp[bi]!;
    const b1 = bp[bi + 1]!;
    const b2 = bp[bi + 2]!;
    const b3 = bp[bi + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
  }
  const t = EDGE;
  t[0] = c00;
  t[1] = c01;
  t[2] = c02;
  t[3] = c03;
  t[4] = c10;
  t[5] = c11;
  t[6] = c12;
  t[7] = c13;
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) c[co + r * ldc + j] = c[co + r * ldc + j]! + t[r * 4 + j]!;
  }
}

/**
 * Unpacked product for small or thin operands. The loop order follows the layouts: when B's
 * rows are contiguous, i-k-j streams B and C rows; otherwise each C element is a dot
 * product along k.
 */
export function gemmDirect(M: number, N: number, K: number, A: MatView, B: MatView, C: AnyOutView): void {
  const a = A.data;
  const b = B.data;
  const c = C.data;
  const { rs: ars, cs: acs } = A;
  const { rs: brs, cs: bcs } = B;
  if (bcs <= brs) {
    for (let i = 0; i < M; i++) {
      const ci = C.off + i * C.ldc;
      for (let k = 0; k < K; k++) {
        const aik = a[A.off + i * ars + k * acs]!;
        const bk = B.off + k * brs;
        for (let j = 0; j < N; j++) c[ci + j] = c[ci + j]! + aik * b[bk + j * bcs]!;
      }
    }
  } else {
    for (let i = 0; i < M; i++) {
      const ai = A.off + i * ars;
      const ci = C.off + i * C.ldc;
      for (let j = 0; j < N; j++) {
        const bj = B.off + j * bcs;
        let s = 0;
        for (let k = 0; k < K; k++) s += a[ai + k * acs]! * b[bj + k * brs]!;
        c[ci + j] = c[ci + j]! + s;
      }
    }
  }
}
