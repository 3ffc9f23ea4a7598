/** flatten({ startAxis, endAxis }): merge the axes start..end (inclusive) into one; a scalar becomes [1]. */
import type { Add, Lt, Product } from './arith.ts';
import type { AxisError, NormalizeAxis } from './axis.ts';
import { normalizeAxis } from './axis.ts';
import type { CheckOf, Failure, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';
import type { DropFirst, SliceDims, TakeFirst } from './tuple.ts';

type FlattenAxes<S extends Shape, Start extends number, End extends number> =
  NormalizeAxis<'flatten', Start, S['length']> extends infer A extends number
    ? NormalizeAxis<'flatten', End, S['length']> extends infer B extends number
      ? number extends A | B
        ? UnknownShape
        : Lt<B, A> extends true
          ? Failure<`flatten: start axis ${Start} and end axis ${End} are out of order`>
          : [...TakeFirst<S, A>, Product<SliceDims<S, A, Add<B, 1>>>, ...DropFirst<S, Add<B, 1>>]
      : AxisError<'flatten', End, S['length']>
    : AxisError<'flatten', Start, S['length']>;

type FlattenRule<S extends Shape, Start extends number, End extends number> =
  IsTuple<S> extends false ? UnknownShape : S extends readonly [] ? [1] : FlattenAxes<S, Start, End>;

export type Flatten<S extends Shape, Start extends number = 0, End extends number = -1> = ResultOf<
  FlattenRule<S, Start, End>
>;
export type FlattenCheck<S extends Shape, Start extends number = 0, End extends number = -1> =
  FlattenRule<S, Start, End> extends infer R ? CheckOf<R> : never;

/** The shape of `flatten(x, { startAxis: start, endAxis: end })` for `x` of shape `s`, or throws the `ShapeError` that `FlattenCheck` shows. */
export function flattenShape(s: readonly number[], start = 0, end = -1): number[] {
  if (s.length === 0) return [1];
  const a = normalizeAxis('flatten', start, s.length);
  const b = normalizeAxis('flatten', end, s.length);
  if (b < a) shapeError(`flatten: start axis ${start} and end axis ${end} are out of order`);
  const merged = s.slice(a, b + 1).reduce((x, y) => x * y, 1);
  return [...s.slice(0, a), merged, ...s.slice(b + 1)];
}
