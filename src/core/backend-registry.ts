import type { Backend } from '../backends/backend.ts';
import { cpuBackend } from '../backends/cpu/index.ts';

/**
 * Which backend new tensors and eager ops use. CPU is always there; WebGPU is acquired
 * asynchronously (an adapter and device), so `setBackend('webgpu')` returns a promise.
 */
export type BackendName = 'cpu' | 'webgpu';

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
 * // doctest: skip-run (needs a GPU)
 * import { getBackend, matmul, ones, setBackend } from 'typegrad';
 * await setBackend('webgpu'); // Node: npm install webgpu
 * const y = matmul(ones([64, 64]), ones([64, 64])); // on the GPU
 * console.log(getBackend(), (await y.data())[0]); // webgpu 64
 * ```
 */
export async function setBackend(name: BackendName): Promise<void> {
  if (name === 'cpu') {
    current = cpuBackend;
    return;
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
