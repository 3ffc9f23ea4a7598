import { WebGpuCompileError } from './errors.ts';
import type { DispatchSpec } from './kernel.ts';
import { PRELUDE } from './wgsl.ts';

interface PipelineEntry {
  pipeline: GPUComputePipeline;
  /** The bindings' WGSL types and the uniform block's vec4 count it was built for. */
  readonly inTypes: readonly string[];
  readonly outTypes: readonly string[];
  readonly nvec: number;
  /** Set once the asynchronous validation of the pipeline has failed. */
  error?: Error;
}

/**
 * Compute pipelines by kernel key, and the bind-group layouts they use (binding 0: the
 * uniform block at a dynamic offset; then the inputs, read-only; then the outputs).
 * Validation is asynchronous: a failed pipeline's error is kept, thrown by later lookups
 * and reported through `report`.
 */
export class PipelineCache {
  /** Pipelines by kernel key; the few variants of one key differ in binding types. */
  private readonly byKey = new Map<string, PipelineEntry[]>();
  private readonly layouts = new Map<string, { bgl: GPUBindGroupLayout; pl: GPUPipelineLayout }>();
  size = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly track: (check: Promise<void>) => void,
    private readonly report: (error: Error) => void,
  ) {}

  layout(nIn: number, nOut: number): { bgl: GPUBindGroupLayout; pl: GPUPipelineLayout } {
    const key = `${nIn}:${nOut}`;
    let l = this.layouts.get(key);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = [
        {
          binding: 0,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: 'uniform', hasDynamicOffset: true },
        },
      ];
      for (let i = 0; i < nIn; i++) {
        entries.push({
          binding: 1 + i,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: 'read-only-storage' },
        });
      }
      for (let i = 0; i < nOut; i++) {
        entries.push({
          binding: 1 + nIn + i,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: 'storage' },
        });
      }
      const bgl = this.device.createBindGroupLayout({ label: `typegrad:layout:${key}`, entries });
      const pl = this.device.createPipelineLayout({
        label: `typegrad:layout:${key}`,
        bindGroupLayouts: [bgl],
      });
      l = { bgl, pl };
      this.layouts.set(key, l);
    }
    return l;
  }

  private static source(spec: DispatchSpec, nvec: number): string {
    const lines = [
      `struct Params { v: array<vec4<u32>, ${nvec}> }`,
      '@group(0) @binding(0) var<uniform> prm: Params;',
    ];
    spec.inputs.forEach((b, i) => {
      lines.push(`@group(0) @binding(${1 + i}) var<storage, read> in${i}: array<${b.type}>;`);
    });
    spec.outputs.forEach((b, i) => {
      lines.push(
        `@group(0) @binding(${1 + spec.inputs.length + i}) var<storage, read_write> out${i}: array<${b.type}>;`,
      );
    });
    // `enable` must come first; only kernels with f16 bindings need it (and the feature).
    const f16 = [...spec.inputs, ...spec.outputs].some((b) => b.type === 'f16');
    const enables = [...(f16 ? ['f16'] : []), ...(spec.enables ?? [])].map((e) => `enable ${e};\n`);
    return `${enables.join('')}${lines.join('\n')}\n${PRELUDE}\n${spec.body()}\n`;
  }

  /** The cached pipeline of `spec` (found without building strings), or a new one. */
  get(spec: DispatchSpec, nvec: number): GPUComputePipeline {
    let variants = this.byKey.get(spec.key);
    if (variants) {
      for (const e of variants) {
        if (e.nvec === nvec && sameTypes(e.inTypes, spec.inputs) && sameTypes(e.outTypes, spec.outputs)) {
          if (e.error) throw e.error;
          return e.pipeline;
        }
      }
    } else {
      variants = [];
      this.byKey.set(spec.key, variants);
    }
    const code = PipelineCache.source(spec, nvec);
    const { pl } = this.layout(spec.inputs.length, spec.outputs.length);
    const device = this.device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label: `typegrad:${spec.op}`, code });
    const pipeline = device.createComputePipeline({
      label: `typegrad:${spec.op}`,
      layout: pl,
      compute: { module, entryPoint: 'main' },
    });
    const entry: PipelineEntry = {
      pipeline,
      inTypes: spec.inputs.map((b) => b.type),
      outTypes: spec.outputs.map((b) => b.type),
      nvec,
    };
    variants.push(entry);
    this.size++;
    const op = spec.op;
    this.track(
      device.popErrorScope().then(async (err) => {
        if (!err) return;
        const messages = await compilationMessages(module);
        entry.error = new WebGpuCompileError(op, messages, err.message);
        this.report(entry.error);
      }),
    );
    return pipeline;
  }
}

function sameTypes(types: readonly string[], bindings: DispatchSpec['inputs']): boolean {
  if (types.length !== bindings.length) return false;
  for (let i = 0; i < types.length; i++) if (types[i] !== bindings[i]!.type) return false;
  return true;
}

export async function compilationMessages(module: GPUShaderModule): Promise<string[]> {
  try {
    const info = await module.getCompilationInfo();
    return info.messages
      .filter((m) => m.type === 'error')
      .map((m) => `${m.lineNum}:${m.linePos}: ${m.message}`);
  } catch {
    return [];
  }
}
