import { sameShape } from '../core/aval.ts';
import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import type { BinaryPrim, CompareOp, UnaryPrim } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';
import { bind1, currentLevel } from '../core/trace.ts';
import type { Broadcast, BroadcastCheck } from '../shapes/broadcast.ts';
import { broadcastShapes } from '../shapes/broadcast.ts';
import type { Checked, Shape } from '../shapes/dim.ts';
import type { Operand } from './coerce.ts';
import { align, broadcastTo, checkArg, commonDType, describeArg, freeTemporaries } from './coerce.ts';
import type { Arg, FloatOf, ResultDType, ShapeOf } from './types.ts';

/**
 * The type of a broadcasting binary op (`add`, `mul`, …): two tensors or numbers whose shapes
 * broadcast as numpy's; a mismatch is a compile error on the second argument.
 */
export type BinaryOp<Op extends string> = <X extends Arg, Y extends Arg>(
  a: X,
  b: Checked<Y, BroadcastCheck<Op, ShapeOf<X>, ShapeOf<Y>>>,
) => Tensor<Broadcast<ShapeOf<X>, ShapeOf<Y>>, ResultDType<X, Y>>;

/**
 * The type of an elementwise comparison (`equal`, `less`, …): like {@link BinaryOp}, with a
 * bool result of the broadcast shape.
 */
export type CompareFn<Op extends string> = <X extends Arg, Y extends Arg>(
  a: X,
  b: Checked<Y, BroadcastCheck<Op, ShapeOf<X>, ShapeOf<Y>>>,
) => Tensor<Broadcast<ShapeOf<X>, ShapeOf<Y>>, 'bool'>;

/**
 * The type of an elementwise op that keeps shape and dtype (`neg`, `abs`, `sign`).
 */
export type UnaryOp = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, D>;
/**
 * The type of an elementwise op with a float result (`exp`, `log`, …): integer and bool inputs
 * give f32.
 */
export type FloatUnaryOp = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, FloatOf<D>>;

/** Arithmetic on bools happens in i32; true division of integers happens in f32 (as JAX). */
function arithmeticDType(op: string, operands: readonly Operand[], trueDivision: boolean): DType {
  const dt = commonDType(op, operands);
  if (dt === 'bool') return trueDivision ? 'f32' : 'i32';
  if (trueDivision && !isFloat(dt)) return 'f32';
  return dt;
}

/** A tensor that eager code may pass straight to a kernel: concrete and alive. */
function liveConcrete(x: Operand): x is Tensor {
  return typeof x !== 'number' && isTensor(x) && x._storage !== undefined && !x._storage.freed;
}

/** Whether a tensor of `dtype` computes `op` in its own dtype (no promotion). */
function keepsDType(dtype: DType, trueDivision: boolean): boolean {
  return dtype !== 'bool' && (!trueDivision || isFloat(dtype));
}

/**
 * Eager mode's common cases, without `align`'s general machinery (its arrays, sets and
 * broadcast rules were most of a small op's cost): two live tensors of one shape and dtype,
 * or a live tensor and a JS number that it takes in its own dtype. The results are those of
 * the general path; anything else (broadcasting, promotion, errors) returns undefined for it.
 */
function eagerBinary(prim: BinaryPrim, a: Operand, b: Operand, trueDivision: boolean): Tensor | undefined {
  if (currentLevel() !== 0) return undefined;
  if (liveConcrete(a)) {
    if (!keepsDType(a.dtype, trueDivision)) return undefined;
    if (liveConcrete(b)) {
      if (a.dtype !== b.dtype || !sameShape(a.shape, b.shape)) return undefined;
      return bind1(prim, [a, b]);
    }
    if (typeof b !== 'number' || (!isFloat(a.dtype) && !Number.isInteger(b))) return undefined;
    return withConstant(prim, a, b, false);
  }
  if (typeof a !== 'number' || !liveConcrete(b)) return undefined;
  if (!keepsDType(b.dtype, trueDivision) || (!isFloat(b.dtype) && !Number.isInteger(a))) return undefined;
  return withConstant(prim, b, a, true);
}

