/** `split` into pieces along an axis and `flip` (reverse) along axes. */

import type { DType } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { NormalizeAxes } from '../shapes/axis.ts';
import { normalizeAxes } from '../shapes/axis.ts';
import type { Checked, CheckOf, Failure, IsTuple, Shape, ShapeError } from '../shapes/dim.ts';
import type { SplitRule } from '../shapes/split.ts';
import { splitSizes } from '../shapes/split.ts';
import { checkArg, describeArg, normalizeAxis } from './coerce.ts';

/**
 * The options of `split`.
 */
export interface SplitOptions<A extends number = number> {
  /** the axis to split (default 0); negative counts from the end */
  readonly axis?: A;
}

/** The pieces as tensors: a tuple when the rule knows them, else a list. */
type SplitResult<R, D extends DType> =
  R extends Failure<string>
    ? Tensor<number[], D>[]
    : R extends readonly (readonly unknown[])[] // not `Shape[]`: a generic dim must not defer this
      ? number[][] extends R
        ? Tensor<number[], D>[]
        : { [K in keyof R]: Tensor<R[K], D> }
      : Tensor<number[], D>[];
type SplitCheck<R> = R extends Failure<infer M> ? ShapeError<M> : unknown;

/**
 * Splits `x` along `axis` (default 0): a number n gives n equal pieces (numpy's and JAX's
 * `split`; the size must divide), an array gives pieces of those sizes (they must sum to the
 * axis size). NOTE: PyTorch's `torch.split(x, n)` takes n as the piece *size*. Typed: a
 * literal count or literal sizes give a tuple of tensors with those sizes, and a count that
 * does not divide a literal axis size (or sizes that do not sum to it) is a compile error
 * naming `split`.
 *
 * @param x the tensor to cut
 * @param sections the number of equal pieces, or the size of each piece
 * @param opts `axis`
 * @returns the pieces, in order; each keeps `x`'s rank
 * @example
 * ```ts
 * import { split, type Tensor, tensor, zeros } from 'typegrad';
 *
 * const [a, b] = split(tensor([1, 2, 3, 4, 5]), [2, 3]);
 * console.log(a.toArray(), b.toArray()); // [1, 2] [3, 4, 5]
 * const [q, k, v]: [Tensor<[8, 16]>, Tensor<[8, 16]>, Tensor<[8, 16]>] = split(zeros([8, 48]), 3, { axis: 1 });
 * ```
 */
export function split<
  S extends Shape,
  D extends DType,
  const N extends number | readonly number[],
  const A extends number = 0,
>(
  x: Tensor<S, D>,
  sections: Checked<N, SplitCheck<SplitRule<S, N, A>>>,
  opts: SplitOptions<A> = {},
): SplitResult<SplitRule<S, N, NoInfer<A>>, D> {
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
  if (typeof sections === 'number' && !(Number.isInteger(sections) && sections > 0))
    throw new Error(`${op}: the number of pieces must be a positive integer, got ${sections}`);
  if (typeof sections !== 'number' && sections.some((s) => !(Number.isInteger(s) && s >= 0)))
    throw new Error(`${op}: sizes [${sections.join(', ')}] must be non-negative integers`);
  const sizes = splitSizes(n, axis, sections as number | readonly number[]);
  let offset = 0;
  return sizes.map((size) => {
    const start = dims.map((_, i) => (i === axis ? offset : 0));
    const limit = dims.map((d, i) => (i === axis ? offset + size : d));
    offset += size;
    return lax.slice(t, { start, limit, stride: dims.map(() => 1) });
  }) as never;
}

/** `unknown` when every axis is in range and none repeats, else the `flip:` ShapeError. */
type FlipCheck<S extends Shape, Axis> =
  IsTuple<S> extends false
    ? unknown
    : Axis extends number
      ? CheckOf<NormalizeAxes<'flip', [Axis], S['length']>>
      : Axis extends readonly number[]
        ? IsTuple<Axis> extends true
          ? CheckOf<NormalizeAxes<'flip', Axis, S['length']>>
          : unknown
        : unknown;

/**
 * Reverses `x` along the given axis or axes (PyTorch's `torch.flip(x, dims)`); negative axes
 * count from the end. An axis out of range or named twice is a compile error naming `flip`.
 *
 * @param x the tensor to reverse
 * @param axis one axis or a list of axes
 * @returns a tensor of `x`'s shape
 * @example
 * ```ts
 * import { flip, tensor } from 'typegrad';
 *
 * console.log(flip(tensor([[1, 2], [3, 4]]), 1).toArray()); // [[2, 1], [4, 3]]
 * console.log(flip(tensor([[1, 2], [3, 4]]), [0, -1]).toArray()); // [[4, 3], [2, 1]]
 * ```
 */
export function flip<S extends Shape, D extends DType, const A extends number | readonly number[]>(
  x: Tensor<S, D>,
  axis: Checked<A, FlipCheck<S, A>>,
): Tensor<S, D> {
  checkArg('flip', x, 'x');
  const t = x as Tensor;
  const list: readonly unknown[] = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : [axis];
  for (const a of list)
    if (typeof a !== 'number')
      throw new Error(`flip: axis must be a number or an array of numbers, got ${describeArg(a)}`);
  return lax.rev(t, normalizeAxes('flip', list as readonly number[], t.ndim)) as never;
}
