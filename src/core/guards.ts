/**
 * Argument checks for JavaScript callers, whom the types do not protect: each turns a mistake
 * that would give silent garbage (NaNs, a sum over everything, the wrong dtype) into an Error
 * naming the op and the value at fault.
 */

import { DTYPES, type DType } from './dtype.ts';
import { isTensor, type Tensor } from './tensor.ts';

/** What people coming from numpy or PyTorch type instead of typegrad's dtype names. */
const DTYPE_ALIASES: Readonly<Record<string, DType>> = {
  float16: 'f16',
  half: 'f16',
  float32: 'f32',
  float: 'f32',
  float64: 'f64',
  double: 'f64',
  int32: 'i32',
  int: 'i32',
  boolean: 'bool',
  bool_: 'bool',
};

/** A short, readable account of a JavaScript value for an error message. */
export function describeValue(v: unknown): string {
  if (isTensor(v)) return `the tensor ${v.describe()}`;
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `the string '${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `the ${typeof v} ${v}`;
  if (Array.isArray(v)) {
    const text = JSON.stringify(v) ?? '';
    return `the array ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
  }
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  return `an object {${Object.keys(v).slice(0, 4).join(', ')}}`;
}

/** The typegrad name for a numpy/PyTorch dtype spelling, if it is one. */
export function dtypeAlias(name: unknown): DType | undefined {
  return typeof name === 'string' && Object.hasOwn(DTYPE_ALIASES, name) ? DTYPE_ALIASES[name] : undefined;
}

/**
 * Checks a dtype name; unknown names get the list, and numpy/PyTorch spellings get the
 * typegrad one suggested (`'float32'` → `'f32'`).
 */
export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype === 'string' && (DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  const alias = dtypeAlias(dtype);
  const hint = alias ? `; did you mean '${alias}'?` : '';
  const shown = typeof dtype === 'string' ? `'${dtype}'` : describeValue(dtype);
  throw new Error(`${op}: unknown dtype ${shown}${hint} (dtypes: ${DTYPES.join(', ')})`);
}

/** An operand must be a tensor or a number: arrays and the rest would broadcast as garbage. */
export function checkOperand(op: string, x: unknown): asserts x is Tensor | number {
  if (isTensor(x) || typeof x === 'number') return;
  const hint = Array.isArray(x) ? ` (wrap it: tensor(${JSON.stringify(x)}))` : '';
  throw new Error(`${op}: expected a Tensor or a number, got ${describeValue(x)}${hint}`);
}

/** A tensor argument. */
export function checkTensor(op: string, x: unknown, what = 'argument'): asserts x is Tensor {
  if (isTensor(x)) return;
  const hint = Array.isArray(x) || typeof x === 'number' ? ' (make one with tensor(...))' : '';
  throw new Error(`${op}: the ${what} must be a Tensor, got ${describeValue(x)}${hint}`);
}
