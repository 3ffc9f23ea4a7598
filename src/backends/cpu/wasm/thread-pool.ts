/**
 * The GEMM's worker pool on Node `worker_threads` (reachable only from the Node side of
 * `#platform`; the pool itself is worker-pool.ts). Workers are unref'd: a process with a
 * live pool still exits.
 */
import { Worker } from 'node:worker_threads';
import type { GemmPool } from './gemm-pool.ts';
import { createWorkerPool, workerProgram } from './worker-pool.ts';

/**
 * Starts `threads - 1` workers (the caller is the last thread) over a new shared memory.
 *
 * @example
 * const pool = createThreadPool(2);
 * pool.close();
 */
export function createThreadPool(threads: number): GemmPool {
  // plain JS run with `eval`, so no loader is needed
  const source = `${workerProgram()}\nstart(require('node:worker_threads').workerData);`;
  return createWorkerPool(threads, (workerData) => {
    const w = new Worker(source, { eval: true, workerData });
    w.unref();
    return w;
  });
}
