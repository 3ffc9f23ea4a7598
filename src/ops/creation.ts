import { formatShape, sizeOf } from '../core/aval.ts';
import { currentBackend } from '../core/backend-registry.ts';
import type { DType, TypedArray } from '../core/dtype.ts';
import { toArray } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import { checkDType, describeValue } from '../core/guards.ts';
import * as lax from '../core/lax.ts';
import { checkAllocation, checkDims } from '../core/limits.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Shape } from '../shapes/dim.ts';
import { checkDTypeName, checkHostValues } from './host-values.ts';

/** Nested arrays of numbers or booleans. */
export type NestedArray = number | boolean | readonly NestedArray[];

/** The literal shape of a nested array literal: `[[1, 2, 3], [4, 5, 6]]` is `[2, 3]`. */
export type ShapeOfNested<T> = T extends readonly (infer E)[]
  ? number extends T['length']
    ? [number, ...ShapeOfNested<E>]
    : [T['length'], ...ShapeOfNested<E>]
  : [];

/** bool for nested booleans (up to rank 4), else f32. */
type DTypeOfNested<T> = T extends boolean | readonly boolean[] | readonly (readonly boolean[])[]
  ? 'bool'
  : T extends readonly (readonly (readonly boolean[])[])[]
    ? 'bool'
    : 'f32';

type DTypeOfTyped<A> = A extends Float64Array
  ? 'f64'
  : A extends Int32Array
    ? 'i32'
    : A extends Uint8Array
      ? 'bool'
      : 'f32';

/** A literal shape argument (`[2, 3] as const` or inferred) as the tensor's mutable tuple type. */
export type Mutable<S> = { -readonly [K in keyof S]: S[K] };

/**
 * The options of `tensor`.
 */
export interface TensorOptions<D extends DType> {
  /** The element type; by default inferred from the data (f32 for numbers, bool for booleans, a typed array's own). */
  readonly dtype?: D;
}

function shapeOfNested(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = (cur as readonly NestedArray[])[0] as NestedArray;
  }
  return shape;
}

function flattenNested(
  data: NestedArray,
  shape: readonly number[],
  depth: number,
  out: (number | boolean)[],
): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) throw new Error('tensor: ragged nested array (too deep)');
    out.push(data as number | boolean);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth])
    throw new Error(`tensor: ragged nested array: expected ${shape[depth]} items at depth ${depth}`);
  for (const d of data as readonly NestedArray[]) flattenNested(d, shape, depth + 1, out);
}

function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function dtypeOfTyped(x: TypedArray): DType {
  if (x instanceof Float64Array) return 'f64';
  if (x instanceof Int32Array) return 'i32';
  if (x instanceof Uint8Array) return 'bool';
  return 'f32';
}

/**
 * Makes a tensor from nested arrays (shape inferred, literal in the type; numbers give f32,
 * booleans bool) or from a flat typed/plain array with an explicit shape (its length
 * checked). A typed array alone gives a 1-D tensor of its dtype.
 *
 * @param data - Nested arrays, or a flat typed or plain array.
 * @param opts - `dtype`, to override the inferred one.
 * @returns A new tensor on the current backend.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { type Tensor, tensor } from 'typegrad';
 * const x: Tensor<[2, 3], 'f32'> = tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual(x.shape, [2, 3]);
 * const y = tensor(new Int32Array([1, 2, 3, 4]), [2, 2]);
 * assert.deepEqual([y.dtype, y.toArray()], ['i32', [[1, 2], [3, 4]]]);
 * assert.equal(tensor([true, false]).dtype, 'bool');
 * ```
 */
export function tensor<A extends TypedArray, D extends DType = DTypeOfTyped<A>>(
  data: A,
  opts?: TensorOptions<D>,
): Tensor<[number], NoInfer<D>>;
export function tensor<const T extends NestedArray, D extends DType = DTypeOfNested<T>>(
  data: T,
  opts?: TensorOptions<D>,
): Tensor<ShapeOfNested<T>, NoInfer<D>>;
export function tensor<
  const S extends Shape,
  A extends TypedArray | readonly number[],
  D extends DType = DTypeOfTyped<A>,
