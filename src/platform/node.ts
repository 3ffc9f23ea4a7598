/**
 * The Node side of `#platform` (package.json `imports`, condition `node`): the only module of
 * the library that reaches for Node built-ins and the `webgpu` package (Dawn). Browser
 * bundlers resolve `#platform` to `./browser.ts` instead, so they never see these imports.
 */

/** Reads a `file:` URL (Node's `fetch` does not). */
export async function readFileUrl(href: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  return new Uint8Array(await readFile(new URL(href)));
}

/** Loads the optional peer dependency `webgpu` (Dawn for Node). */
export async function importWebGpuPackage(): Promise<unknown> {
  return import('webgpu');
}

export { createThreadPool } from '../backends/cpu/wasm/thread-pool.ts';
