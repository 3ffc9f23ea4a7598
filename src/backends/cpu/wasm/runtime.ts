/**
 * Instantiates the emitted kernel modules over one `WebAssembly.Memory`, which grows on
 * demand. `memory.grow` detaches every view of the old buffer, so callers reserve what a
 * call needs first (`reserve`) and only then take views (`f32`).
 */

import { convTapsModuleBytes } from './conv-taps-kernel.ts';
import { Code, emitModule, V128 } from './emitter.ts';
import { poolModuleBytes } from './pool-kernel.ts';
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

/** A 2×2 pooling export: planes of `hw` floats at `inp`, rows `w` long, into `outp` (byte addresses). */
type Pool2x2Kernel = (
  planes: number,
  outH: number,
  outW: number,
  w: number,
  hw: number,
  inp: number,
  outp: number,
  indexBase: number,
) => void;

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
  /** The direct convolution tile loop (conv-taps-kernel.ts). */
  conv_taps(
    mc: number,
    rows: number,
    cols: number,
    rowIn: number,
    rowOut: number,
    taps: number,
    wp: number,
    offp: number,
    xp: number,
    outp: number,
    ldo: number,
    accumulate: number,
  ): void;
  /** 2×2 stride-2 max pooling of whole planes (pool-kernel.ts): the window maxima. */
  pool2x2_values: Pool2x2Kernel;
  /** The same windows' flat first-maximum indices (i32). */
  pool2x2_argmax: Pool2x2Kernel;
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
 * budget, so real products start on optimized code.
 */
function warmUp(
  ex: Pick<WasmKernels, SgemmExports | 'conv_taps' | 'pool2x2_values' | 'pool2x2_argmax'>,
): void {
  for (let i = 0; i < 400; i++) {
    ex.sgemm_block(4, 8, 64, 0, 4096, 8192, 8);
    ex.sgemm_block0(4, 8, 64, 0, 4096, 8192, 8);
    ex.pack(0, 4, 256, 64, 7, 8, 8192);
  }
  // tap offsets read from untouched (zero) memory at 16384
  for (let i = 0; i < 400; i++) ex.conv_taps(6, 1, 8, 8, 8, 64, 0, 16384, 4096, 8192, 16, i & 1);
  for (let i = 0; i < 200; i++) {
    ex.pool2x2_values(4, 8, 8, 16, 256, 0, 8192, 0);
    ex.pool2x2_argmax(4, 8, 8, 16, 256, 0, 8192, 0);
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
  const conv = new WebAssembly.Instance(new WebAssembly.Module(convTapsModuleBytes() as BufferSource), {
    env: { memory },
  }).exports as unknown as Pick<WasmKernels, 'conv_taps'>;
  const pool = new WebAssembly.Instance(new WebAssembly.Module(poolModuleBytes() as BufferSource), {
    env: { memory },
  }).exports as unknown as Pick<WasmKernels, 'pool2x2_values' | 'pool2x2_argmax'>;
  let view = new Float32Array(memory.buffer);
  warmUp({ ...ex, ...conv, ...pool });
  kernels = {
    memory,
    ...ex,
    ...conv,
    ...pool,
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
