/**
 * The CPU backend: primitives as loops over typed arrays, with two kernel sets: `wasm` runs
 * f32 products (dot_general, conv_general) on an emitted WebAssembly SIMD128 GEMM, `js` is
 * pure JavaScript everywhere (the fallback where SIMD does not validate). A buffer is the typed array of its
 * dtype (f32 Float32Array, f64 Float64Array, i32 Int32Array, bool Uint8Array of 0/1),
 * row-major and contiguous; buffers are never shared between tensors. Reads return copies.
 * Using a disposed buffer throws. `jit` programs' elementwise chains are fused into generated
 * loops (`fusion.ts`) unless `fusion` is off.
 */

import { createThreadPool } from '#platform';
import type { DType, TypedArray } from '../../core/dtype.ts';
import type { PrimName, PrimParams } from '../../core/primitives.ts';
import type { Backend, BufferHandle, FusedKernel, Operand, OutputSpec, Program } from '../backend.ts';
import { giveBuffer, isPooled, takeBuffer, takeView } from './buffer-pool.ts';
import { cpuFuser } from './fusion-slot.ts';
import { ARITY, type Kernel, type KernelSet, kernelTable } from './kernels.ts';
import { dataOf, isStorageOf, toStorage } from './storage.ts';
import { fmtShape, sizeOf } from './strides.ts';
import { type GemmPool, setGemmPool } from './wasm/gemm-pool.ts';
import { forgetPacked } from './wasm/packed-cache.ts';
import { wasmSimdSupported } from './wasm/runtime.ts';

export { KERNELS, type KernelSet } from './kernels.ts';

export interface CpuBackendOptions {
  /** Fuse `jit` programs' elementwise chains (with their broadcasts) into single loops (default true). */
  fusion?: boolean;
  /**
   * The kernel set: `wasm` (f32 products on WebAssembly SIMD128) or `js` (pure JavaScript).
   * Default: `wasm` where this host validates SIMD128, else `js`. Asking for `wasm` on a
   * host without SIMD throws.
   */
  kernels?: KernelSet;
  /**
   * Threads for large f32 products on the `wasm` kernels (GEMMs, and convolutions through
   * im2col): an integer from 1 to 64. Default: the `TYPEGRAD_THREADS` environment variable,
   * else 1 (browsers: the option only). Above 1, products of at least ~2M multiply-adds per
   * k block split their rows across a worker pool, with bit-identical results: Node
   * `worker_threads`, or Web Workers in a browser when the page is cross-origin isolated and
   * typegrad runs in a dedicated Worker (run it there to get threads); elsewhere one thread.
   */
  threads?: number;
}

/** The CPU backend: `Backend` plus the fusion switch and a kernel counter. */
export interface CpuBackend extends Backend {
  readonly name: 'cpu';
  /**
   * Whether `fuse` plans fused kernels for `jit` programs. A program's plan is made on its
   * first call on this backend and kept, so set this before calling a jitted function.
   */
  fusion: boolean;
  /** Kernels run (primitives and fused groups) since the backend was made (for tests and benches). */
  readonly kernelCount: number;
  /**
   * The kernel set in use (chosen at creation; may be switched between calls, since both
   * sets share one storage format). Setting `wasm` on a host without SIMD128 throws.
   */
  kernels: KernelSet;
  /**
   * Threads a large product uses (1 where no pool runs: `threads` 1, a browser's main thread or
   * a page that is not cross-origin isolated, or after `close`). Setting it (an integer from 1
   * to 64, as the option) stops the current pool and starts one of that size.
   */
  threads: number;
  /** Stops this backend's worker pool (if any); later products run on one thread. */
  close(): void;
}

const MAX_THREADS = 64;

/**
 * The thread count from the option, else `TYPEGRAD_THREADS`, else 1; throws an error naming
 * `where` on a bad value.
 *
 * @example
 * checkThreads('setBackend', 2); // 2
 */
