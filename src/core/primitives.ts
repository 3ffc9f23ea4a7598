import type { DType } from './dtype.ts';

/**
 * The primitive set. Everything public (softmax, LSTM, cross-entropy, pooling …) is a
 * composition of these. Each primitive's rules (shape, jvp, transpose, batching) live in
 * tables keyed by this map, so a primitive missing a rule is a compile error.
 *
 * Conventions, as in JAX's `lax`: elementwise binary primitives take operands of equal
 * shape and dtype (the public ops broadcast and promote first); movement primitives never
 * change dtype.
 */
export interface PrimParams {
  // elementwise unary: same shape and dtype out
  neg: Record<string, never>;
  exp: Record<string, never>;
  log: Record<string, never>;
  sin: Record<string, never>;
  cos: Record<string, never>;
  sqrt: Record<string, never>;
  tanh: Record<string, never>;
  logistic: Record<string, never>;
  abs: Record<string, never>;
  sign: Record<string, never>;
  // elementwise binary
  add: Record<string, never>;
  sub: Record<string, never>;
  mul: Record<string, never>;
  div: Record<string, never>;
  pow: Record<string, never>;
  max: Record<string, never>;
  min: Record<string, never>;
  compare: { op: CompareOp };
  /** select(cond: bool, onTrue, onFalse) */
  select: Record<string, never>;
  cast: { dtype: DType };
  // reductions
  reduce_sum: { axes: readonly number[] };
  reduce_max: { axes: readonly number[] };
  /** index of the first maximum along `axis` (removed from the shape), as i32 */
  argmax: { axis: number };
  /**
   * Pooling over the trailing `out.length` axes: for each window (see `core/window.ts`), the
   * flat index into the whole operand of its first maximum in row-major order (NaN counts as
   * the largest), as i32; the operand's leading dims pass through.
   */
  window_argmax: WindowParams;
  /** The value at window_argmax's index (max pooling); its tangent is gathered there. */
  window_max: WindowParams;
  // movement
  reshape: { shape: readonly number[] };
  /** operand dim i becomes output dim dims[i]; other output dims are broadcast */
  broadcast_in_dim: { shape: readonly number[]; dims: readonly number[] };
  transpose: { perm: readonly number[] };
  slice: { start: readonly number[]; limit: readonly number[]; stride: readonly number[] };
  /** lo/hi >= 0 edge padding with zeros; interior = zeros inserted between elements */
  pad: { lo: readonly number[]; hi: readonly number[]; interior: readonly number[] };
  concatenate: { axis: number };
  rev: { axes: readonly number[] };
  // linear algebra
  /** out dims = batch dims, lhs free dims, rhs free dims (JAX's dot_general order) */
  dot_general: {
    lhsContract: readonly number[];
    rhsContract: readonly number[];
    lhsBatch: readonly number[];
    rhsBatch: readonly number[];
  };
  /**
   * N-d convolution, lhs [N, C, ...spatial], rhs [O, C/groups, ...window], out [N, O, ...].
   * padding may be negative (crops). lhsDilation > 1 is a transposed convolution.
   */
  conv_general: {
    /** The window's step per spatial axis. */
    strides: readonly number[];
    /** `[before, after]` per spatial axis (negative crops). */
    padding: readonly (readonly [number, number])[];
    /** The input's dilation per axis (> 1: a transposed convolution). */
    lhsDilation: readonly number[];
    /** The kernel's dilation per axis (spacing of its taps). */
    rhsDilation: readonly number[];
    /** Channel groups. */
    groups: number;
  };
  // indexing
  /** numpy take: out = operand.shape[:axis] + indices.shape + operand.shape[axis+1:] */
  gather: { axis: number };
  /** scatter_add(operand, indices, updates): operand with updates added at indices (take's transpose) */
  scatter_add: { axis: number };
  // randomness
  /** Threefry-2x32 bits (as i32 bit patterns) from a key i32[2], counter stream `stream` */
  random_bits: { shape: readonly number[]; stream: number };
}

/** The windows of `window_argmax` / `window_max` over the trailing `out.length` axes. */
export type WindowParams = {
  readonly out: readonly number[];
  readonly window: readonly number[];
  readonly strides: readonly number[];
  /** low-side padding per axis (the high side is implied by `out`) */
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  /** PyTorch's adaptive windows instead (window, strides, padding, dilation unused) */
  readonly adaptive: boolean;
};

export type PrimName = keyof PrimParams;
export type CompareOp = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';

export const UNARY_PRIMS = [
  'neg',
  'exp',
  'log',
  'sin',
  'cos',
  'sqrt',
  'tanh',
  'logistic',
  'abs',
  'sign',
] as const satisfies readonly PrimName[];
export type UnaryPrim = (typeof UNARY_PRIMS)[number];

export const BINARY_PRIMS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'max',
  'min',
] as const satisfies readonly PrimName[];
export type BinaryPrim = (typeof BINARY_PRIMS)[number];

/** Every primitive name, checked complete against PrimParams at compile time. */
const ALL: { [K in PrimName]: true } = {
  neg: true,
  exp: true,
  log: true,
  sin: true,
  cos: true,
  sqrt: true,
  tanh: true,
  logistic: true,
  abs: true,
  sign: true,
  add: true,
  sub: true,
  mul: true,
  div: true,
  pow: true,
  max: true,
  min: true,
  compare: true,
  select: true,
  cast: true,
  reduce_sum: true,
  reduce_max: true,
  argmax: true,
  window_argmax: true,
  window_max: true,
  reshape: true,
  broadcast_in_dim: true,
  transpose: true,
  slice: true,
  pad: true,
  concatenate: true,
  rev: true,
  dot_general: true,
  conv_general: true,
  gather: true,
  scatter_add: true,
  random_bits: true,
};
export const PRIM_NAMES = Object.keys(ALL) as PrimName[];
