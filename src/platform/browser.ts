/**
 * The browser (default) side of `#platform`: what bundlers see instead of `./node.ts`. No Node
 * built-in, no `webgpu` package: WebGPU comes from `navigator.gpu`, files come from `fetch`.
 */

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

/** Browsers get no GEMM worker pool (their main thread may not `Atomics.wait`): one thread. */
export function createThreadPool(_threads: number): undefined {
  return undefined;
}