export function checkThreads(where: string, option: unknown): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.TYPEGRAD_THREADS;
  const [what, value] = option !== undefined ? ['threads', option] : ['TYPEGRAD_THREADS', env ?? 1];
  const n =
    what === 'TYPEGRAD_THREADS' && typeof value === 'string' && /^\s*\d+\s*$/.test(value)
      ? Number(value)
      : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new Error(
      `${where}: ${what} must be an integer from 1 to ${MAX_THREADS}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Checks a requested kernel set against what this host runs. */
function checkKernelSet(where: string, kernels: unknown): KernelSet {
  if (kernels !== 'wasm' && kernels !== 'js') {
    throw new Error(`${where}: kernels must be 'wasm' or 'js', got ${String(kernels)}`);
  }
  if (kernels === 'wasm' && !wasmSimdSupported()) {
    throw new Error(`${where}: kernels 'wasm' needs WebAssembly SIMD128, which this host lacks`);
  }
  return kernels;
}

/**
 * A CPU backend with its own disposal bookkeeping and kernel set.
 *
 * @example
 * const portable = createCpuBackend({ kernels: 'js' });
 * const twoThreads = createCpuBackend({ threads: 2 });
 * twoThreads.close();
 */
export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  const disposed = new WeakSet<object>();
  let kernelCount = 0;
  let kernels = checkKernelSet('createCpuBackend', options.kernels ?? (wasmSimdSupported() ? 'wasm' : 'js'));
  let table = kernelTable(kernels);
  const poolOf = (threads: number) => (threads > 1 ? createThreadPool(threads) : undefined);
  let pool: GemmPool | undefined = poolOf(checkThreads('createCpuBackend', options.threads));

  function check(what: string, buffer: BufferHandle, dtype: DType, size: number): TypedArray {
    if (!isStorageOf(buffer, dtype)) throw new Error(`cpu ${what}: buffer is not a ${dtype} CPU buffer`);
    if (isPooled(buffer) || disposed.has(buffer)) throw new Error(`cpu ${what}: buffer was disposed`);
    if (buffer.length !== size) {
      throw new Error(`cpu ${what}: buffer has ${buffer.length} elements, ${size} requested`);
    }
    return buffer;
  }

  function readSync(buffer: BufferHandle, dtype: DType, size: number): TypedArray {
    return check('read', buffer, dtype, size).slice();
  }

  return {
    name: 'cpu',
    get kernels() {
      return kernels;
    },
    set kernels(set: KernelSet) {
      kernels = checkKernelSet('cpu backend kernels', set);
      table = kernelTable(kernels);
    },
    fusion: options.fusion ?? true,
    get threads() {
      return pool?.threads ?? 1;
    },
    set threads(n: number) {
      const threads = checkThreads('cpu backend threads', n);
      pool?.close();
      pool = poolOf(threads);
    },
    close() {
      pool?.close();
      pool = undefined;
    },
    get kernelCount() {
      return kernelCount;
    },
    supports: (dtype) => dtype === 'f32' || dtype === 'f64' || dtype === 'i32' || dtype === 'bool',
    upload: (data, dtype) => toStorage(data, dtype),
    read: (buffer, dtype, size) => {
      try {
        return Promise.resolve(readSync(buffer, dtype, size));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    readSync,
    run<P extends PrimName>(prim: P, inputs: readonly Operand[], params: PrimParams[P], out: OutputSpec) {
      kernelCount++;
      const kernel = table[prim] as Kernel<P> | undefined;
      if (kernel === undefined) throw new Error(`cpu: no kernel for primitive ${String(prim)}`);
      const arity = ARITY[prim];
      if (arity >= 0 ? inputs.length !== arity : inputs.length === 0) {
        throw new Error(
          `cpu ${prim}: expected ${arity >= 0 ? arity : 'one or more'} operands, got ${inputs.length}`,
        );
      }
      const xs = inputs.map((op, i) => {
        if (isPooled(op.buffer) || disposed.has(op.buffer as object))
          throw new Error(`cpu ${prim}: operand ${i} was disposed`);
        return dataOf(prim, op, i);
      });
      if (!out.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new Error(`cpu ${prim}: bad output shape ${fmtShape(out.shape)}`);
      }
      // the GEMM's pool is process-wide state: each call installs this backend's
      setGemmPool(pool);
      const result = kernel(xs, inputs, params, out);
      if (result.length !== sizeOf(out.shape)) {
        throw new Error(`cpu ${prim}: kernel produced ${result.length} elements for ${fmtShape(out.shape)}`);
      }
      return result;
    },
    // A disposed buffer goes back to the pool for reuse, or is remembered as disposed.
    dispose: (buffer) => {
      if (typeof buffer !== 'object' || buffer === null) return;
      if (!giveBuffer(buffer as TypedArray)) disposed.add(buffer);
    },
    fill: (dtype, size, value) => {
      const buf = takeBuffer(dtype, size);
      if (value !== 0) buf.fill(dtype === 'bool' ? (value ? 1 : 0) : value);
      return buf;
    },
    sync: () => Promise.resolve(),
    // scan's hooks: a step's slice of xs is a subarray; a step's output is copied into the stack.
    view: (buffer, dtype, offset, size) => {
      const whole = check('view', buffer, dtype, (buffer as TypedArray).length);
      return takeView(whole, offset, size);
    },
    writeInto: (dst, src, dtype, offset, size) => {
      const d = check('writeInto', dst, dtype, (dst as TypedArray).length);
      forgetPacked(d);
      d.set(check('writeInto', src, dtype, size), offset);
    },
    fuse(this: CpuBackend, program: Program): readonly FusedKernel[] {
      const fuser = cpuFuser();
      if (!this.fusion || fuser === undefined) return [];
      return fuser(program, {
        checkLive: (op, o, i) => {
          if (isPooled(o.buffer) || disposed.has(o.buffer as object))
            throw new Error(`cpu ${op}: operand ${i} was disposed`);
        },
        counted: () => {
          kernelCount++;
        },
        simd: () => kernels === 'wasm',
      });
    },
  };
}

/** The default CPU backend instance. */
export const cpuBackend: CpuBackend = createCpuBackend();
