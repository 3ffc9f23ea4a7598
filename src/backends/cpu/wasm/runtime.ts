/**
 * Instantiates the emitted kernel modules over one `WebAssembly.Memory`, which grows on
 * demand. `memory.grow` detaches every view of the old buffer, so callers reserve what a
 * call needs first (`reserve`) and only then take views (`f32`).
 */

import { Code, emitModule, V128 } from './emitter.ts';
import { sgemmModuleBytes } from './sgemm-kernel.ts';

const PAGE = 65536;

let simd: boolean | undefined;

/**
 * Whether this host runs WebAssembly SIMD128 (Node ≥ 16.4 and current browsers, no flag):
 * validates a tiny module using v128 ops.
 *
 * @example
 * const kernels = wasmSimdSupported() ? 'wasm' : 'js';
 */
export function wasmSimdSupported(): boolean {
  if (simd === undefined) {
    try {
      const body = new Code().get(0).get(0).simd('f32x4Add').simd('f32x4ExtractLane', 0).op('drop');
      emitModule([{ name: 'probe', params: [V128], body }]);
      simd = true;
    } catch {
      simd = false;
    }
  }
  return simd;
}

/** C[0:mc, 0:nc] (+)= Ap·Bp (sgemm-kernel.ts). */
type SgemmBlock = (
  mc: number,
  nc: number,
  kc: number,
  ap: number,
  bp: number,
  c: number,
  ldc: number,
) => void;

/** The kernels' exports: pointers are byte addresses into `memory`. */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  sgemm_block: SgemmBlock;
  /** As `sgemm_block`, overwriting C (C = Ap·Bp) without reading it. */
  sgemm_block0: SgemmBlock;
  /** The GEMM packer (sgemm-pack-kernel.ts): strides in bytes. */
  pack(src: number, ls: number, ss: number, kc: number, lanes: number, w: number, dst: number): void;
  /** Grows the memory to at least `bytes`; views taken before are detached if it grew. */
  reserve(bytes: number): void;
  /** A Float32Array view over the whole memory (take it after `reserve`). */
  f32(): Float32Array;
}

type SgemmExports = 'sgemm_block' | 'sgemm_block0' | 'pack';

let kernels: WasmKernels | undefined;

/**
 * V8 first runs wasm on its baseline compiler (about 3× slower here) and tiers a function
 * up after roughly 2 MB of its code has executed; a call already running stays on the
 * baseline code. A few hundred tiny calls at creation (well under a millisecond) spend that
 * budget, so real products start on optimized code. Scribbles on bytes [0, 16 KiB). Self-contained:
 * the pool's workers run its source (thread-pool.ts).
 *
 * @example
 * warmUp(new WebAssembly.Instance(module, { env: { memory } }).exports);
 */
export function warmUp(ex: Pick<WasmKernels, SgemmExports>): void {
  for (let i = 0; i < 400; i++) {
    ex.sgemm_block(4, 8, 64, 0, 4096, 8192, 8);
    ex.sgemm_block0(4, 8, 64, 0, 4096, 8192, 8);
    ex.pack(0, 4, 256, 64, 7, 8, 8192);
  }
}

/**
 * The shared kernel instance (created on first use; one per thread: calls never overlap).
 *
 * @example
 * const k = wasmKernels();
 * k.reserve(1024);
 * k.f32().fill(0, 0, 256);
 */
export function wasmKernels(): WasmKernels {
  if (kernels) return kernels;
  if (!wasmSimdSupported()) throw new Error('wasmKernels: this host has no WebAssembly SIMD128');
  const memory = new WebAssembly.Memory({ initial: 16 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(sgemmModuleBytes() as BufferSource), {
    env: { memory },
  });
  const ex = instance.exports as unknown as Pick<WasmKernels, SgemmExports>;
  let view = new Float32Array(memory.buffer);
  warmUp(ex);
  kernels = {
    memory,
    ...ex,
    reserve(bytes) {
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    },
    f32() {
      if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer);
      return view;
    },
  };
  return kernels;
}

/**
 * Instantiates one more emitted module over the shared memory and warms it up (as
 * `wasmKernels` does the GEMM's), for kernels only some ops need: the convolution and
 * pooling modules load on their first use, so apps without those ops do not bundle them.
 * Call it before writing a call's data into memory (the warm-up scribbles on it).
 *
 * @example
 * const ex = instantiateShared<{ conv_taps: ConvTaps }>(convTapsModuleBytes(), warm);
 */
export function instantiateShared<T>(bytes: Uint8Array, warm: (exports: T) => void): T {
  const { memory } = wasmKernels();
  const module = new WebAssembly.Module(bytes as BufferSource);
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as T;
  warm(exports);
  return exports;
}
