import type { DType } from '../core/dtype.ts';
import { promote } from '../core/dtype.ts';
import { checkOperand } from '../core/guards.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';
import { broadcastShapes } from '../shapes/broadcast.ts';

/** An op operand: a tensor, or a JS number that takes the other operand's dtype (a "weak" scalar, as in JAX). */
export type Operand = Tensor | number;

export function scalarOf(value: number, dtype: DType): Tensor {
  return lax.full({ shape: [], dtype }, value);
}

/** The common dtype of the operands; plain numbers do not promote. */
export function commonDType(op: string, operands: readonly Operand[], fallback: DType = 'f32'): DType {
  for (const x of operands) checkOperand(op, x);
  const dtypes = operands.filter(isTensor).map((t) => t.dtype);
  if (dtypes.length === 0) return fallback;
  return dtypes.reduce(promote);
}

/**
 * A JS number takes the tensor's dtype; a non-integer number cannot silently become an
 * integer (JAX would promote to float; here the type would then lie, so it is an error).
 */
export function asTensor(x: Operand, dtype: DType, op = 'op'): Tensor {
  checkOperand(op, x);
  if (isTensor(x)) return lax.cast(x, dtype);
  if ((dtype === 'i32' || dtype === 'bool') && !Number.isInteger(x) && Number.isFinite(x))
    throw new Error(
      `${op}: the scalar ${x} is not an integer but the tensor is ${dtype}; cast the tensor to f32 first`,
    );
  return scalarOf(x, dtype);
}

/** Broadcasts to `shape` by numpy's right-aligned rule. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const offset = shape.length - x.ndim;
  return lax.broadcastInDim(
    x,
    shape,
    x.shape.map((_, i) => i + offset),
  );
}

/** Coerces operands to one dtype and one broadcast shape. */
export function align(op: string, operands: readonly Operand[], dtype?: DType): Tensor[] {
  const dt = dtype ?? commonDType(op, operands);
  const tensors = operands.map((x) => asTensor(x, dt, op));
  const shape = tensors.reduce<readonly number[]>(
    (s, t) => broadcastShapes(op, s, t.shape as readonly number[]),
    [],
  );
  return tensors.map((t) => broadcastTo(t, shape));
}

/** Normalises a possibly negative axis, with an error naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim)
    throw new Error(`${op}: axis ${axis} out of range for rank ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

export const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);
