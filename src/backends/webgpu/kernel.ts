import type { DType } from '../../core/dtype.ts';
import type { PrimName, PrimParams } from '../../core/primitives.ts';
import type { OutputSpec } from '../backend.ts';

/** GPU storage shared by buffer handles (reshape and same-dtype cast alias it). */
export class GpuStorage {
  refs = 1;
  constructor(
    readonly gpu: GPUBuffer,
    /** The size class (the GPUBuffer's size), in bytes. */
    readonly bytes: number,
  ) {}
}

/** The WebGPU backend's `BufferHandle`. */
export class WebGpuBuffer {
  disposed = false;
  constructor(
    readonly storage: GpuStorage,
    readonly dtype: DType,
    /** Element count. */
    readonly length: number,
    /** The backend that made it (handles are not portable between devices). */
    readonly owner: object,
  ) {}
}

/** A kernel's operand: its buffer, shape and dtype. */
export interface GpuOperand {
  readonly buf: WebGpuBuffer;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export interface Binding {
  readonly buf: WebGpuBuffer;
  /** WGSL element type of the `array<…>` binding, e.g. 'f32' or 'atomic<u32>'. */
  readonly type: string;
}

/** One compute dispatch. Bindings are generated: `meta` (uniform), `in0…`, `out0…`. */
export interface DispatchSpec {
  /** Primitive (or step) name, used in labels and errors. */
  readonly op: string;
  /** Pipeline cache key (WGSL depends only on it and the bindings' types). */
  readonly key: string;
  readonly inputs: readonly Binding[];
  readonly outputs: readonly Binding[];
  /** u32 words of the uniform block; negative integers are stored as their i32 bits. */
  readonly meta: readonly number[];
  readonly workgroups: readonly [number, number, number];
  /** WGSL after the bindings: helper functions and `fn main`. */
  readonly body: () => string;
}

/** What kernels may ask of the backend. */
export interface KernelContext {
  alloc(op: string, spec: OutputSpec): WebGpuBuffer;
  /** A new handle sharing `buf`'s storage (for zero-copy reshape). */
  alias(buf: WebGpuBuffer, spec: OutputSpec): WebGpuBuffer;
  /** Frees a temporary (safe even if queued work still reads it). */
  release(buf: WebGpuBuffer): void;
  dispatch(spec: DispatchSpec): void;
  readonly limits: GPUSupportedLimits;
}

export type Kernel<P extends PrimName> = (
  ctx: KernelContext,
  inputs: readonly GpuOperand[],
  params: PrimParams[P],
  out: OutputSpec,
) => WebGpuBuffer;

export type KernelTable = { [P in PrimName]: Kernel<P> };

export function expectInputs(op: string, inputs: readonly GpuOperand[], n: number): void {
  if (inputs.length !== n) throw new Error(`webgpu ${op}: expected ${n} inputs, got ${inputs.length}`);
}

/** i32 bit pattern of a (possibly negative) integer, as a u32 word. */
export function word(x: number): number {
  return x >>> 0;
}
