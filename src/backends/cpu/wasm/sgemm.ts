/**
 * f32 GEMM on the WebAssembly SIMD micro-kernel: C = A·B, with the GotoBLAS blocking of
 * `matmul.ts` (NC columns, KC depth, MC rows; equal blocks). A strided operand is copied into
 * wasm memory once (a memcpy) and packed there block by block by the wasm packer through its
 * strides, so transposes and batch dims reach the kernel without a JavaScript gather; a
 * convolution's B comes from its own `PackB` (an im2col gather). The product accumulates in
 * f32 inside the kernel, into an f32 scratch in wasm memory (the first k block stores, the
 * rest add), which is copied into C once per NC block (a memcpy for f32 outputs).
 */
import { DIRECT_FLOPS, gemmDirect, type MatView } from '../matmul.ts';
import { gemmPool } from './gemm-pool.ts';
import { cachedPanels } from './packed-cache.ts';
import { wasmKernels } from './runtime.ts';
import { MR as KERNEL_MR, NR as KERNEL_NR } from './sgemm-kernel.ts';

// Module-level copies: an imported binding read in a hot loop can cost a getter call under
// some loaders (tsx's ESM interop), 30% of a 512² product.
const MR = KERNEL_MR;
const NR = KERNEL_NR;

/** Most depth, rows and columns of a block (A block 120×256 f32 = 120 KiB stays in L2). */
const KC = 256;
const MC = 120;
const NC = 1024;

/** Least multiply-adds per k block (M·nc·kc) worth a pool round trip (~20 µs) across threads. */
const THREAD_MIN = 1 << 21;

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
 * rows of NR values each), zero-padding the last sliver's missing columns. A packer with
 * `scratchFloats` gets that many floats of wasm memory of its own from float `scratch` on
 * (the same for every call of one product), for data its wasm gather reads.
 */
export interface PackB {
  (p0: number, kc: number, j0: number, nc: number, dst: Float32Array, at: number, scratch: number): void;
  readonly scratchFloats?: number;
}

/** Most floats an operand, or the C scratch, takes in wasm memory; bigger products run in strips. */
const STAGE_MAX = 1 << 22;

/** Floats the rows × cols view V spans in its array; 0 when too sparse to copy whole (a slice of a wider matrix). */
function span(V: MatView, rows: number, cols: number): number {
  const n = (rows - 1) * V.rs + (cols - 1) * V.cs + 1;
  return n <= 2 * rows * cols + 4096 ? n : 0;
}

/**
 * Copies the rows × cols view V into wasm memory from float `at` (converted to f32) and returns
 * its [row, column] strides there: its whole span with one `set`, or, when that is sparse,
 * compacted: one `set` per row (or per column, for a transposed view) when those are
 * contiguous, as in a slice of a wider matrix.
 */
