import type { DType } from '../core/dtype.ts';
import { promote } from '../core/dtype.ts';
import { checkOperand, describeValue } from '../core/guards.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';
import { currentLevel, Tracer } from '../core/trace.ts';
import { broadcastShapes } from '../shapes/broadcast.ts';
import { ShapeError } from '../shapes/dim.ts';

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

/** A short description of a value that is not a valid operand, for error messages (one wording library-wide). */
export function describeArg(x: unknown): string {
  return describeValue(x);
}

/**
 * Checks a public op's tensor argument on entry, so the error names that op: a tensor (not
 * disposed), or with `allowNumber` a JS number.
 */
export function checkArg(op: string, x: unknown, what = 'the operand', allowNumber = false): void {
  if (isTensor(x)) {
    if (x._storage) x._live(op);
    return;
  }
  if (allowNumber && typeof x === 'number') return;
  throw new Error(
    `${op}: ${what} must be a tensor${allowNumber ? ' or a number' : ''}, got ${describeArg(x)}`,
  );
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
  operands.forEach((x, i) => {
    checkArg(op, x, `operand ${i}`, true);
  });
  const dt = dtype ?? commonDType(op, operands);
  const tensorDTypes = [...new Set(operands.filter(isTensor).map((t) => t.dtype))];
  const computedIn = tensorDTypes.length === 1 && tensorDTypes[0] === dt ? '' : ` (computed in ${dt})`;
  for (const x of operands)
    if (
      typeof x === 'number' &&
      (dt === 'i32' || dt === 'bool') &&
      !Number.isInteger(x) &&
      Number.isFinite(x)
    )
      throw new Error(
        `${op}: the scalar ${x} is not an integer but the tensor is ${tensorDTypes.join('/')}${computedIn}; cast the tensor to f32 first`,
      );
  const shape = operands.reduce<readonly number[]>(
    (s, x) => (isTensor(x) ? broadcastShapes(op, s, x.shape as readonly number[]) : s),
    [],
  );
  // Eagerly, a JS number becomes one constant of the result's shape (one buffer, no
  // broadcast kernel); traced, it stays a scalar constant broadcast in the program.
  const eager = currentLevel() === 0;
  const tensors = operands.map((x) =>
    eager && typeof x === 'number' ? lax.full({ shape, dtype: dt }, x) : asTensor(x, dt, op),
  );
  return tensors.map((t) => {
    const b = broadcastTo(t, shape);
    if (b !== t) freeTemporaries([t], operands);
    return b;
  });
}

/**
 * Eager mode: frees tensors that coercion made for one op (scalar constants, casts,
 * broadcasts) once the op has read them, instead of leaving them to the garbage collector
 * (on WebGPU that would mean a fresh GPU buffer per op). Inside a transform they may be
 * captured as constants, so nothing is freed there.
 */
export function freeTemporaries(made: readonly Tensor[], inputs: readonly Operand[]): void {
  if (currentLevel() !== 0) return;
  for (const t of made) if (!inputs.includes(t) && !(t instanceof Tracer)) t.dispose();
}

/**
 * Checks an axis argument on entry: an integer in [-rank, rank), or (with `many`) an array
 * of them; `undefined` passes (the op's default). Anything else, null included, is an error
 * naming the op, before any work.
 */
export function checkAxisArg(op: string, axis: unknown, rank: number, many = false): void {
  if (axis === undefined) return;
  const list = many && Array.isArray(axis) ? axis : [axis];
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a))
      throw new ShapeError(
        `${op}: axis ${typeof a === 'string' ? JSON.stringify(a) : describeArg(a).replace(/^the number /, '')} is not an integer`,
      );
    if (a < -rank || a >= rank) throw new ShapeError(`${op}: axis ${a} is out of range for rank ${rank}`);
  }
}

/** Normalises a possibly negative axis, with an error naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim)
    throw new Error(`${op}: axis ${axis} out of range for rank ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

export const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);