>(data: A, shape: S, opts?: TensorOptions<D>): Tensor<Mutable<S>, NoInfer<D>>;
export function tensor(data: unknown, shapeOrOpts?: unknown, maybeOpts?: TensorOptions<DType>): Tensor {
  const opts = (Array.isArray(shapeOrOpts) ? maybeOpts : shapeOrOpts) as TensorOptions<DType> | undefined;
  checkOptions('tensor', opts, ['dtype']);
  if (opts?.dtype !== undefined) checkDType('tensor', opts.dtype);
  if (Array.isArray(shapeOrOpts)) {
    const shape = shapeOrOpts as number[];
    const values = data as TypedArray | readonly number[];
    if (!isTypedArray(values) && !Array.isArray(values))
      throw new Error('tensor: data must be a typed array or an array of numbers');
    checkShape('tensor', shape);
    if (values.length !== sizeOf(shape))
      throw new Error(
        `tensor: data has ${values.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`,
      );
    const dtype =
      checkDTypeName('tensor', maybeOpts?.dtype) ?? (isTypedArray(values) ? dtypeOfTyped(values) : 'f32');
    checkHostValues('tensor', dtype, values);
    return fromHost(toArray(dtype, values as ArrayLike<number>), { shape, dtype }, 'tensor');
  }
  if (isTypedArray(data)) {
    const dtype = checkDTypeName('tensor', opts?.dtype) ?? dtypeOfTyped(data);
    checkHostValues('tensor', dtype, data);
    return fromHost(toArray(dtype, data), { shape: [data.length], dtype }, 'tensor');
  }
  const nested = data as NestedArray;
  const shape = shapeOfNested(nested);
  const flat: (number | boolean)[] = [];
  flattenNested(nested, shape, 0, flat);
  const dtype = checkDTypeName('tensor', opts?.dtype) ?? (typeof flat[0] === 'boolean' ? 'bool' : 'f32');
  checkHostValues('tensor', dtype, flat);
  return fromHost(toArray(dtype, flat), { shape, dtype }, 'tensor');
}

function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape))
    throw new Error(`${op}: the shape must be an array of dims such as [2, 3], got ${describeValue(shape)}`);
  checkDims(op, shape);
}

/**
 * The element type of a created tensor (f32 unless given).
 */
