/**
 * The CPU backend's worker pool, shared by Node (`worker_threads`) and browsers (Web Workers,
 * when cross-origin isolated): the GEMM and `conv_taps` modules instantiated in each worker
 * over one shared `WebAssembly.Memory`. A job (a GEMM k block's rows, gemm-pool.ts
 * `rowShare`, or a batch of a direct convolution's images, conv-direct.ts `tapsUnit`) is cut
 * into chunks that the threads claim one at a time from a shared counter, the calling thread
 * too; it then waits only for the chunks a worker has already claimed, so a worker that is
 * asleep or descheduled (two cores shared with other processes) costs at most one chunk,
 * never its whole share. A job stays synchronous.
 *
 * A new worker may not start until its creator returns to its event loop (browsers), so the
 * caller never waits for one that has not said it is ready: each worker raises its slot's
 * state once its kernels are up, and a job admits the ready ones (in the gap between jobs).
 */

import { tapsUnit } from './conv-direct.ts';
import { type ConvTaps, convTapsModuleBytes, warmUpTaps } from './conv-taps-kernel.ts';
import { type GemmPool, type RowJob, rowChunks, rowShare, type TapsJob } from './gemm-pool.ts';
import { type WasmKernels, warmUp } from './runtime.ts';
import { sgemmModuleBytes } from './sgemm-kernel.ts';

const PAGE = 65536;
/** Floats below this are the warm-up's scratch (it writes bytes [0, 16 KiB)), never a product's. */
const BASE = 4096;
/** Control words (Int32, in their own SharedArrayBuffer). */
const GEN = 0;
/** Workers inside the current job (they raise it before they look at OPEN). */
const ACTIVE = 1;
const FAILED = 2;
const STOP = 3;
/** Chunks the workers have run (all jobs together). */
const SHARES = 4;
/** The next chunk to claim. */
const NEXT = 5;
/** The GEN of the job whose chunks may still be claimed (0: none). */
const OPEN = 6;
/** The job: [kind (ROWS or TAPS), its words]. */
const JOB = 8;
const JOB_WORDS = 20;
const ROWS = 0;
const TAPS = 1;
/** Worker `i`'s words at SLOTS + 4i: [state (0 starting, 1 ready, 2 admitted), GEN at admission, rank]. */
const SLOTS = JOB + JOB_WORDS;
const STARTING = 0;
const READY = 1;
const ADMITTED = 2;
/** Polls of the work counter before a worker sleeps (~100 µs). */
const SPIN = 20000;

