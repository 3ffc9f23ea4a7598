import type { Aval } from './aval.ts';
import type { DType } from './dtype.ts';
import { filled } from './eval.ts';
import { withCpuConv, withCpuPool } from './install-kernels.ts';
import type { CompareOp, PrimParams, UnaryPrim, WindowParams } from './primitives.ts';
import type { Tensor } from './tensor.ts';
import { bind1 } from './trace.ts';

/**
 * Thin typed wrappers over `bind`, one per primitive (JAX's `lax`). Rules and public ops
 * are written with these; they do no broadcasting or promotion.
 */
export const unary = (prim: UnaryPrim, x: Tensor): Tensor => bind1(prim, [x]);
export const neg = (x: Tensor) => bind1('neg', [x]);
export const exp = (x: Tensor) => bind1('exp', [x]);
export const log = (x: Tensor) => bind1('log', [x]);
export const sin = (x: Tensor) => bind1('sin', [x]);
export const cos = (x: Tensor) => bind1('cos', [x]);
export const sqrt = (x: Tensor) => bind1('sqrt', [x]);
export const tanh = (x: Tensor) => bind1('tanh', [x]);
export const logistic = (x: Tensor) => bind1('logistic', [x]);
export const abs = (x: Tensor) => bind1('abs', [x]);
export const sign = (x: Tensor) => bind1('sign', [x]);

export const add = (a: Tensor, b: Tensor) => bind1('add', [a, b]);
export const sub = (a: Tensor, b: Tensor) => bind1('sub', [a, b]);
export const mul = (a: Tensor, b: Tensor) => bind1('mul', [a, b]);
export const div = (a: Tensor, b: Tensor) => bind1('div', [a, b]);
export const pow = (a: Tensor, b: Tensor) => bind1('pow', [a, b]);
export const max = (a: Tensor, b: Tensor) => bind1('max', [a, b]);
export const min = (a: Tensor, b: Tensor) => bind1('min', [a, b]);
export const compare = (a: Tensor, b: Tensor, op: CompareOp) => bind1('compare', [a, b], { op });
export const select = (c: Tensor, a: Tensor, b: Tensor) => bind1('select', [c, a, b]);
export const cast = (x: Tensor, dtype: DType) => (x.dtype === dtype ? x : bind1('cast', [x], { dtype }));

export const reduceSum = (x: Tensor, axes: readonly number[]) =>
  axes.length === 0 ? x : bind1('reduce_sum', [x], { axes: [...axes].sort((a, b) => a - b) });
export const reduceMax = (x: Tensor, axes: readonly number[]) =>
  axes.length === 0 ? x : bind1('reduce_max', [x], { axes: [...axes].sort((a, b) => a - b) });
export const argmax = (x: Tensor, axis: number) => bind1('argmax', [x], { axis });
// The conv and max-pool binders install their CPU loops first (install-kernels.ts), so apps
// that never bind those primitives do not bundle the loops.
export const windowArgmax = (x: Tensor, p: WindowParams) => {
  withCpuPool();
  return bind1('window_argmax', [x], p);
};
export const windowMax = (x: Tensor, p: WindowParams) => {
  withCpuPool();
  return bind1('window_max', [x], p);
};

export const reshape = (x: Tensor, shape: readonly number[]) =>
  sameDims(x.shape, shape) ? x : bind1('reshape', [x], { shape: [...shape] });
export const broadcastInDim = (x: Tensor, shape: readonly number[], dims: readonly number[]) =>
  sameDims(x.shape, shape) ? x : bind1('broadcast_in_dim', [x], { shape: [...shape], dims: [...dims] });
export const transpose = (x: Tensor, perm: readonly number[]) =>
  perm.every((p, i) => p === i) ? x : bind1('transpose', [x], { perm: [...perm] });
export const slice = (x: Tensor, p: PrimParams['slice']) => bind1('slice', [x], p);
export const pad = (x: Tensor, p: PrimParams['pad']) => bind1('pad', [x], p);
export const concatenate = (xs: readonly Tensor[], axis: number) =>
  xs.length === 1 ? xs[0]! : bind1('concatenate', xs, { axis });
export const rev = (x: Tensor, axes: readonly number[]) =>
  axes.length === 0 ? x : bind1('rev', [x], { axes });
export const dotGeneral = (a: Tensor, b: Tensor, p: PrimParams['dot_general']) =>
  bind1('dot_general', [a, b], p);
export const convGeneral = (x: Tensor, w: Tensor, p: PrimParams['conv_general']) => {
  withCpuConv();
  return bind1('conv_general', [x, w], p);
};
export const gather = (x: Tensor, idx: Tensor, axis: number) => bind1('gather', [x, idx], { axis });
export const scatterAdd = (x: Tensor, idx: Tensor, upd: Tensor, axis: number) =>
  bind1('scatter_add', [x, idx, upd], { axis });
export const randomBits = (key: Tensor, shape: readonly number[], stream = 0) =>
  bind1('random_bits', [key], { shape: [...shape], stream });

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A constant filled with `value`. */
export function full(aval: Aval, value: number): Tensor {
  return filled(aval, value, 'full');
}

export const zerosLike = (aval: Aval) => full(aval, 0);

/** A scalar constant broadcast to `aval` (cheap: one element, then broadcast). */
export function fullLike(aval: Aval, value: number): Tensor {
  const s = full({ shape: [], dtype: aval.dtype }, value);
  return broadcastInDim(s, aval.shape, []);
}