/** `x ∘ value` (or `value ∘ x`), the number as a constant of x's shape freed after the op. */
function withConstant(prim: BinaryPrim, x: Tensor, value: number, numberFirst: boolean): Tensor {
  const c = lax.full(x, value);
  try {
    return bind1(prim, numberFirst ? [c, x] : [x, c]);
  } finally {
    c.dispose();
  }
}

function binary<Op extends string>(op: Op, prim: BinaryPrim, trueDivision = false): BinaryOp<Op> {
  return ((a: Operand, b: Operand) => {
    const fast = eagerBinary(prim, a, b, trueDivision);
    if (fast !== undefined) return fast;
    const [x, y] = align(op, [a, b], arithmeticDType(op, [a, b], trueDivision));
    const r = bind1(prim, [x!, y!]);
    freeTemporaries([x!, y!], [a, b]);
    return r;
  }) as unknown as BinaryOp<Op>;
}

function comparison<Op extends string>(op: Op, cmp: CompareOp): CompareFn<Op> {
  return ((a: Operand, b: Operand) => {
    const [x, y] = align(op, [a, b]);
    const r = lax.compare(x!, y!, cmp);
    freeTemporaries([x!, y!], [a, b]);
    return r;
  }) as unknown as CompareFn<Op>;
}

function floatUnary(prim: UnaryPrim): FloatUnaryOp {
  return ((x: Tensor) => {
    checkArg(prim, x);
    return lax.unary(prim, isFloat(x.dtype) ? x : lax.cast(x, 'f32'));
  }) as FloatUnaryOp;
}

function numericUnary(op: string, prim: UnaryPrim): UnaryOp {
  return ((x: Tensor) => {
    checkArg(op, x);
    if (x.dtype === 'bool') throw new Error(`${op}: not defined on bool tensors; cast first`);
    return lax.unary(prim, x);
  }) as UnaryOp;
}

/**
 * Elementwise `a + b`, broadcasting as numpy (shapes right-aligned; a mismatch is a compile error on `b`). A plain number takes the tensor's dtype.
 *
 * @param a - A tensor, or a number (it takes the other operand's dtype).
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A tensor of the broadcast shape and the operands' common dtype.
 *
 * @example
 * ```ts
 * import { add, tensor } from 'typegrad';
 * console.log(add(tensor([1, 2]), 10).toArray()); // [11, 12]
 * ```
 * @function
 */
export const add = binary('add', 'add');
/**
 * Elementwise `a - b`, broadcasting as numpy: `[2, 1] - [2]` gives `[2, 2]`.
 *
 * @param a - A tensor, or a number (it takes the other operand's dtype).
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A tensor of the broadcast shape and the operands' common dtype.
 *
 * @example
 * ```ts
 * import { sub, tensor } from 'typegrad';
 * console.log(sub(tensor([[1], [2]]), tensor([1, 2])).toArray()); // [[0, -1], [1, 0]]
 * ```
 * @function
 */
export const sub = binary('sub', 'sub');
/**
 * Elementwise `a * b`, broadcasting as numpy.
 *
 * @param a - A tensor, or a number (it takes the other operand's dtype).
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A tensor of the broadcast shape and the operands' common dtype.
 *
 * @example
 * ```ts
 * import { mul, tensor } from 'typegrad';
 * console.log(mul(tensor([1, 2, 3]), 2).toArray()); // [2, 4, 6]
 * ```
 * @function
 */
export const mul = binary('mul', 'mul');
/**
 * True division `a / b`, broadcasting as numpy: integer operands give f32.
 *
 * @param a - A tensor, or a number (it takes the other operand's dtype).
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A tensor of the broadcast shape and the operands' common dtype.
 *
 * @example
 * ```ts
 * import { div, tensor } from 'typegrad';
 * console.log(div(tensor([1, 2], { dtype: 'i32' }), 2).toArray()); // [0.5, 1]
 * ```
 * @function
 */
export const div = binary('div', 'div', true);
/**
 * Elementwise `a ** b`, broadcasting as numpy.
 *
 * @param a - A tensor, or a number (it takes the other operand's dtype).
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A tensor of the broadcast shape and the operands' common dtype.
 *
 * @example
 * ```ts
 * import { pow, tensor } from 'typegrad';
 * console.log(pow(tensor([2, 3]), 2).toArray()); // [4, 9]
 * ```
 * @function
 */
