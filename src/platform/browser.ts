/**
 * The browser (default) side of `#platform`: what bundlers see instead of `./node.ts`. No Node
 * built-in, no `webgpu` package: WebGPU comes from `navigator.gpu`, files come from `fetch`.
 */
import type { GemmPool } from '../backends/cpu/wasm/gemm-pool.ts';
import { createWorkerPool, workerProgram } from '../backends/cpu/wasm/worker-pool.ts';

/** `file:` URLs cannot be read outside Node. */
export async function readFileUrl(href: string): Promise<Uint8Array> {
  throw new Error(`readFileUrl: cannot read ${href} outside Node; serve the file over http(s) and fetch it`);
}

/** The `webgpu` npm package (Dawn) is for Node only; browsers have `navigator.gpu`. */
export async function importWebGpuPackage(): Promise<unknown> {
  throw new Error(
    'importWebGpuPackage: the `webgpu` package (Dawn) runs in Node only; in a browser WebGPU comes ' +
      "from navigator.gpu (a browser with WebGPU enabled, https or localhost), or use setBackend('cpu')",
  );
}

/**
 * A GEMM worker pool of Web Workers, where a browser allows one: the page is cross-origin
 * isolated (COOP `same-origin` + COEP `require-corp`, for `SharedArrayBuffer`) and typegrad
 * runs in a Worker (a window's main thread may not `Atomics.wait`, which the caller blocks in).
 * Anywhere else, undefined: one thread, no error. So to get threads in a browser, run typegrad
 * in a dedicated Worker of an isolated page. Workers start once their creator yields to its
 * event loop; until then products run on the threads already started.
 *
 * @example
 * const pool = createThreadPool(2); // undefined on a window's main thread
 * pool?.close();
 */
export function createThreadPool(threads: number): GemmPool | undefined {
  const scope = globalThis as {
    crossOriginIsolated?: boolean;
    WorkerGlobalScope?: unknown;
    Worker?: unknown;
  };
  if (scope.crossOriginIsolated !== true || scope.WorkerGlobalScope === undefined || !scope.Worker) {
    return undefined;
  }
  const url = URL.createObjectURL(
    new Blob([`${workerProgram()}\nself.onmessage = (e) => start(e.data);`], { type: 'text/javascript' }),
  );
  const started: Worker[] = [];
  let pool: GemmPool;
  try {
    pool = createWorkerPool(threads, (data) => {
      const w = new Worker(url);
      started.push(w);
      w.postMessage(data);
      return w;
    });
  } catch {
    // a page that forbids blob: workers (CSP) or a shared memory: one thread, as without isolation
    for (const w of started) w.terminate();
    URL.revokeObjectURL(url);
    return undefined;
  }
  // workers fetch their script asynchronously: the URL lives as long as the pool
  const close = pool.close.bind(pool);
  pool.close = () => {
    close();
    URL.revokeObjectURL(url);
  };
  return pool;
}