export interface DTypeOptions<D extends DType> {
  /** The element type (default f32). */
  readonly dtype?: D;
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @param shape - The shape (literal in the result's type).
 * @param value - The fill value.
 * @param opts - `dtype` (default f32).
 * @returns A new tensor of shape `shape`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { full } from 'typegrad';
 * assert.deepEqual(full([2, 2], 7).toArray(), [[7, 7], [7, 7]]);
 * assert.equal(full([4], 1, { dtype: 'i32' }).dtype, 'i32');
 * ```
 */
export function full<const S extends readonly number[], D extends DType = 'f32'>(
  shape: S,
  value: number,
  opts?: DTypeOptions<D>,
): Tensor<Mutable<S>, NoInfer<D>> {
  return filled('full', shape, value, opts);
}

function filled<S extends readonly number[], D extends DType>(
  op: string,
  shape: S,
  value: number,
  opts: DTypeOptions<D> | undefined,
): Tensor<Mutable<S>, D> {
  checkOptions(op, opts, ['dtype']);
  checkShape(op, shape);
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new Error(`${op}: value must be a number, got ${describeValue(value)}`);
  const dtype = checkDTypeName(op, opts?.dtype) ?? 'f32';
  checkHostValues(op, dtype, [value]);
  return lax.full({ shape, dtype }, value) as Tensor<Mutable<S>, D>;
}

/**
 * A tensor of zeros.
 *
 * @param shape - The shape (literal in the result's type).
 * @param opts - `dtype` (default f32).
 * @returns A new tensor of shape `shape`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { type Tensor, zeros } from 'typegrad';
 * const z: Tensor<[2, 3], 'f32'> = zeros([2, 3]);
 * assert.deepEqual(z.toArray(), [[0, 0, 0], [0, 0, 0]]);
 * assert.equal(zeros([5], { dtype: 'i32' }).dtype, 'i32');
 * ```
 */
export function zeros<const S extends readonly number[], D extends DType = 'f32'>(
  shape: S,
  opts?: DTypeOptions<D>,
): Tensor<Mutable<S>, NoInfer<D>> {
  return filled('zeros', shape, 0, opts);
}

/**
 * A tensor of ones.
 *
 * @param shape - The shape (literal in the result's type).
 * @param opts - `dtype` (default f32).
 * @returns A new tensor of shape `shape`.
 *
 * @example
 * ```ts
 * import { ones } from 'typegrad';
 * console.log(ones([3]).toArray()); // [1, 1, 1]
 * ```
 */
export function ones<const S extends readonly number[], D extends DType = 'f32'>(
  shape: S,
  opts?: DTypeOptions<D>,
): Tensor<Mutable<S>, NoInfer<D>> {
  return filled('ones', shape, 1, opts);
}

/**
 * `arange`'s options: the step (default 1) and the dtype.
 */
export interface ArangeOptions<D extends DType> extends DTypeOptions<D> {
  /**
   * The spacing between values (default 1; may be negative, not 0).
   */
  readonly step?: number;
}

/**
 * `[start, stop)` with `step`, as numpy's `arange`: `arange(stop)` starts at 0. f32 unless
 * all arguments are integers and no dtype is given, then i32.
 *
 * @param stop - The end (exclusive); with one number, the start is 0.
 * @param opts - `step` (default 1) and `dtype`.
 * @returns A 1-D tensor of `ceil((stop - start) / step)` values.
 *
 * @example
 * ```ts
 * import { arange } from 'typegrad';
 * console.log(arange(4).toArray(), arange(4).dtype); // [0, 1, 2, 3] i32
 * console.log(arange(0, 1, { step: 0.25 }).toArray()); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export function arange<D extends DType = 'f32' | 'i32'>(
  stop: number,
  opts?: ArangeOptions<D>,
): Tensor<[number], NoInfer<D>>;
export function arange<D extends DType = 'f32' | 'i32'>(
  start: number,
  stop: number,
  opts?: ArangeOptions<D>,
): Tensor<[number], NoInfer<D>>;
export function arange(a: number, b?: number | ArangeOptions<DType>, c?: ArangeOptions<DType>): Tensor {
  const [start, stop, opts] = typeof b === 'number' ? [a, b, c] : [0, a, b];
  checkOptions('arange', opts, ['step', 'dtype']);
  const step = opts?.step ?? 1;
  const dtype = opts?.dtype;
  if (typeof step !== 'number' || step === 0 || !Number.isFinite(step))
    throw new Error(`arange: step must be finite and non-zero, got ${String(step)}`);
  for (const [name, v] of [
    ['start', start],
    ['stop', stop],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`arange: ${name} must be a finite number, got ${String(v)}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dt = checkDTypeName('arange', dtype) ?? ([start, stop, step].every(Number.isInteger) ? 'i32' : 'f32');
  checkAllocation('arange', currentBackend(), { shape: [n], dtype: dt });
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  return fromHost(toArray(dt, values), { shape: [n], dtype: dt }, 'arange');
}

/**
 * `num` evenly spaced values from `start` to `stop` inclusive (numpy's `linspace`).
 *
 * @param start - The first value.
 * @param stop - The last value.
 * @param num - How many values (a non-negative integer; literal in the result's type).
 * @returns An f32 tensor of shape `[num]`.
 *
 * @example
 * ```ts
 * import { linspace } from 'typegrad';
 * console.log(linspace(0, 1, 5).toArray()); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace<const N extends number>(start: number, stop: number, num: N): Tensor<[N], 'f32'> {
  if (!Number.isInteger(num) || num < 0)
    throw new Error(`linspace: num must be a non-negative integer, got ${num}`);
  for (const [name, v] of [
    ['start', start],
    ['stop', stop],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`linspace: ${name} must be a finite number, got ${String(v)}`);
  checkAllocation('linspace', currentBackend(), { shape: [num], dtype: 'f32' });
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  const values = Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : start + i * step));
  return fromHost(toArray('f32', values), { shape: [num], dtype: 'f32' }, 'linspace') as Tensor<[N], 'f32'>;
}

/**
 * The `n × n` identity matrix, or `n × columns` with ones on the main diagonal.
 *
 * @param n - The number of rows.
 * @param opts - `columns` (default `n`).
 * @returns An f32 tensor of shape `[n, columns]`.
 *
 * @example
 * ```ts
 * import { eye } from 'typegrad';
 * console.log(eye(2).toArray()); // [[1, 0], [0, 1]]
 * console.log(eye(2, { columns: 3 }).toArray()); // [[1, 0, 0], [0, 1, 0]]
 * ```
 */
export function eye<const N extends number, const M extends number = N>(
  n: N,
  opts?: { readonly columns?: M },
): Tensor<[N, NoInfer<M>], 'f32'> {
  checkOptions('eye', opts, ['columns']);
  const cols = opts?.columns ?? n;
  checkShape('eye', [n, cols]);
  checkAllocation('eye', currentBackend(), { shape: [n, cols], dtype: 'f32' });
  const data = new Float32Array(n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) data[i * cols + i] = 1;
  return fromHost(data, { shape: [n, cols], dtype: 'f32' }, 'eye') as Tensor<[N, M], 'f32'>;
}
