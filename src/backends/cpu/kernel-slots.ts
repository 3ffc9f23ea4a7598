/**
 * Where the CPU backend finds its convolution and max-pool loops. The ops that bind those
 * primitives (`lax.convGeneral`, `lax.windowMax`, `lax.windowArgmax`) install them first, so
 * an app that never convolves or pools does not bundle them (4.6 KB gzipped of a 25.9 KB
 * two-function app). Both kernel sets read the same slots. The SIMD route of unfused
 * elementwise primitives (2.2 KB gzipped) comes with jit's fusion, whose SIMD kernel it is.
 */
import type { convGeneral } from './conv.ts';
import type { windowMax } from './pool.ts';
import type { simdElementwise } from './wasm/elementwise-simd.ts';

/** The loops a slot can hold. */
export interface CpuKernelSlots {
  conv?: typeof convGeneral;
  pool?: typeof windowMax;
  /** large f32 elementwise primitives on SIMD (installed with jit's fusion, by `withCpuFusion`) */
  elementwise?: typeof simdElementwise;
}

const installed: CpuKernelSlots = {};

/**
 * Installs CPU loops (idempotent).
 *
 * @example
 * installCpuKernels({ conv: convGeneral });
 */
export function installCpuKernels(loops: CpuKernelSlots): void {
  Object.assign(installed, loops);
}

/**
 * The installed loop of `slot`; `prim` names the primitive in the error when none is.
 *
 * @example
 * const conv = cpuKernel('conv_general', 'conv');
 */
export function cpuKernel<K extends keyof CpuKernelSlots>(
  prim: string,
  slot: K,
): NonNullable<CpuKernelSlots[K]> {
  const loop = installed[slot];
  if (loop === undefined)
    throw new Error(
      `cpu ${prim}: kernel not installed (the ops that bind ${prim} install it; run one first)`,
    );
  return loop;
}

/**
 * The installed loop of `slot`, or undefined (for optional fast paths with a fallback).
 *
 * @example
 * const simd = installedCpuKernel('elementwise'); // undefined until jit or scan has run
 */
export function installedCpuKernel<K extends keyof CpuKernelSlots>(slot: K): CpuKernelSlots[K] {
  return installed[slot];
}
