/**
 * Runs a fused group's SIMD kernel (`fused-kernel.ts`) on JS typed arrays: the rows of the
 * outermost loop dim are processed in chunks of about `CHUNK` elements, each chunk's span of
 * every array copied into the shared wasm memory (one `set`, a memcpy), the kernel run, and
 * the output chunk copied back. Arrays that do not move along the outermost dim (a
 * per-channel scale under a batch loop) are copied once. Chunks keep the staged data in
 * cache and let V8 tier the kernel up after its first calls.
 */
import type { TypedArray } from '../../../core/dtype.ts';
import type { ProgramEqn } from '../../backend.ts';
import type { FusionGroup } from '../../fusion-plan.ts';
import {
  elementBytes,
  type FusedArray,
  type FusedLayout,
  fusedLayout,
  fusedModuleBytes,
} from './fused-kernel.ts';
import { instantiateShared, wasmKernels } from './runtime.ts';

/** Elements of output per chunk (measured: 16 K–64 K run alike; smaller chunks pay more calls). */
const CHUNK = 16384;

type FusedFn = (rows: number, ...ptrs: number[]) => void;

/** Compiled kernels by module bytes, shared between programs (bounded: cleared when large). */
const modules = new Map<string, FusedFn>();

function instantiate(bytes: Uint8Array): FusedFn {
  const key = String.fromCharCode(...bytes);
  let f = modules.get(key);
  if (!f) {
    if (modules.size >= 512) modules.clear();
    f = instantiateShared<{ fused: FusedFn }>(bytes, () => {}).fused;
    modules.set(key, f);
  }
  return f;
}

/** The elements array `a` spans over `rows` outer iterations (strides ≥ 0). */
function span(a: FusedArray, shape: readonly number[], rows: number): number {
  let last = (rows - 1) * a.strides[0]!;
  for (let d = 1; d < shape.length; d++) last += (shape[d]! - 1) * a.strides[d]!;
  return last + 1;
}

/**
 * A group's SIMD runner: `run(xs, out)` fills `out` as the JS loop would; `outer` replaces
 * the outermost extent (a one-dim layout then serves any length).
 */
export interface FusedWasm {
  run(xs: readonly TypedArray[], out: TypedArray, outer?: number): void;
}

/**
 * The SIMD runner of a group, or undefined when the group does not qualify (`fusedLayout`).
 * The module is emitted and compiled on the first run.
 *
 * @example
 * const w = fusedWasm(group, program.eqns);
 * if (w) w.run(inputs, out);
 */
export function fusedWasm(g: FusionGroup, eqns: readonly ProgramEqn[]): FusedWasm | undefined {
  const layout = fusedLayout(g, eqns);
  if (layout === undefined) return undefined;
  let fn: FusedFn | undefined;
  return {
    run(xs, out, outer) {
      fn ??= instantiate(fusedModuleBytes(g, eqns, layout));
      runChunks(fn, layout, xs, out, outer ?? layout.shape[0]!);
    },
  };
}

function runChunks(
  fn: FusedFn,
  { shape, arrays }: FusedLayout,
  xs: readonly TypedArray[],
  out: TypedArray,
  n0: number,
): void {
  let row = 1; // elements per outer iteration
  for (let d = 1; d < shape.length; d++) row *= shape[d]!;
  const rows = Math.max(1, Math.min(n0, Math.floor(CHUNK / row)));
  // each array's region in wasm memory, 16-byte aligned
  const at: number[] = [];
  let top = 0;
  for (const a of arrays) {
    at.push(top);
    top += Math.ceil((span(a, shape, rows) * elementBytes(a)) / 16) * 16;
  }
  const k = wasmKernels();
  k.reserve(top);
  const f32 = k.f32();
  const u8 = new Uint8Array(k.memory.buffer);
  const stage = (a: FusedArray, i: number, lo: number, n: number) => {
    const x = xs[a.bind]!.subarray(lo, lo + n);
    if (a.bool) u8.set(x, at[i]!);
    else f32.set(x, at[i]! / 4);
  };
  arrays.forEach((a, i) => {
    if (i > 0 && a.strides[0] === 0) stage(a, i, a.offset, span(a, shape, 1));
  });
  const args = [0, ...at];
  for (let i0 = 0; i0 < n0; i0 += rows) {
    const n = Math.min(rows, n0 - i0);
    arrays.forEach((a, i) => {
      if (i > 0 && a.strides[0] !== 0) stage(a, i, a.offset + i0 * a.strides[0]!, span(a, shape, n));
    });
    args[0] = n;
    fn(...(args as [number, ...number[]]));
    const view = arrays[0]!.bool
      ? u8.subarray(at[0]!, at[0]! + n * row)
      : f32.subarray(at[0]! / 4, at[0]! / 4 + n * row);
    out.set(view, i0 * row);
  }
}
