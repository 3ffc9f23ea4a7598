/**
 * The GEMM's worker pool, shared by Node (`worker_threads`) and browsers (Web Workers, when
 * cross-origin isolated): the kernel module instantiated in each worker over one shared
 * `WebAssembly.Memory`. A product's k blocks are split by rows (gemm-pool.ts `rowShare`);
 * the calling thread takes a share and then blocks in `Atomics.wait` until the workers are
 * done, so a product stays synchronous. Only this file's callers know how to start a worker.
 *
 * A new worker may not start until its creator returns to its event loop (browsers), so the
 * caller never waits for one that has not said it is ready: each worker raises its slot's
 * state once its kernels are up, and a product admits the ready ones (in the gap between
 * jobs) and splits its rows among the caller and the admitted workers only.
 */
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
/** Shares the workers have run (all jobs together). */
const SHARES = 4;
const JOB = 8;
/** Worker `i`'s words at SLOTS + 4i: [state (0 starting, 1 ready, 2 admitted), GEN at admission, rank]. */
const SLOTS = JOB + 16;
const STARTING = 0;
const READY = 1;
const ADMITTED = 2;
/** Polls of the work counter before a worker sleeps (~100 µs). */
const SPIN = 20000;

/** What a worker is given: the kernel module, the shared memory and control words, its slot. */
export interface WorkerStart {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly ctrl: Int32Array;
  readonly slot: number;
}

/** A started worker, as far as the pool cares. */
export interface PoolWorker {
  terminate(): unknown;
}

/**
 * The worker's program: plain JS defining `start(data: WorkerStart)`, which never returns.
 * Each platform wraps it with how its workers receive their data, then calls `start`.
 *
 * @example
 * const source = `${workerProgram()}\nself.onmessage = (e) => start(e.data);`;
 */
export function workerProgram(): string {
  // plain text, shipped as is: no comments or indentation inside. A worker that cannot start
  // still answers every job (as failed), so the caller never hangs. Workers spin a little
  // before they sleep: a product's next k block usually follows within microseconds, and a
  // futex wake-up costs tens of them (milliseconds on a loaded machine).
  return `const warmUp=${warmUp.toString()};
const rowShare=${rowShare.toString()};
function start({module,memory,ctrl,slot}){
const at=${SLOTS}+4*slot;
let ex;
try{ex=new WebAssembly.Instance(module,{env:{memory}}).exports;warmUp(ex)}catch{}
Atomics.store(ctrl,at,${READY});
while(Atomics.load(ctrl,at)!==${ADMITTED})Atomics.wait(ctrl,at,${READY});
let seen=Atomics.load(ctrl,at+1);
const rank=Atomics.load(ctrl,at+2);
for(;;){
for(let i=0;i<${SPIN}&&Atomics.load(ctrl,${GEN})===seen;i++);
Atomics.wait(ctrl,${GEN},seen);
seen=Atomics.load(ctrl,${GEN});
if(Atomics.load(ctrl,${STOP}))break;
try{if(!ex)throw new Error('not started');rowShare(ex,Array.from(ctrl.subarray(${JOB},${JOB + 14})),rank);Atomics.add(ctrl,${SHARES},1)}
catch{Atomics.store(ctrl,${FAILED},1)}
if(Atomics.sub(ctrl,${PENDING},1)===1)Atomics.notify(ctrl,${PENDING});
}}`;
}

/**
 * A pool of `threads - 1` workers (the caller is the last thread) over a new shared memory;
 * `spawn` starts worker `data.slot` on this platform.
 *
 * @example
 * const pool = createWorkerPool(2, (data) => startMyWorker(workerProgram(), data));
 * pool.close();
 */
export function createWorkerPool(threads: number, spawn: (data: WorkerStart) => PoolWorker): GemmPool {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 16384, shared: true });
  const module = new WebAssembly.Module(sgemmModuleBytes(undefined, true) as BufferSource);
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Parameters<
    typeof warmUp
  >[0];
  warmUp(ex);
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (SLOTS + 4 * (threads - 1))));
  const workers = Array.from({ length: threads - 1 }, (_, slot) => spawn({ module, memory, ctrl, slot }));
  /** Slots not yet admitted; `admitted` workers take ranks 1..admitted. */
  let waiting = workers.map((_, slot) => slot);
  let admitted = 0;
  /** Admits the workers that are ready: only between jobs, when GEN holds still. */
  const admit = () => {
    waiting = waiting.filter((slot) => {
      const at = SLOTS + 4 * slot;
      if (Atomics.load(ctrl, at) === STARTING) return true;
      Atomics.store(ctrl, at + 1, Atomics.load(ctrl, GEN));
      Atomics.store(ctrl, at + 2, ++admitted);
      Atomics.store(ctrl, at, ADMITTED);
      Atomics.notify(ctrl, at);
      return false;
    });
  };
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
    get ready() {
      if (!closed && waiting.length) admit();
      return closed ? 1 : admitted + 1;
    },
    get workerShares() {
      return Atomics.load(ctrl, SHARES);
    },
    kernels,
    base: BASE,
    rows(job: RowJob) {
      if (closed) throw new Error('GemmPool.rows: the pool is closed');
      if (waiting.length) admit();
      // the job's thread count is the caller plus the admitted workers (sgemm laid out A
      // blocks for all `threads`; fewer use a prefix of them)
      const share = [...job.slice(0, 13), admitted + 1];
      if (!admitted) return rowShare(ex, share, 0);
      ctrl.set(share, JOB);
      Atomics.store(ctrl, PENDING, admitted);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      rowShare(ex, share, 0);
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