export const pow = binary('pow', 'pow');
/**
 * Elementwise maximum of `a` and `b`, broadcasting as numpy (`maximum(x, 0)` is ReLU).
 *
 * @param a - A tensor, or a number (it takes the other operand's dtype).
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A tensor of the broadcast shape and the operands' common dtype.
 *
 * @example
 * ```ts
 * import { maximum, tensor } from 'typegrad';
 * console.log(maximum(tensor([-1, 2]), 0).toArray()); // [0, 2]
 * ```
 * @function
 */
export const maximum = binary('maximum', 'max');
/**
 * Elementwise minimum of `a` and `b`, broadcasting as numpy.
 *
 * @param a - A tensor, or a number (it takes the other operand's dtype).
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A tensor of the broadcast shape and the operands' common dtype.
 *
 * @example
 * ```ts
 * import { minimum, tensor } from 'typegrad';
 * console.log(minimum(tensor([-1, 2]), 0).toArray()); // [-1, 0]
 * ```
 * @function
 */
export const minimum = binary('minimum', 'min');

/**
 * Elementwise `a == b` as a bool tensor, broadcasting as numpy.
 *
 * @param a - A tensor, or a number.
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A bool tensor of the broadcast shape.
 *
 * @example
 * ```ts
 * import { equal, tensor } from 'typegrad';
 * console.log(equal(tensor([1, 2]), tensor([1, 3])).toArray()); // [true, false]
 * ```
 * @function
 */
export const equal = comparison('equal', 'eq');
/**
 * Elementwise `a != b` as a bool tensor, broadcasting as numpy.
 *
 * @param a - A tensor, or a number.
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A bool tensor of the broadcast shape.
 *
 * @example
 * ```ts
 * import { notEqual, tensor } from 'typegrad';
 * console.log(notEqual(tensor([1, 2]), tensor([1, 3])).toArray()); // [false, true]
 * ```
 * @function
 */
export const notEqual = comparison('notEqual', 'ne');
/**
 * Elementwise `a < b` as a bool tensor, broadcasting as numpy.
 *
 * @param a - A tensor, or a number.
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A bool tensor of the broadcast shape.
 *
 * @example
 * ```ts
 * import { less, tensor } from 'typegrad';
 * console.log(less(tensor([1, 2]), 2).toArray()); // [true, false]
 * ```
 * @function
 */
export const less = comparison('less', 'lt');
/**
 * Elementwise `a <= b` as a bool tensor, broadcasting as numpy.
 *
 * @param a - A tensor, or a number.
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A bool tensor of the broadcast shape.
 *
 * @example
 * ```ts
 * import { lessEqual, tensor } from 'typegrad';
 * console.log(lessEqual(tensor([1, 2]), 2).toArray()); // [true, true]
 * ```
 * @function
 */
export const lessEqual = comparison('lessEqual', 'le');
/**
 * Elementwise `a > b` as a bool tensor, broadcasting as numpy.
 *
 * @param a - A tensor, or a number.
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A bool tensor of the broadcast shape.
 *
 * @example
 * ```ts
 * import { greater, tensor } from 'typegrad';
 * console.log(greater(tensor([1, 2]), 1).toArray()); // [false, true]
 * ```
 * @function
 */
export const greater = comparison('greater', 'gt');
/**
 * Elementwise `a >= b` as a bool tensor, broadcasting as numpy.
 *
 * @param a - A tensor, or a number.
 * @param b - A tensor or number whose shape broadcasts against `a`'s.
 * @returns A bool tensor of the broadcast shape.
 *
 * @example
 * ```ts
 * import { greaterEqual, tensor } from 'typegrad';
 * console.log(greaterEqual(tensor([1, 2]), 1).toArray()); // [true, true]
 * ```
 * @function
 */
export const greaterEqual = comparison('greaterEqual', 'ge');

/**
 * Elementwise `-x`, same shape and dtype (not defined on bool).
 *
 * @param x - A numeric tensor of any shape (not bool).
 * @returns A tensor of `x`'s shape and dtype.
 *
 * @example
 * ```ts
 * import { neg, tensor } from 'typegrad';
 * console.log(neg(tensor([1, -2])).toArray()); // [-1, 2]
 * ```
 * @function
 */
