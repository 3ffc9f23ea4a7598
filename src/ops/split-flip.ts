/** `split` into pieces along an axis and `flip` (reverse) along axes. */

import type { DType } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Shape } from '../shapes/dim.ts';
import { checkArg, describeArg, normalizeAxis } from './coerce.ts';

/**
 * The options of `split`.
 */
export interface SplitOptions {
  /** the axis to split (default 0); negative counts from the end */
  readonly axis?: number;
}

/**
 * Splits `x` along `axis` (default 0): a number n gives n equal pieces (numpy's and JAX's
 * `split`; the size must divide), an array gives pieces of those sizes (they must sum to the
 * axis size). NOTE: PyTorch's `torch.split(x, n)` takes n as the piece *size*.
 *
 * @param x - A tensor of any shape.
 * @param sections - The number of equal pieces, or the pieces' sizes.
 * @param opts - `axis` (default 0).
 * @returns The pieces, in order; each keeps `x`'s rank.
 *
 * @example
 * ```ts
 * import { split, tensor } from 'typegrad';
 * console.log(split(tensor([1, 2, 3, 4, 5]), [2, 3]).map((t) => t.toArray())); // [[1, 2], [3, 4, 5]]
 * console.log(split(tensor([[1, 2], [3, 4]]), 2, { axis: 1 }).map((t) => t.toArray())); // [[[1], [3]], [[2], [4]]]
 * ```
 */
export function split<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  sections: number | readonly number[],
  opts: SplitOptions = {},
): Tensor<number[], D>[] {
  const op = 'split';
  checkArg(op, x, 'x');
  checkOptions(op, opts, ['axis']);
  if (typeof sections !== 'number' && !Array.isArray(sections))
    throw new Error(
      `${op}: sections must be a number of pieces or an array of sizes, got ${describeArg(sections)}`,
    );
  const t = x as Tensor;
  const dims = t.shape as readonly number[];
  if (opts.axis !== undefined && typeof opts.axis !== 'number')
    throw new Error(`${op}: axis must be a number, got ${describeArg(opts.axis)}`);
  const axis = normalizeAxis(op, opts.axis ?? 0, t.ndim);
  const n = dims[axis]!;
  let sizes: readonly number[];
  if (typeof sections === 'number') {
    if (!(Number.isInteger(sections) && sections > 0))
      throw new Error(`${op}: the number of pieces must be a positive integer, got ${sections}`);
    if (n % sections !== 0)
      throw new Error(`${op}: axis ${axis} of size ${n} does not split into ${sections} equal pieces`);
    sizes = Array(sections).fill(n / sections);
  } else {
    if (sections.some((s) => !(Number.isInteger(s) && s >= 0)))
      throw new Error(`${op}: sizes [${sections.join(', ')}] must be non-negative integers`);
    const total = sections.reduce((a, b) => a + b, 0);
    if (total !== n)
      throw new Error(`${op}: sizes [${sections.join(', ')}] sum to ${total}, not the axis size ${n}`);
    sizes = sections;
  }
  let offset = 0;
  return sizes.map((size) => {
    const start = dims.map((_, i) => (i === axis ? offset : 0));
    const limit = dims.map((d, i) => (i === axis ? offset + size : d));
    offset += size;
    return lax.slice(t, { start, limit, stride: dims.map(() => 1) }) as never;
  });
}

/**
 * Reverses `x` along the given axis or axes (PyTorch's `torch.flip(x, dims)`).
 *
 * @param x - A tensor of any shape.
 * @param axis - The axis or axes reversed; negative counts from the end.
 * @returns A tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * import { flip, tensor } from 'typegrad';
 * console.log(flip(tensor([[1, 2], [3, 4]]), 1).toArray()); // [[2, 1], [4, 3]]
 * console.log(flip(tensor([[1, 2], [3, 4]]), [0, 1]).toArray()); // [[4, 3], [2, 1]]
 * ```
 */
export function flip<S extends Shape, D extends DType>(
  x: Tensor<S, D>,
  axis: number | readonly number[],
): Tensor<S, D> {
  checkArg('flip', x, 'x');
  const t = x as Tensor;
  const list: readonly unknown[] = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : [axis];
  for (const a of list)
    if (typeof a !== 'number')
      throw new Error(`flip: axis must be a number or an array of numbers, got ${describeArg(a)}`);
  const axes = (list as readonly number[]).map((a) => normalizeAxis('flip', a, t.ndim));
  if (new Set(axes).size !== axes.length) throw new Error(`flip: axis repeated in [${axes.join(', ')}]`);
  return lax.rev(t, axes) as never;
}
