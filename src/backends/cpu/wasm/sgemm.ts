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
import { GEMM_MR as KERNEL_MR, NR as KERNEL_NR } from './sgemm-kernel.ts';

// Module-level copies: an imported binding read in a hot loop can cost a getter call under
// some loaders (tsx's ESM interop), 30% of a 512² product.
const MR = KERNEL_MR;
const NR = KERNEL_NR;

/** Depth, rows and columns of a block (A block 120×256 f32 = 120 KiB stays in L2). */
const KC = 256;
const MC = 120;
const NC = 1024;

/**
 * The block length for n items in blocks of at most `max`: equal blocks (a multiple of
 * `align`), so K = 784 runs as 4 × 196 rather than 3 × 256 + 16, whose short last block
 * spends as long loading and storing C tiles as multiplying.
 */
function blockStep(n: number, max: number, align: number): number {
  return Math.min(max, roundUp(Math.ceil(n / Math.ceil(n / max)), align));
}

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
function packAJs(
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

/** An f32 operand copied whole into wasm memory: its element e sits at float `at + e - lo`. */
interface Staged {
  readonly lo: number;
  readonly at: number;
}

/** Largest operand (floats) staged whole; a bigger one is staged block by block. */
const MAX_STAGED = 4 * 1024 * 1024;

/**
 * The span of floats a rows × cols view covers, when it may be staged whole with one `set`:
 * an f32 view with a unit stride, dense enough that the span is not much more than the
 * values (a slice of a wider matrix is staged block by block instead). Else undefined.
 */
function wholeSpan(V: MatView, rows: number, cols: number): [number, number] | undefined {
  if (!(V.data instanceof Float32Array) || (V.rs !== 1 && V.cs !== 1)) return undefined;
  const hi = V.off + (rows - 1) * V.rs + (cols - 1) * V.cs + 1;
  const n = hi - V.off;
  return n <= MAX_STAGED && n <= rows * cols + (rows * cols) / 4 + STAGE_SLACK ? [V.off, hi] : undefined;
}

/** Copies data[lo, hi) to float `at` of wasm memory (one memcpy): a `Staged` operand. */
function stageWhole(data: Float32Array, [lo, hi]: [number, number], mem: Float32Array, at: number): Staged {
  mem.set(data.subarray(lo, hi), at);
  return { lo, at };
}

/**
 * Where the wasm packers read the `lanes` × `steps` block of an f32 operand whose lane l,
 * step p sits at base + l·laneStride + p·stepStride (one of the strides 1): [float address,
 * row stride in floats]. A whole-staged operand is read in place; otherwise the block is
 * copied to `stage`, with one `set` if it is nearly contiguous in the source, else run by run.
 */
function blockSource(
  data: Float32Array,
  base: number,
  laneStride: number,
  stepStride: number,
  lanes: number,
  steps: number,
  mem: Float32Array,
  stage: number,
  whole: Staged | undefined,
): [number, number] {
  // the contiguous runs: along the lanes when laneStride is 1, else along the steps
  const [run, runs, stride] = laneStride === 1 ? [lanes, steps, stepStride] : [steps, lanes, laneStride];
  if (whole) return [whole.at + base - whole.lo, stride];
  if (stride <= run + STAGE_SLACK) {
    mem.set(data.subarray(base, base + (runs - 1) * stride + run), stage);
    return [stage, stride];
  }
  for (let r = 0; r < runs; r++)
    mem.set(data.subarray(base + r * stride, base + r * stride + run), stage + r * run);
  return [stage, run];
}

/** Floats a staged run may carry beyond the block (see `stageBlock`). */
const STAGE_SLACK = 64;

/**
 * Packs A[i0:i0+mc, p0:p0+kc] into wasm memory at `at` (as `packAJs`): the whole MR-row
 * slivers by the wasm packers from a staged copy when A is an f32 array with a unit stride,
 * the rest (a last partial sliver, other layouts) in JavaScript.
 */
function packA(
  A: MatView,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  mem: Float32Array,
  at: number,
  stage: number,
  whole: Staged | undefined,
): void {
  const full = A.data instanceof Float32Array && (A.cs === 1 || A.rs === 1) ? mc - (mc % MR) : 0;
  if (full > 0) {
    const k = wasmKernels();
    const base = A.off + i0 * A.rs + p0 * A.cs;
    const [src, ld] = blockSource(A.data as Float32Array, base, A.rs, A.cs, full, kc, mem, stage, whole);
    // row-major A: each row is a run along k (a transpose); column-major: MR rows per step are contiguous
    (A.cs === 1 && A.rs !== 1 ? k.pack_trans4 : k.pack_contig4)(4 * src, ld, kc, full / MR, 4 * at);
  }
  if (full < mc) packAJs(A, i0 + full, mc - full, p0, kc, mem, at + full * kc);
}

/**
 * The wasm packer for B when it is an f32 strided view with a unit stride: whole NR-column
 * slivers from a staged copy (row-major B: contiguous lanes; column-major: a transpose), the
 * last partial sliver by `js`. Writes into wasm memory only; undefined for other layouts.
 */
function wasmPackB(B: MatView, js: PackB, stage: number, whole: Staged | undefined): PackB | undefined {
  const { data, rs, cs } = B;
  if (!(data instanceof Float32Array) || (rs !== 1 && cs !== 1)) return undefined;
  return (p0, kc, j0, nc, dst, at) => {
    const full = nc - (nc % NR);
    if (full > 0) {
      const k = wasmKernels();
      const [src, ld] = blockSource(data, B.off + p0 * rs + j0 * cs, cs, rs, full, kc, dst, stage, whole);
      (cs === 1 && rs !== 1 ? k.pack_contig8 : k.pack_trans8)(4 * src, ld, kc, full / NR, 4 * at);
    }
    if (full < nc) js(p0, kc, j0 + full, nc - full, dst, at + full * kc);
  };
}

/** B's panels from the packed cache (packed-cache.ts), in the loop order of `sgemm`. */
function reusedPanels(
  B: MatView,
  K: number,
  N: number,
  kcStep: number,
  ncStep: number,
  pack: PackB,
): Float32Array | undefined {
  const size = K * roundUp(N, NR);
  return cachedPanels(B.data, B.off, B.rs, B.cs, K, N, size, (into) => {
    let at = 0;
    for (let jc = 0; jc < N; jc += ncStep) {
      const nc = Math.min(ncStep, N - jc);
      for (let pc = 0; pc < K; pc += kcStep) {
        const kc = Math.min(kcStep, K - pc);
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
  const kcStep = blockStep(K, KC, 1);
  const mcStep = blockStep(M, MC, MR);
  const ncStep = blockStep(N, NC, NR);
  const panels = typeof B === 'function' ? undefined : reusedPanels(B, K, N, kcStep, ncStep, pack);
  let panelAt = 0;
  const k = wasmKernels();
  const kcMax = Math.min(kcStep, K);
  const mPad = roundUp(M, MR);
  const ncPadMax = roundUp(Math.min(ncStep, N), NR);
  // float layout: [A block | B panel | C scratch | block staging | A whole | B whole]
  const aAt = 0;
  const mcMax = Math.min(mcStep, mPad);
  const bAt = aAt + mcMax * kcMax;
  const cAt = bAt + kcMax * ncPadMax;
  const stage = cAt + mPad * ncPadMax;
  // a staged block is at most (runs) × (run + slack) with run, runs among kc, mc, nc
  const aWholeAt = stage + (kcMax + STAGE_SLACK) * (Math.max(mcMax, ncPadMax) + STAGE_SLACK);
  const aSpan = wholeSpan(A, M, K);
  const bSpan = typeof B === 'function' || panels ? undefined : wholeSpan(B, K, N);
  const bWholeAt = aWholeAt + (aSpan ? aSpan[1] - aSpan[0] : 0);
  k.reserve(4 * (bWholeAt + (bSpan ? bSpan[1] - bSpan[0] : 0)));
  const mem = k.f32();
  // each operand is copied into wasm memory once (a memcpy), then packed block by block there
  const aWhole = aSpan && stageWhole(A.data as Float32Array, aSpan, mem, aWholeAt);
  const bWhole = bSpan && stageWhole((B as MatView).data as Float32Array, bSpan, mem, bWholeAt);
  const packB = (typeof B !== 'function' && !panels && wasmPackB(B, pack, stage, bWhole)) || pack;
  for (let jc = 0; jc < N; jc += ncStep) {
    const nc = Math.min(ncStep, N - jc);
    const ncPad = roundUp(nc, NR);
    for (let pc = 0; pc < K; pc += kcStep) {
      const kc = Math.min(kcStep, K - pc);
      if (panels) {
        mem.set(panels.subarray(panelAt, panelAt + kc * ncPad), bAt);
        panelAt += kc * ncPad;
      } else packB(pc, kc, jc, nc, mem, bAt);
      for (let ic = 0; ic < M; ic += mcStep) {
        const mc = Math.min(mcStep, M - ic);
        packA(A, ic, mc, pc, kc, mem, aAt, stage, aWhole);
        // the first k block overwrites the scratch, so it needs no zero-fill
        (pc === 0 ? k.sgemm_block0 : k.sgemm_block)(
          roundUp(mc, MR),
          ncPad,
          kc,
          4 * aAt,
          4 * bAt,
          4 * (cAt + ic * ncPad),
          ncPad,
        );
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