/** What a worker is given: the kernel modules, the shared memory and control words, its slot. */
export interface WorkerStart {
  readonly module: WebAssembly.Module;
  readonly tapsModule: WebAssembly.Module;
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
  // futex wake-up costs tens of them (milliseconds on a loaded machine). A worker raises
  // ACTIVE before it reads OPEN, and the caller clears OPEN before it reads ACTIVE, so one
  // of them sees the other (sequentially consistent atomics): no worker reads a job the
  // caller is rewriting.
  return `const warmUp=${warmUp.toString()};
const warmUpTaps=${warmUpTaps.toString()};
const rowChunks=${rowChunks.toString()};
const rowShare=${rowShare.toString()};
const tapsUnit=${tapsUnit.toString()};
function start({module,tapsModule,memory,ctrl,slot}){
const at=${SLOTS}+4*slot;
let ex,tx;
try{ex=new WebAssembly.Instance(module,{env:{memory}}).exports;warmUp(ex);tx=new WebAssembly.Instance(tapsModule,{env:{memory}}).exports;warmUpTaps(tx,memory)}catch{ex=undefined}
Atomics.store(ctrl,at,${READY});
while(Atomics.load(ctrl,at)!==${ADMITTED})Atomics.wait(ctrl,at,${READY});
let seen=Atomics.load(ctrl,at+1);
const rank=Atomics.load(ctrl,at+2);
for(;;){
for(let i=0;i<${SPIN}&&Atomics.load(ctrl,${GEN})===seen;i++);
Atomics.wait(ctrl,${GEN},seen);
seen=Atomics.load(ctrl,${GEN});
if(Atomics.load(ctrl,${STOP}))break;
Atomics.add(ctrl,${ACTIVE},1);
if(Atomics.load(ctrl,${OPEN})===seen){try{
if(!ex)throw new Error('not started');
const kind=ctrl[${JOB}];const job=Array.from(ctrl.subarray(${JOB + 1},${JOB + JOB_WORDS}));
const n=kind===${ROWS}?rowChunks(job)[1]:job[0];
for(let c=Atomics.add(ctrl,${NEXT},1);c<n;c=Atomics.add(ctrl,${NEXT},1)){if(kind===${ROWS})rowShare(ex,job,rank,c);else tapsUnit(tx,job,c);Atomics.add(ctrl,${SHARES},1)}
}catch{Atomics.store(ctrl,${FAILED},1)}}
if(Atomics.sub(ctrl,${ACTIVE},1)===1)Atomics.notify(ctrl,${ACTIVE});
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
  const tapsModule = new WebAssembly.Module(convTapsModuleBytes(true) as BufferSource);
  const tx = new WebAssembly.Instance(tapsModule, { env: { memory } }).exports as unknown as {
    conv_taps: ConvTaps;
  };
  warmUpTaps(tx, memory);
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (SLOTS + 4 * (threads - 1))));
  const workers = Array.from({ length: threads - 1 }, (_, slot) =>
    spawn({ module, tapsModule, memory, ctrl, slot }),
  );
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
  /** Checks the pool is open and admits the ready workers; returns how many are admitted. */
  const start = (what: string) => {
    if (closed) throw new Error(`GemmPool.${what}: the pool is closed`);
    if (waiting.length) admit();
    return admitted;
  };
  /** Posts a job of `chunks` chunks, claims chunks on this thread too, and waits for the workers' claimed ones. */
  const run = (kind: number, job: readonly number[], chunks: number, chunk: (c: number) => void) => {
    if (!admitted) {
      for (let c = 0; c < chunks; c++) chunk(c);
      return;
    }
    ctrl.set(job, JOB + 1);
    ctrl[JOB] = kind;
    Atomics.store(ctrl, NEXT, 0);
    // only this thread writes GEN; OPEN = the new GEN lets workers in
    const gen = (Atomics.load(ctrl, GEN) + 1) | 0 || 1;
    Atomics.store(ctrl, OPEN, gen);
    Atomics.store(ctrl, GEN, gen);
    Atomics.notify(ctrl, GEN);
    try {
      for (let c = Atomics.add(ctrl, NEXT, 1); c < chunks; c = Atomics.add(ctrl, NEXT, 1)) chunk(c);
    } finally {
      Atomics.store(ctrl, OPEN, 0);
      for (let i = 0; i < SPIN && Atomics.load(ctrl, ACTIVE) !== 0; i++);
      for (let a = Atomics.load(ctrl, ACTIVE); a !== 0; a = Atomics.load(ctrl, ACTIVE))
        Atomics.wait(ctrl, ACTIVE, a);
    }
    if (Atomics.exchange(ctrl, FAILED, 0)) {
      throw new Error(`GemmPool.${kind === ROWS ? 'rows' : 'taps'}: a worker failed its share`);
    }
  };
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
      // the job's thread count is the caller plus the admitted workers (sgemm laid out A
      // blocks for all `threads`; fewer use a prefix of them)
      const share = [...job.slice(0, 13), start('rows') + 1];
      run(ROWS, share, rowChunks(share)[1], (c) => rowShare(ex, share, 0, c));
    },
    taps(job: TapsJob) {
      start('taps');
      run(TAPS, job, job[0]!, (c) => tapsUnit(tx, job, c));
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
