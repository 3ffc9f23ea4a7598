/**
 * The GEMM's worker pool (Node `worker_threads`; reachable only from the Node side of
 * `#platform`): the kernel module instantiated in each worker over one shared
 * `WebAssembly.Memory`. A product's k blocks are split by rows (gemm-pool.ts `rowShare`);
 * the calling thread takes a share and then blocks in `Atomics.wait` until the workers
 * are done, so a product stays synchronous. Workers wait for work in `Atomics.wait` and are
 * unref'd: a process with a live pool still exits.
 */
import { Worker } from 'node:worker_threads';
import { type GemmPool, type RowJob, rowShare } from './gemm-pool.ts';
import { type WasmKernels, warmUp } from './runtime.ts';
import { sgemmModuleBytes } from './sgemm-kernel.ts';

const PAGE = 65536;
/** Floats below this are the warm-up's scratch (it writes bytes [0, 16 KiB)), never a product's. */
const BASE = 4096;
/** Control words (Int32, in their own SharedArrayBuffer). */
const GEN = 0;
const PENDING = 1;
const FAILED = 2;
const STOP = 3;
const JOB = 8;
/** Polls of the work counter before a worker sleeps (~100 µs). */
const SPIN = 20000;

/** The worker's whole program (plain JS: workers run it with `eval`, so no loader is needed). */
const workerSource = () => `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, index } = workerData;
const warmUp = ${warmUp.toString()};
const rowShare = ${rowShare.toString()};
// a worker that cannot start still answers every job (as failed), so the caller never hangs
let ex;
try {
  ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  warmUp(ex);
} catch {}
let seen = 0;
for (;;) {
  // spin a little first: a product's next k block usually follows within microseconds,
  // and a futex wake-up costs tens of them (milliseconds on a loaded machine)
  for (let i = 0; i < ${SPIN} && Atomics.load(ctrl, ${GEN}) === seen; i++);
  Atomics.wait(ctrl, ${GEN}, seen);
  seen = Atomics.load(ctrl, ${GEN});
  if (Atomics.load(ctrl, ${STOP})) break;
  try {
    if (!ex) throw new Error('not started');
    rowShare(ex, Array.from(ctrl.subarray(${JOB}, ${JOB + 14})), index);
  } catch {
    Atomics.store(ctrl, ${FAILED}, 1);
  }
  if (Atomics.sub(ctrl, ${PENDING}, 1) === 1) Atomics.notify(ctrl, ${PENDING});
}`;

/**
 * Starts `threads - 1` workers (the caller is the last thread) over a new shared memory.
 *
 * @example
 * const pool = createThreadPool(2);
 * pool.close();
 */
export function createThreadPool(threads: number): GemmPool {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 16384, shared: true });
  const module = new WebAssembly.Module(sgemmModuleBytes(undefined, true) as BufferSource);
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Parameters<
    typeof warmUp
  >[0];
  warmUp(ex);
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (JOB + 16)));
  const source = workerSource();
  const workers = Array.from({ length: threads - 1 }, (_, index) => {
    const w = new Worker(source, { eval: true, workerData: { module, memory, ctrl, index: index + 1 } });
    w.unref();
    return w;
  });
  let view = new Float32Array(memory.buffer);
  const kernels: WasmKernels = {
    memory,
    ...ex,
    reserve(bytes) {
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    },
    f32() {
      if (view.length * 4 !== memory.buffer.byteLength) view = new Float32Array(memory.buffer);
      return view;
    },
  };
  let closed = false;
  return {
    threads,
    kernels,
    base: BASE,
    rows(job: RowJob) {
      if (closed) throw new Error('GemmPool.rows: the pool is closed');
      ctrl.set(job, JOB);
      Atomics.store(ctrl, PENDING, workers.length);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      rowShare(ex, job, 0);
      for (let i = 0; i < SPIN && Atomics.load(ctrl, PENDING) !== 0; i++);
      for (let p = Atomics.load(ctrl, PENDING); p !== 0; p = Atomics.load(ctrl, PENDING)) {
        Atomics.wait(ctrl, PENDING, p);
      }
      if (Atomics.exchange(ctrl, FAILED, 0)) throw new Error('GemmPool.rows: a worker failed its share');
    },
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(ctrl, STOP, 1);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      for (const w of workers) void w.terminate();
    },
  };
}
