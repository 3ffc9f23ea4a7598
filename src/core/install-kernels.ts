/**
 * lax calls these before binding a convolution or a max pool: they install the CPU loops,
 * which the backend does not import itself so that apps without those ops do not bundle them.
 */
import { convGeneral } from '../backends/cpu/conv.ts';
import { installCpuKernels } from '../backends/cpu/kernel-slots.ts';
import { windowMax } from '../backends/cpu/pool.ts';

/**
 * Makes the CPU backend's convolution available.
 *
 * @example
 * withCpuConv(); // then cpu conv_general runs
 */
export function withCpuConv(): void {
  installCpuKernels({ conv: convGeneral });
}

/**
 * Makes the CPU backend's max pools available.
 *
 * @example
 * withCpuPool(); // then cpu window_max and window_argmax run
 */
export function withCpuPool(): void {
  installCpuKernels({ pool: windowMax });
}