export const neg = numericUnary('neg', 'neg');
/**
 * Elementwise `|x|`, same shape and dtype (not defined on bool).
 *
 * @param x - A numeric tensor of any shape (not bool).
 * @returns A tensor of `x`'s shape and dtype.
 *
 * @example
 * ```ts
 * import { abs, tensor } from 'typegrad';
 * console.log(abs(tensor([1, -2])).toArray()); // [1, 2]
 * ```
 * @function
 */
export const abs = numericUnary('abs', 'abs');
/**
 * Elementwise sign: -1, 0 or 1, same shape and dtype (not defined on bool).
 *
 * @param x - A numeric tensor of any shape (not bool).
 * @returns A tensor of `x`'s shape and dtype.
 *
 * @example
 * ```ts
 * import { sign, tensor } from 'typegrad';
 * console.log(sign(tensor([-3, 0, 2])).toArray()); // [-1, 0, 1]
 * ```
 * @function
 */
export const sign = numericUnary('sign', 'sign');
/**
 * Elementwise `e^x`, same shape; integer and bool inputs give f32.
 *
 * @param x - A tensor of any shape.
 * @returns A tensor of `x`'s shape; f32 unless `x` is f32 or f64.
 *
 * @example
 * ```ts
 * import { exp, tensor } from 'typegrad';
 * console.log(exp(tensor([0])).toArray()); // [1]
 * ```
 * @function
 */
export const exp = floatUnary('exp');
/**
 * Elementwise natural logarithm, same shape; integer and bool inputs give f32.
 *
 * @param x - A tensor of any shape.
 * @returns A tensor of `x`'s shape; f32 unless `x` is f32 or f64.
 *
 * @example
 * ```ts
 * import { log, tensor } from 'typegrad';
 * console.log(log(tensor([1])).toArray()); // [0]
 * ```
 * @function
 */
export const log = floatUnary('log');
/**
 * Elementwise square root, same shape; integer and bool inputs give f32.
 *
 * @param x - A tensor of any shape.
 * @returns A tensor of `x`'s shape; f32 unless `x` is f32 or f64.
 *
 * @example
 * ```ts
 * import { sqrt, tensor } from 'typegrad';
 * console.log(sqrt(tensor([4, 9])).toArray()); // [2, 3]
 * ```
 * @function
 */
export const sqrt = floatUnary('sqrt');
/**
 * Elementwise sine (radians), same shape; integer and bool inputs give f32.
 *
 * @param x - A tensor of any shape.
 * @returns A tensor of `x`'s shape; f32 unless `x` is f32 or f64.
 *
 * @example
 * ```ts
 * import { sin, tensor } from 'typegrad';
 * console.log(sin(tensor([0])).toArray()); // [0]
 * ```
 * @function
 */
export const sin = floatUnary('sin');
/**
 * Elementwise cosine (radians), same shape; integer and bool inputs give f32.
 *
 * @param x - A tensor of any shape.
 * @returns A tensor of `x`'s shape; f32 unless `x` is f32 or f64.
 *
 * @example
 * ```ts
 * import { cos, tensor } from 'typegrad';
 * console.log(cos(tensor([0])).toArray()); // [1]
 * ```
 * @function
 */
export const cos = floatUnary('cos');

/**
 * Elementwise `x * x`, same shape and dtype.
 *
 * @param x - A numeric tensor of any shape.
 * @returns `x²`, of `x`'s shape and dtype.
 *
 * @example
 * ```ts
 * import { square, tensor } from 'typegrad';
 * console.log(square(tensor([-2, 3])).toArray()); // [4, 9]
 * ```
 */
export function square<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, D> {
  return lax.mul(x, x) as Tensor<S, D>;
}

/**
 * Elementwise `1 / x`, same shape; integer and bool inputs give f32.
 *
 * @param x - A tensor of any shape.
 * @returns `1 / x`, of `x`'s shape (`1 / 0` is `Infinity`).
 *
 * @example
 * ```ts
 * import { reciprocal, tensor } from 'typegrad';
 * console.log(reciprocal(tensor([2, 4])).toArray()); // [0.5, 0.25]
 * ```
 */