function stage(V: MatView, rows: number, cols: number, mem: Float32Array, at: number): [number, number] {
  // CPU buffers are typed arrays
  const data = V.data as Float32Array;
  const { off, rs, cs } = V;
  const n = span(V, rows, cols);
  if (n) {
    mem.set(data.subarray(off, off + n), at);
    return [rs, cs];
  }
  if (cs === 1 || rs === 1) {
    // contiguous lines: rows of a row-major slice, or columns of a transposed one
    const [lines, len, step] = cs === 1 ? [rows, cols, rs] : [cols, rows, cs];
    for (let i = 0; i < lines; i++)
      mem.set(data.subarray(off + i * step, off + i * step + len), at + i * len);
    return cs === 1 ? [cols, 1] : [1, rows];
  }
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mem[at++] = data[off + i * rs + j * cs]!;
  return [cols, 1];
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/**
 * The block length for n items in blocks of at most `max`: equal blocks (a multiple of
 * `align`), so K = 784 runs as 4 × 196 rather than 3 × 256 + 16, whose short last block
 * spends as long loading and storing C tiles as multiplying.
 */
function blockStep(n: number, max: number, align: number): number {
  return Math.min(max, roundUp(Math.ceil(n / Math.ceil(n / max)), align));
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
  // strips of rows (of columns, for a strided B) keep wasm memory near STAGE_MAX floats per operand
  const rowStrip = Math.max(MC, Math.floor(STAGE_MAX / Math.max(K, Math.min(N, NC)) / MC) * MC);
  const colStrip = Math.max(NC, Math.floor(STAGE_MAX / K / NC) * NC);
  if (M > rowStrip || (N > colStrip && typeof B !== 'function' && !C.groups)) {
    const cols = M > rowStrip ? N : colStrip;
    for (let i = 0; i < M; i += rowStrip) {
      for (let j = 0; j < N; j += cols) {
        const Bj = typeof B === 'function' ? B : { ...B, off: B.off + j * B.cs };
        const Aij = { ...A, off: A.off + i * A.rs };
        sgemm(Math.min(rowStrip, M - i), Math.min(cols, N - j), K, Aij, Bj, {
          ...C,
          off: C.off + i * C.ldc + j,
        });
      }
    }
    return;
  }
  const kcStep = blockStep(K, KC, 1);
  const mcStep = blockStep(M, MC, MR);
  const ncStep = blockStep(N, NC, NR);
  const mPad = roundUp(M, MR);
  const ncPadMax = roundUp(ncStep, NR);
  // large products split their row blocks across the pool's threads, on its shared memory
  const pool = gemmPool();
  const threaded = pool && M >= 2 * MR && M * Math.min(N, ncStep) * Math.min(K, kcStep) >= THREAD_MIN;
  const k = threaded ? pool.kernels : wasmKernels();
  const T = threaded ? pool.threads : 1;
  // float layout: [pool scratch | A block per thread | B panel | C scratch | A staged | B staged]
  const a0 = threaded ? pool.base : 0;
  const bAt = a0 + T * mcStep * kcStep;
  const cAt = bAt + kcStep * ncPadMax;
  const aWhole = cAt + mPad * ncPadMax;
  const bWhole = aWhole + (span(A, M, K) || M * K);
  k.reserve(4 * (bWhole + (typeof B === 'function' ? (B.scratchFloats ?? 0) : span(B, K, N) || K * N)));
  const mem = k.f32();
  const [ars, acs] = stage(A, M, K, mem, aWhole);
  let bStrides: [number, number] | undefined;
  /** Packs B's block at (pc, jc) into the B panel: B's own packer, or the wasm one on B staged once. */
  const packB = (pc: number, kc: number, jc: number, nc: number) => {
    if (typeof B === 'function') return B(pc, kc, jc, nc, mem, bAt, bWhole);
    bStrides ??= stage(B, K, N, mem, bWhole);
    const [brs, bcs] = bStrides;
    k.pack(4 * (bWhole + pc * brs + jc * bcs), 4 * bcs, 4 * brs, kc, nc, NR, 4 * bAt);
  };
  const panels =
    typeof B === 'function'
      ? undefined
      : cachedPanels(B.data, B.off, B.rs, B.cs, K, N, K * roundUp(N, NR), (into) => {
          let at = 0;
          forBlocks(N, ncStep, (jc, nc) =>
            forBlocks(K, kcStep, (pc, kc) => {
              packB(pc, kc, jc, nc);
              into.set(mem.subarray(bAt, bAt + kc * roundUp(nc, NR)), at);
              at += kc * roundUp(nc, NR);
            }),
          );
        });
  let panelAt = 0;
  forBlocks(N, ncStep, (jc, nc) => {
    const ncPad = roundUp(nc, NR);
    forBlocks(K, kcStep, (pc, kc) => {
      if (panels) {
        mem.set(panels.subarray(panelAt, panelAt + kc * ncPad), bAt);
        panelAt += kc * ncPad;
      } else packB(pc, kc, jc, nc);
      if (threaded) {
        const job = [pc === 0 ? 1 : 0, kc, ncPad, mcStep, MR, 4 * (aWhole + pc * acs), 4 * ars, 4 * acs];
        pool.rows([...job, 4 * bAt, 4 * cAt, 4 * a0, 4 * mcStep * kcStep, M, T]);
        return;
      }
      forBlocks(M, mcStep, (ic, mc) => {
        k.pack(4 * (aWhole + ic * ars + pc * acs), 4 * ars, 4 * acs, kc, mc, MR, 0);
        // the first k block overwrites the scratch, so it needs no zero-fill
        const block = pc === 0 ? k.sgemm_block0 : k.sgemm_block;
        block(roundUp(mc, MR), ncPad, kc, 0, 4 * bAt, 4 * (cAt + ic * ncPad), ncPad);
      });
    });
    copyOut(mem, cAt, ncPad, M, jc, nc, C);
  });
}

/** Calls body(start, length) for the blocks of `step` items covering [0, n). */
function forBlocks(n: number, step: number, body: (start: number, len: number) => void): void {
  for (let s = 0; s < n; s += step) body(s, Math.min(step, n - s));
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
