/**
 * jit and scan call this before `backend.fuse`: it installs the CPU backend's fusion, which
 * the backend does not import itself so that apps without staged programs do not bundle it.
 */
import { cpuFusedKernels } from '../backends/cpu/fusion.ts';
import { installCpuFusion } from '../backends/cpu/fusion-slot.ts';
import { installCpuKernels } from '../backends/cpu/kernel-slots.ts';
import { simdElementwise } from '../backends/cpu/wasm/elementwise-simd.ts';

/**
 * Makes the CPU backend's jit fusion available, and with it the SIMD route of large unfused
 * elementwise primitives (the same kernel generator).
 *
 * @example
 * withCpuFusion(); // then backend.fuse(program) plans fused loops on the CPU
 */
export function withCpuFusion(): void {
  installCpuFusion(cpuFusedKernels);
  installCpuKernels({ elementwise: simdElementwise });
}
