/** oneHot: appends an axis of size N (the number of classes). */

import type { Lt } from './arith.ts';
import type { CheckOf, Failure, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';

type OneHotRule<S extends Shape, N extends number> =
  Lt<N, 0> extends true
    ? Failure<`oneHot: depth ${N} is negative`>
    : IsTuple<S> extends false
      ? UnknownShape
      : [...S, N];

export type OneHot<S extends Shape, N extends number> = ResultOf<OneHotRule<S, N>>;
export type OneHotCheck<S extends Shape, N extends number> =
  OneHotRule<S, N> extends infer R ? CheckOf<R> : never;

/** The shape of `oneHot(x, n)` for `x` of shape `s`, or throws the `ShapeError` that `OneHotCheck` shows. */
export function oneHotShape(s: readonly number[], n: number): number[] {
  if (n < 0) shapeError(`oneHot: depth ${n} is negative`);
  return [...s, n];
}