export function reciprocal<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const v = isFloat(x.dtype) ? x : lax.cast(x, 'f32');
  return lax.div(lax.fullLike(v.aval, 1), v) as Tensor<S, FloatOf<D>>;
}

/**
 * `where(cond, a, b)`: `a` where `cond` is true, else `b`, elementwise; all three broadcast
 * (numpy's `where`). The gradient flows to the chosen side only.
 *
 * @param cond - A bool tensor (from a comparison such as `greater`).
 * @param a - The values where `cond` is true: a tensor or a number.
 * @param b - The values where `cond` is false: a tensor or a number.
 * @returns A tensor of the broadcast shape of the three.
 *
 * @example
 * ```ts
 * import { greater, tensor, where } from 'typegrad';
 * const x = tensor([-1, 2, -3]);
 * console.log(where(greater(x, 0), x, 0).toArray()); // [0, 2, 0]
 * ```
 */
export function where<C extends Shape, X extends Arg, Y extends Arg>(
  cond: Tensor<C, 'bool'>,
  a: Checked<X, BroadcastCheck<'where', C, ShapeOf<X>>>,
  b: Checked<Y, BroadcastCheck<'where', Broadcast<C, ShapeOf<X>>, ShapeOf<Y>>>,
): Tensor<Broadcast<Broadcast<C, ShapeOf<X>>, ShapeOf<Y>>, ResultDType<X, Y>> {
  if (cond.dtype !== 'bool') throw new Error(`where: condition must be bool, got ${cond.describe()}`);
  const [x, y] = align('where', [a as Operand, b as Operand]);
  const shape = broadcastShapes('where', cond.shape as readonly number[], x!.shape as readonly number[]);
  return lax.select(broadcastTo(cond, shape), broadcastTo(x!, shape), broadcastTo(y!, shape)) as never;
}

/**
 * Elementwise conversion to `dtype` (float → int truncates toward zero; → bool is `x != 0`).
 *
 * @param x - A tensor of any shape and dtype.
 * @param dtype - The target dtype: `'f32'`, `'f64'`, `'i32'` or `'bool'`.
 * @returns A tensor of `x`'s shape and dtype `dtype`.
 *
 * @example
 * ```ts
 * import { cast, tensor } from 'typegrad';
 * console.log(cast(tensor([1.7, -1.7, 0]), 'i32').toArray()); // [1, -1, 0]
 * console.log(cast(tensor([2, 0]), 'bool').toArray()); // [true, false]
 * ```
 */
export function cast<S extends Shape, D extends DType>(x: Tensor<S, DType>, dtype: D): Tensor<S, D> {
  return lax.cast(x, dtype) as Tensor<S, D>;
}

/**
 * Clamps into `[lo, hi]` elementwise. The gradient is 1 on `[lo, hi]` including the bounds
 * (PyTorch's `clamp`), 0 outside; NaN stays NaN.
 *
 * @param x - A tensor of any shape.
 * @param lo - The lower bound (a number, not NaN).
 * @param hi - The upper bound, `hi >= lo`.
 * @returns A tensor of `x`'s shape and dtype.
 *
 * @example
 * ```ts
 * import { clip, tensor } from 'typegrad';
 * console.log(clip(tensor([-5, 0.5, 5]), 0, 1).toArray()); // [0, 0.5, 1]
 * ```
 */
export function clip<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  lo: number,
  hi: number,
): Tensor<S, D> {
  checkArg('clip', x, 'x');
  for (const [name, v] of [
    ['lower bound', lo],
    ['upper bound', hi],
  ] as const)
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new Error(
        `clip: the ${name} must be a number, got ${typeof v === 'number' ? v : describeArg(v)}`,
      );
  if (lo > hi) throw new Error(`clip: lower bound ${lo} exceeds upper bound ${hi}`);
  const low = lax.fullLike(x.aval, lo);
  const high = lax.fullLike(x.aval, hi);
  // selects, not max/min: their tie rule would give the gradient 1/2 at the bounds
  const above = lax.select(lax.compare(x, high, 'gt'), high, x);
  return lax.select(lax.compare(x, low, 'lt'), low, above) as Tensor<S, D>;
}
