import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import { checkTensor } from '../core/guards.ts';
import * as lax from '../core/lax.ts';
import type { BinaryPrim, CompareOp, UnaryPrim } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';
import { bind1 } from '../core/trace.ts';
import type { Broadcast, BroadcastCheck } from '../shapes/broadcast.ts';
import { broadcastShapes } from '../shapes/broadcast.ts';
import type { Guard, Shape } from '../shapes/dim.ts';
import type { Operand } from './coerce.ts';
import { align, broadcastTo, commonDType } from './coerce.ts';
import type { Arg, FloatOf, ResultDType, ShapeOf } from './types.ts';

/** A broadcasting binary op; the guard puts a shape mismatch on the second argument. */
export type BinaryOp<Op extends string> = <X extends Arg, Y extends Arg>(
  a: X,
  b: Y & Guard<BroadcastCheck<Op, ShapeOf<X>, ShapeOf<Y>>>,
) => Tensor<Broadcast<ShapeOf<X>, ShapeOf<Y>>, ResultDType<X, Y>>;

export type CompareFn<Op extends string> = <X extends Arg, Y extends Arg>(
  a: X,
  b: Y & Guard<BroadcastCheck<Op, ShapeOf<X>, ShapeOf<Y>>>,
) => Tensor<Broadcast<ShapeOf<X>, ShapeOf<Y>>, 'bool'>;

export type UnaryOp = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, D>;
export type FloatUnaryOp = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, FloatOf<D>>;

/** Arithmetic on bools happens in i32; true division of integers happens in f32 (as JAX). */
function arithmeticDType(op: string, operands: readonly Operand[], trueDivision: boolean): DType {
  const dt = commonDType(op, operands);
  if (dt === 'bool') return trueDivision ? 'f32' : 'i32';
  if (trueDivision && !isFloat(dt)) return 'f32';
  return dt;
}

function binary<Op extends string>(op: Op, prim: BinaryPrim, trueDivision = false): BinaryOp<Op> {
  return ((a: Operand, b: Operand) => {
    const [x, y] = align(op, [a, b], arithmeticDType(op, [a, b], trueDivision));
    return bind1(prim, [x!, y!]);
  }) as unknown as BinaryOp<Op>;
}

function comparison<Op extends string>(op: Op, cmp: CompareOp): CompareFn<Op> {
  return ((a: Operand, b: Operand) => {
    const [x, y] = align(op, [a, b]);
    return lax.compare(x!, y!, cmp);
  }) as unknown as CompareFn<Op>;
}

function floatUnary(prim: UnaryPrim): FloatUnaryOp {
  return ((x: Tensor) => {
    checkTensor(prim, x);
    return lax.unary(prim, isFloat(x.dtype) ? x : lax.cast(x, 'f32'));
  }) as FloatUnaryOp;
}

function numericUnary(op: string, prim: UnaryPrim): UnaryOp {
  return ((x: Tensor) => {
    checkTensor(op, x);
    if (x.dtype === 'bool') throw new Error(`${op}: not defined on bool tensors; cast first`);
    return lax.unary(prim, x);
  }) as UnaryOp;
}

export const add = binary('add', 'add');
export const sub = binary('sub', 'sub');
export const mul = binary('mul', 'mul');
/** True division: integer operands give f32. */
export const div = binary('div', 'div', true);
export const pow = binary('pow', 'pow');
export const maximum = binary('maximum', 'max');
export const minimum = binary('minimum', 'min');

export const equal = comparison('equal', 'eq');
export const notEqual = comparison('notEqual', 'ne');
export const less = comparison('less', 'lt');
export const lessEqual = comparison('lessEqual', 'le');
export const greater = comparison('greater', 'gt');
export const greaterEqual = comparison('greaterEqual', 'ge');

export const neg = numericUnary('neg', 'neg');
export const abs = numericUnary('abs', 'abs');
export const sign = numericUnary('sign', 'sign');
export const exp = floatUnary('exp');
export const log = floatUnary('log');
export const sqrt = floatUnary('sqrt');
export const sin = floatUnary('sin');
export const cos = floatUnary('cos');

export function square<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, D> {
  return lax.mul(x, x) as Tensor<S, D>;
}

export function reciprocal<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const v = isFloat(x.dtype) ? x : lax.cast(x, 'f32');
  return lax.div(lax.fullLike(v.aval, 1), v) as Tensor<S, FloatOf<D>>;
}

/** `where(cond, a, b)`: a where cond is true, else b; all three broadcast. */
export function where<C extends Shape, X extends Arg, Y extends Arg>(
  cond: Tensor<C, 'bool'>,
  a: X & Guard<BroadcastCheck<'where', C, ShapeOf<X>>>,
  b: Y & Guard<BroadcastCheck<'where', Broadcast<C, ShapeOf<X>>, ShapeOf<Y>>>,
): Tensor<Broadcast<Broadcast<C, ShapeOf<X>>, ShapeOf<Y>>, ResultDType<X, Y>> {
  if (cond.dtype !== 'bool') throw new Error(`where: condition must be bool, got ${cond.describe()}`);
  const [x, y] = align('where', [a as Operand, b as Operand]);
  const shape = broadcastShapes('where', cond.shape as readonly number[], x!.shape as readonly number[]);
  return lax.select(broadcastTo(cond, shape), broadcastTo(x!, shape), broadcastTo(y!, shape)) as never;
}

/** Elementwise cast (float -> int truncates toward zero; -> bool is x != 0). */
export function cast<S extends Shape, D extends DType>(x: Tensor<S, DType>, dtype: D): Tensor<S, D> {
  return lax.cast(x, dtype) as Tensor<S, D>;
}

/** Clamps into [lo, hi]. */
export function clip<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  lo: number,
  hi: number,
): Tensor<S, D> {
  if (lo > hi) throw new Error(`clip: lower bound ${lo} exceeds upper bound ${hi}`);
  return lax.min(lax.max(x, lax.fullLike(x.aval, lo)), lax.fullLike(x.aval, hi)) as Tensor<S, D>;
}
