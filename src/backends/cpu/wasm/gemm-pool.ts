/**
 * The seam between the GEMM and its worker pool: `sgemm` asks here for the pool (none by
 * default), so the worker code (worker-pool.ts) is reached only through `#platform`'s
 * `createThreadPool`.
 */
import type { WasmKernels } from './runtime.ts';

/**
 * One k block's row work, shared by every thread (ints, byte addresses into the pool memory):
 * [first, kc, ncPad, mcStep, MR, A at (row 0, this k block), A row stride, A column stride,
 * B panel, C scratch, A block of thread 0, A block stride, M, threads].
 */
export type RowJob = readonly number[];

/**
 * A batch of a direct convolution's units (image, group), each one chunk (ints, floats into the
 * pool memory): [units, G, Cg, channels per chunk, window, oPad, outH, cols, Wp, outW, taps,
 * offsets at, Sp, x at, x floats per unit, out at, out floats per unit, ldo, weights at].
 */
export type TapsJob = readonly number[];

/** A pool of threads over one shared `WebAssembly.Memory` holding a GEMM's operands. */
export interface GemmPool {
  /** Threads working on a product, the calling thread included. */
  readonly threads: number;
  /** Threads a product splits across now: the caller plus the workers that have started (workers start late in browsers). */
  readonly ready: number;
  /** Chunks the workers have run, all jobs together (how tests see that the pool really worked). */
  readonly workerShares: number;
  /** The calling thread's kernels over the shared memory (floats below `base` are the workers' warm-up scratch). */
  readonly kernels: WasmKernels;
  /** First float of the memory a product may use. */
  readonly base: number;
  /** Runs a k block's row blocks, split by rows across the threads; returns when all are done. */
  rows(job: RowJob): void;
  /** Runs a direct convolution's images (conv-direct.ts `tapsUnit`) across the threads; returns when all are done. */
  taps(job: TapsJob): void;
  /** Stops the workers; later products run on one thread. */
  close(): void;
}

let active: GemmPool | undefined;

/**
 * The pool large products split across (undefined: one thread).
 *
 * @example
 * const threads = gemmPool()?.threads ?? 1;
 */
export function gemmPool(): GemmPool | undefined {
  return active;
}

/**
 * Sets (or, with undefined, clears) the pool `sgemm` uses; the CPU backend calls it.
 *
 * @example
 * setGemmPool(undefined); // back to one thread
 */
export function setGemmPool(pool: GemmPool | undefined): void {
  active = pool;
}

/**
 * How a row job splits into chunks: rows per chunk (a multiple of MR, at most mcStep; about
 * two chunks per thread, so a thread the OS pauses leaves work the others take) and their
 * count. Self-contained: the workers run its source.
 *
 * @example
 * const [per, chunks] = rowChunks(job);
 */
export function rowChunks(job: RowJob): [number, number] {
  const mcStep = job[3]!;
  const mr = job[4]!;
  const M = job[12]!;
  const T = job[13]!;
  const per = Math.min(mcStep, Math.ceil(Math.ceil(M / (2 * T)) / mr) * mr);
  return [per, Math.ceil(M / per)];
}

/**
 * Chunk `c` of a row job (rows [c·per, (c+1)·per), `rowChunks`), run by thread `t`: packed
 * into the thread's own A block and multiplied into C. Every C element is computed by one
 * thread in the same order as on one thread, so results are bit-identical for any thread
 * count and whichever thread takes a chunk. The workers run its source (and `rowChunks`').
 *
 * @example
 * rowShare(pool.kernels, job, 0, 0); // the first chunk, on the calling thread
 */
export function rowShare(
  ex: Pick<WasmKernels, 'pack' | 'sgemm_block' | 'sgemm_block0'>,
  job: RowJob,
  t: number,
  c: number,
): void {
  const [first, kc, ncPad, , mr, aAt, ars, acs, bAt, cAt, a0, aStride, M] = job as number[];
  const per = rowChunks(job)[0];
  const ic = c * per;
  const mc = Math.min(per, M! - ic);
  const aBuf = a0! + t * aStride!;
  ex.pack(aAt! + ic * ars!, ars!, acs!, kc!, mc, mr!, aBuf);
  const block = first ? ex.sgemm_block0 : ex.sgemm_block;
  block(Math.ceil(mc / mr!) * mr!, ncPad!, kc!, aBuf, bAt!, cAt! + 4 * ic * ncPad!, ncPad!);
}
