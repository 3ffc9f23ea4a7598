/**
 * jit and scan call this before `backend.fuse`: it installs the CPU backend's fusion, which
 * the backend does not import itself so that apps without staged programs do not bundle it.
 */
import { cpuFusedKernels } from '../backends/cpu/fusion.ts';
import { installCpuFusion } from '../backends/cpu/fusion-slot.ts';

/**
 * Makes the CPU backend's jit fusion available.
 *
 * @example
 * withCpuFusion(); // then backend.fuse(program) plans fused loops on the CPU
 */
export function withCpuFusion(): void {
  installCpuFusion(cpuFusedKernels);
}
