import { importWebGpuPackage } from '#platform';
import { WebGpuUnavailableError } from './errors.ts';

/** What `acquireDevice` hands back. */
export interface AcquiredDevice {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly info: { vendor: string; architecture: string; device: string; description: string };
  readonly isFallbackAdapter: boolean;
  /** 'navigator' in a browser (or where a global `navigator.gpu` exists), 'webgpu-npm' in Node. */
  readonly source: 'navigator' | 'webgpu-npm';
}

export interface AcquireOptions {
  powerPreference?: GPUPowerPreference;
  /** Options passed to the `webgpu` package's `create()` in Node (Dawn toggles). */
  dawnOptions?: readonly string[];
}

const SETUP_HINT =
  'WebGPU found no adapter. The usual cause is a machine without a GPU or without a Vulkan ' +
  'driver. To run WebGPU on the CPU, install a Vulkan driver: SwiftShader (Debian: ' +
  '`apt-get install chromium`, then set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json ' +
  'and LD_LIBRARY_PATH=/usr/lib/chromium) or Mesa lavapipe (Debian: `apt-get install ' +
  "mesa-vulkan-drivers libvulkan1`). Or use the CPU backend: setBackend('cpu').";

const OPTIONAL_FEATURES: readonly GPUFeatureName[] = [
  'timestamp-query',
  'shader-f16',
  'subgroups' as GPUFeatureName,
];

let nodeGpu: Promise<GPU> | undefined;

async function loadNodeGpu(options: readonly string[]): Promise<GPU> {
  let mod: { create: (options: string[]) => GPU; globals: object };
  try {
    mod = (await importWebGpuPackage()) as typeof mod;
  } catch (e) {
    throw new WebGpuUnavailableError(
      'WebGPU in Node needs the optional peer dependency `webgpu` (Dawn): `npm install webgpu`. ' +
        `Loading it failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  // GPUBufferUsage, GPUMapMode, GPUShaderStage … must be globals, as in a browser.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  return mod.create([...options]);
}

function getGpu(options: AcquireOptions): { gpu: Promise<GPU>; source: AcquiredDevice['source'] } {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: Promise.resolve(nav.gpu), source: 'navigator' };
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (!isNode) {
    throw new WebGpuUnavailableError(
      'This browser has no WebGPU (navigator.gpu is undefined). Use a browser with WebGPU enabled ' +
        "(Chromium: --enable-unsafe-webgpu on Linux), a secure context (https or localhost), or setBackend('cpu').",
    );
  }
  if (!nodeGpu) {
    nodeGpu = loadNodeGpu(options.dawnOptions ?? []);
    nodeGpu.catch(() => {
      nodeGpu = undefined;
    });
  }
  return { gpu: nodeGpu, source: 'webgpu-npm' };
}

/**
 * Acquires a fresh adapter and device (an adapter makes one device only). Requests the
 * adapter's buffer-size limits, since the device defaults (256/128 MiB) are far below what
 * adapters offer.
 */
export async function acquireDevice(options: AcquireOptions = {}): Promise<AcquiredDevice> {
  const { gpu: gpuPromise, source } = getGpu(options);
  const gpu = await gpuPromise;
  const adapter = await gpu.requestAdapter(
    options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
  );
  if (!adapter) throw new WebGpuUnavailableError(SETUP_HINT);
  const l = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxBufferSize: l.maxBufferSize,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
  };
  // Optional features the backend uses where they exist (GPU timing in benchmarks).
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'typegrad' });
  const ai = adapter.info;
  return {
    device,
    adapter,
    info: {
      vendor: ai?.vendor ?? '',
      architecture: ai?.architecture ?? '',
      device: ai?.device ?? '',
      description: ai?.description ?? '',
    },
    isFallbackAdapter: Boolean((ai as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter),
    source,
  };
}
