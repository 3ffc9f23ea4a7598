/**
 * `navigator.gpu` in Node from Dawn's `webgpu` package, as jax-js and tfjs-webgpu expect (and
 * typegrad uses when it exists): the package's globals (GPUBufferUsage …) copied onto
 * globalThis, `create([])` as the GPU object. Fails loudly when no adapter is found.
 *
 * @example
 *   await installNavigatorGpu(); // then navigator.gpu.requestAdapter() works in Node
 */
export async function installNavigatorGpu(): Promise<void> {
  const { create, globals } = (await import('webgpu')) as unknown as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const g = globalThis as { navigator?: { gpu?: GPU } };
  // Node 20 has no navigator; jax-js's webgpu device reads navigator.userAgent too
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu, userAgent: `Node.js/${process.version}` },
      configurable: true,
    });
  const adapter = await gpu.requestAdapter();
  if (!adapter)
    throw new Error(
      'bench/compare: no WebGPU adapter; run `eval "$(bash scripts/setup-webgpu.sh)"` first (SwiftShader)',
    );
  const info = adapter.info;
  console.log(
    JSON.stringify({
      adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description },
      fallback: (info as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? null,
    }),
  );
}
