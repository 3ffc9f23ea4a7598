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

/** A pool of threads over one shared `WebAssembly.Memory` holding a GEMM's operands. */
export interface GemmPool {
  /** Threads working on a product, the calling thread included. */
  readonly threads: number;
  /** Threads a product splits across now: the caller plus the workers that have started (workers start late in browsers). */
  readonly ready: number;
  /** Row shares the workers have run, all products together (how tests see that the pool really worked). */
  readonly workerShares: number;
  /** The calling thread's kernels over the shared memory (floats below `base` are the workers' warm-up scratch). */
  readonly kernels: WasmKernels;
  /** First float of the memory a product may use. */
  readonly base: number;
  /** Runs a k block's row blocks, split by rows across the threads; returns when all are done. */
  rows(job: RowJob): void;
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
 * Thread `t`'s share of a row job: rows [t·per, (t+1)·per) with `per` a multiple of MR, in
 * blocks of at most mcStep rows, each packed into the thread's own A block and multiplied
 * into C. Every C element is computed by one thread in the same order as on one thread, so
 * results are bit-identical for any thread count. Self-contained: the workers run its source.
 *
 * @example
 * rowShare(pool.kernels, job, 0); // the calling thread's share
 */
export function rowShare(
  ex: Pick<WasmKernels, 'pack' | 'sgemm_block' | 'sgemm_block0'>,
  job: RowJob,
  t: number,
): void {
  const [first, kc, ncPad, mcStep, mr, aAt, ars, acs, bAt, cAt, a0, aStride, M, T] = job as number[];
  const per = Math.ceil(Math.ceil(M! / T!) / mr!) * mr!;
  const end = Math.min(M!, (t + 1) * per);
  const aBuf = a0! + t * aStride!;
  const block = first ? ex.sgemm_block0 : ex.sgemm_block;
  for (let ic = t * per; ic < end; ic += mcStep!) {
    const mc = Math.min(mcStep!, end - ic);
    ex.pack(aAt! + ic * ars!, ars!, acs!, kc!, mc, mr!, aBuf);
    block(Math.ceil(mc / mr!) * mr!, ncPad!, kc!, aBuf, bAt!, cAt! + 4 * ic * ncPad!, ncPad!);
  }
}
