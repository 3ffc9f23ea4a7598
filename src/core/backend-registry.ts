import type { Backend } from '../backends/backend.ts';
import { checkThreads, cpuBackend } from '../backends/cpu/index.ts';

/**
 * Which backend new tensors and eager ops use. CPU is always there; WebGPU is acquired
 * asynchronously (an adapter and device), so `setBackend('webgpu')` returns a promise.
 */
export type BackendName = 'cpu' | 'webgpu';

/** Options of {@link setBackend}. */
export interface SetBackendOptions {
  /**
   * CPU only: threads for large f32 products (an integer from 1 to 64; see the CPU backend's
   * `threads`: Node worker threads, or Web Workers in a dedicated Worker of a cross-origin
   * isolated page; one thread elsewhere). Results are bit-identical for any count.
   */
  readonly threads?: number;
}

let current: Backend = cpuBackend;
let webgpu: Backend | undefined;

export function currentBackend(): Backend {
  return current;
}

/**
 * The name of the backend new tensors and eager ops use (`'cpu'` until `setBackend`).
 *
 * @returns `'cpu'` or `'webgpu'`.
 *
 * @example
 * ```ts
 * import { getBackend } from 'typegrad';
 * console.log(getBackend()); // cpu
 * ```
 */
export function getBackend(): BackendName {
  return current.name;
}

type WebGpuFactory = () => Promise<Backend>;
let webgpuFactory: WebGpuFactory | undefined;

/** The WebGPU module registers itself here when loaded, so the core never imports it eagerly. */
export function registerWebGpuFactory(factory: WebGpuFactory): void {
  webgpuFactory = factory;
}

/**
 * Chooses the backend for new tensors and eager ops. CPU is always there; WebGPU is acquired
 * asynchronously (an adapter and a device; in Node through the optional `webgpu` package), so
 * this returns a promise. Existing tensors stay on their backend.
 *
 * @param name - `'cpu'` or `'webgpu'`.
 * @param options - `{ threads }` for the CPU backend.
 * @returns A promise that settles once the backend is ready (rejects when WebGPU is missing).
 *
 * @example
 * ```ts
 * import { getBackend, setBackend } from 'typegrad';
 * await setBackend('cpu');
 * console.log(getBackend()); // cpu
 * ```
 *
 * @example
 * ```ts
 * import { matmul, ones, setBackend } from 'typegrad';
 * await setBackend('cpu', { threads: 2 }); // large products split across two threads
 * console.log(matmul(ones([256, 256]), ones([256, 256])).dataSync()[0]); // 256
 * await setBackend('cpu', { threads: 1 });
 * ```
 *
 * @example
 * ```ts
 * // doctest: skip-run (needs a GPU)
 * import { getBackend, matmul, ones, setBackend } from 'typegrad';
 * await setBackend('webgpu'); // Node: npm install webgpu
 * const y = matmul(ones([64, 64]), ones([64, 64])); // on the GPU
 * console.log(getBackend(), (await y.data())[0]); // webgpu 64
 * ```
 */
export async function setBackend(name: BackendName, options: SetBackendOptions = {}): Promise<void> {
  if (typeof options !== 'object' || options === null) {
    throw new Error(`setBackend: options must be an object like { threads: 2 }, got ${String(options)}`);
  }
  if (name === 'cpu') {
    if (options.threads !== undefined && options.threads !== cpuBackend.threads) {
      cpuBackend.threads = checkThreads('setBackend', options.threads);
    }
    current = cpuBackend;
    return;
  }
  if (options.threads !== undefined) {
    throw new Error(`setBackend: threads applies to the 'cpu' backend, not '${String(name)}'`);
  }
  if (name !== 'webgpu')
    throw new Error(`setBackend: unknown backend '${String(name)}' (use 'cpu' or 'webgpu')`);
  // A lost (or destroyed) device never comes back: drop it and acquire a new one. Tensors
  // of the lost device stay unusable, with an error saying the device was lost.
  if ((webgpu as { isLost?: boolean } | undefined)?.isLost) webgpu = undefined;
  if (!webgpu) {
    if (!webgpuFactory) {
      const mod = await import('../backends/webgpu/index.ts');
      webgpuFactory ??= mod.createWebGpuBackend;
    }
    webgpu = await webgpuFactory();
  }
  current = webgpu;
}

/** Forgets a lost WebGPU device so the next `setBackend('webgpu')` acquires a new one. */
export function resetWebGpu(): void {
  if (current === webgpu) current = cpuBackend;
  webgpu = undefined;
}
