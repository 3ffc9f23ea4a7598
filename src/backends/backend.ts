import type { DType, TypedArray } from '../core/dtype.ts';
import type { PrimName, PrimParams } from '../core/primitives.ts';

/** An opaque handle to a backend's storage for one tensor. */
export type BufferHandle = unknown;

/** What a kernel sees of an operand: its storage, shape and dtype. */
export interface Operand {
  readonly buffer: BufferHandle;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** The shape and dtype a primitive's output will have (computed by the core's shape rules). */
export interface OutputSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A variable of a program given to `Backend.fuse` (structurally, a jaxpr `Var`). */
export interface ProgramVar {
  readonly aval: OutputSpec;
}

/** One equation of such a program: `outs = prim[params](inputs)`. */
export interface ProgramEqn {
  readonly prim: string;
  readonly inputs: readonly ProgramVar[];
  readonly params: unknown;
  readonly outs: readonly ProgramVar[];
}

/** A staged program (structurally, a jaxpr) as a backend sees it for fusion. */
export interface Program {
  readonly eqns: readonly ProgramEqn[];
  readonly outVars: readonly ProgramVar[];
}

/**
 * A kernel that replaces a group of a program's equations. It runs where the last of them
 * (`eqns` holds their indices, ascending) would run, reads `inputs` (variables defined
 * before the group) and writes `output`; the group's other values are never materialized
 * (the planner only groups values used nowhere else).
 */
export interface FusedKernel {
  readonly eqns: readonly number[];
  readonly inputs: readonly ProgramVar[];
  readonly output: ProgramVar;
  run(inputs: readonly Operand[]): BufferHandle;
}

/**
 * A backend implements primitives on its own storage. It knows nothing of ops, layers or
 * autodiff. The core has already checked shapes and dtypes; kernels re-check what they index.
 */
export interface Backend {
  readonly name: 'cpu' | 'webgpu';
  /** dtypes this backend stores (f64 is CPU-only). */
  supports(dtype: DType): boolean;
  /** Copies host data into a new buffer. */
  upload(data: TypedArray, dtype: DType): BufferHandle;
  /** Reads a buffer back. Always available. */
  read(buffer: BufferHandle, dtype: DType, size: number): Promise<TypedArray>;
  /**
   * Optional: a new buffer of `size` elements all equal to `value`, made on the backend
   * (saves building the data on the host and uploading it).
   */
  fill?(dtype: DType, size: number, value: number): BufferHandle;
  /** Synchronous read, for backends whose memory is the host's (CPU). */
  readSync?(buffer: BufferHandle, dtype: DType, size: number): TypedArray;
  /** Runs one primitive; returns the output's new buffer. */
  run<P extends PrimName>(
    prim: P,
    inputs: readonly Operand[],
    params: PrimParams[P],
    out: OutputSpec,
  ): BufferHandle;
  /** Frees a buffer; it is never used again. */
  dispose(buffer: BufferHandle): void;
  /** Waits for queued work (a no-op on CPU). */
  sync(): Promise<void>;
  /**
   * Optional: plans fused kernels for a `jit` program (called once per program and backend;
   * the plan is cached with the program). Equations not covered run one primitive each.
   */
  fuse?(program: Program): readonly FusedKernel[];
  /**
   * Optional (scan's per-step slices): a buffer aliasing `size` elements of `buffer` from
   * element `offset`, without a copy. It is disposed on its own; `buffer` outlives it.
   */
  view?(buffer: BufferHandle, dtype: DType, offset: number, size: number): BufferHandle;
  /** Optional (scan's stacked outputs): copies all `size` elements of `src` into `dst` from element `offset`, in place. */
  writeInto?(dst: BufferHandle, src: BufferHandle, dtype: DType, offset: number, size: number): void;
}
