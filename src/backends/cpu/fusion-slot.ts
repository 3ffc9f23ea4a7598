/**
 * Where the CPU backend finds its jit fusion (the loop generator in `fusion.ts` and the shared
 * planner). The transforms that stage programs (`jit`, `scan`) install it before they ask a
 * backend to fuse, so an app that never stages a program does not bundle either (about 2.4 KB
 * gzipped of a 25 KB two-function app).
 */
import type { FusedKernel, Program } from '../backend.ts';
import type { CpuFusionHost } from './fusion.ts';

/** Plans and compiles the fused kernels of a program. */
export type CpuFuser = (program: Program, host: CpuFusionHost) => FusedKernel[];

let installed: CpuFuser | undefined;

/**
 * Installs the CPU's fuser (idempotent).
 *
 * @example
 * installCpuFusion(cpuFusedKernels);
 */
export function installCpuFusion(fuser: CpuFuser): void {
  installed = fuser;
}

/**
 * The installed fuser, if a staging transform has installed one.
 *
 * @example
 * const fuser = cpuFuser(); // undefined until jit or scan has run
 */
export function cpuFuser(): CpuFuser | undefined {
  return installed;
}
