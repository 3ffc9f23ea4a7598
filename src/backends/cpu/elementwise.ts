/**
 * Elementwise kernels: unary math, binary arithmetic, compare, select and cast. Operands
 * have equal shapes (the core broadcasts first), so every loop is a flat pass.
 *
 * Arithmetic happens in JS doubles; storing into a Float32Array rounds to f32 and into an
 * Int32Array wraps modulo 2^32, which gives IEEE f32 and two's-complement i32 results.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import type { BinaryPrim, CompareOp, UnaryPrim } from '../../core/primitives.ts';
import { logisticF32, tanhF32 } from './f32-math.ts';
import { castToI32 } from './storage.ts';
import type { NumArray } from './strides.ts';

type Loop1 = (x: NumArray, out: NumArray) => void;
type Loop2 = (a: NumArray, b: NumArray, out: NumArray) => void;

/** exp-based logistic that never overflows: 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** sign(0) = 0 (and -0 for -0), NaN for NaN. */
export function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x;
}

// One loop per op: a shared loop calling a closure per element would be megamorphic and slow.
const UNARY_FLOAT: Record<UnaryPrim, Loop1> = {
  neg: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = -x[i]!;
  },
  exp: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.exp(x[i]!);
  },
  log: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.log(x[i]!);
  },
  sin: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.sin(x[i]!);
  },
  cos: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.cos(x[i]!);
  },
  sqrt: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.sqrt(x[i]!);
  },
  tanh: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.tanh(x[i]!);
  },
  logistic: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = logistic(x[i]!);
  },
  abs: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.abs(x[i]!);
  },
  sign: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = sign(x[i]!);
  },
};

/** f32 overrides: tanh and logistic from f32-math.ts (f32-accurate, about twice as fast). */
const UNARY_F32: Partial<Record<UnaryPrim, Loop1>> = {
  tanh: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = tanhF32(x[i]!);
  },
  logistic: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = logisticF32(x[i]!);
  },
};

/** i32 overrides: neg/abs wrap (-(-2^31) = -2^31), as two's complement does. */
const UNARY_INT: Partial<Record<UnaryPrim, Loop1>> = {
  neg: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = -x[i]! | 0;
  },
  abs: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.abs(x[i]!) | 0;
  },
};

export function unary(prim: UnaryPrim, x: TypedArray, out: TypedArray, dtype: DType): void {
  if (dtype === 'bool') {
    // abs and sign are the identity on 0/1; the rest have no bool meaning.
    if (prim !== 'abs' && prim !== 'sign') throw new Error(`cpu ${prim}: not defined for bool`);
    out.set(x);
    return;
  }
  const loop =
    (dtype === 'i32' ? UNARY_INT[prim] : dtype === 'f32' ? UNARY_F32[prim] : undefined) ?? UNARY_FLOAT[prim];
  loop(x, out);
}

/**
 * IEEE 754 / C pow: JS's `**` agrees except pow(1, y) = 1 for every y (NaN included) and
 * pow(-1, ±Infinity) = 1, where JS gives NaN.
 */
export function powIeee(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Number.POSITIVE_INFINITY || y === Number.NEGATIVE_INFINITY))) return 1;
  return x ** y;
}

/** max/min that propagate NaN (Math.max/min already do). */
const BINARY_FLOAT: Record<BinaryPrim, Loop2> = {
  add: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! + b[i]!;
  },
  sub: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! - b[i]!;
  },
  mul: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! * b[i]!;
  },
  div: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! / b[i]!;
  },
  pow: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = powIeee(a[i]!, b[i]!);
  },
  max: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = Math.max(a[i]!, b[i]!);
  },
  min: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = Math.min(a[i]!, b[i]!);
  },
};

/** Integer power by squaring, wrapping modulo 2^32; negative exponents give 1/a^-b truncated. */
export function ipow(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
  let r = 1;
  let base = a | 0;
  let e = b;
  while (e > 0) {
    if (e & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    e >>>= 1;
  }
  return r;
}

/** i32 overrides: exact wrapping multiply, truncating division (x/0 = 0), integer power. */
const BINARY_INT: Partial<Record<BinaryPrim, Loop2>> = {
  mul: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = Math.imul(a[i]!, b[i]!);
  },
  div: (a, b, o) => {
    for (let i = 0; i < o.length; i++) {
      const d = b[i]!;
      o[i] = d === 0 ? 0 : (a[i]! / d) | 0;
    }
  },
  pow: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = ipow(a[i]!, b[i]!);
  },
};

/** bool overrides (0/1 bytes): add = or, sub = xor, mul = and; max/min (or/and) need none. */
const BINARY_BOOL: Partial<Record<BinaryPrim, Loop2>> = {
  add: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! | b[i]!;
  },
  sub: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! ^ b[i]!;
  },
  mul: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! & b[i]!;
  },
};

export function binary(prim: BinaryPrim, a: TypedArray, b: TypedArray, out: TypedArray, dtype: DType): void {
  if (dtype === 'bool' && (prim === 'div' || prim === 'pow'))
    throw new Error(`cpu ${prim}: not defined for bool`);
  const special = dtype === 'i32' ? BINARY_INT[prim] : dtype === 'bool' ? BINARY_BOOL[prim] : undefined;
  (special ?? BINARY_FLOAT[prim])(a, b, out);
}

const COMPARE: Record<CompareOp, Loop2> = {
  lt: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! < b[i]! ? 1 : 0;
  },
  le: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! <= b[i]! ? 1 : 0;
  },
  gt: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! > b[i]! ? 1 : 0;
  },
  ge: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! >= b[i]! ? 1 : 0;
  },
  eq: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! === b[i]! ? 1 : 0;
  },
  ne: (a, b, o) => {
    for (let i = 0; i < o.length; i++) o[i] = a[i]! !== b[i]! ? 1 : 0;
  },
};

/** Writes 0/1 into `out` (a bool buffer). NaN compares false except under `ne`. */
export function compare(op: CompareOp, a: TypedArray, b: TypedArray, out: TypedArray): void {
  const loop = COMPARE[op];
  if (loop === undefined) throw new Error(`cpu compare: unknown op ${String(op)}`);
  loop(a, b, out);
}

export function select(cond: TypedArray, onTrue: TypedArray, onFalse: TypedArray, out: TypedArray): void {
  for (let i = 0; i < out.length; i++) out[i] = cond[i]! !== 0 ? onTrue[i]! : onFalse[i]!;
}

/**
 * Converts between dtypes: float → i32 truncates toward zero (NaN → 0, clamped to the i32
 * range), anything → bool is x != 0 (NaN → true), bool → number is 0/1.
 */
export function cast(x: TypedArray, from: DType, out: TypedArray, to: DType): void {
  if (to === 'bool') {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! !== 0 ? 1 : 0;
  } else if (to === 'i32' && (from === 'f32' || from === 'f64')) {
    for (let i = 0; i < x.length; i++) out[i] = castToI32(x[i]!);
  } else {
    // i32/bool → anything and float → float: a typed-array store converts exactly or rounds.
    out.set(x);
  }
}
