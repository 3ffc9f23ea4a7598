import type { DType } from '../core/dtype.ts';
import { checkDType } from '../core/guards.ts';

/**
 * Host data checks for the creation ops: a value that the dtype cannot hold exactly is an
 * error naming the op and the value, never a silent truncation, a NaN from a string, or 0
 * from NaN.
 */
export function checkHostValues(op: string, dtype: DType, values: ArrayLike<unknown>): void {
  // A typed array holds numbers; only floats into i32 can be inexact (a fast path for big data).
  if (
    ArrayBuffer.isView(values) &&
    (dtype !== 'i32' || values instanceof Int32Array || values instanceof Uint8Array)
  )
    return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'boolean') continue;
    if (typeof v !== 'number')
      throw new Error(
        `${op}: element ${i} is ${v === null ? 'null' : `${typeof v} ${JSON.stringify(v) ?? String(v)}`}; values must be numbers or booleans`,
      );
    if (dtype === 'i32' && !(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31))
      throw new Error(`${op}: element ${i} is ${v}, which is not an i32 (an integer in [-2^31, 2^31))`);
  }
}

/** An optional dtype name, checked (unknown names list the dtypes and suggest for numpy spellings). */
export function checkDTypeName(op: string, dtype: unknown): DType | undefined {
  return dtype === undefined ? undefined : checkDType(op, dtype);
}
