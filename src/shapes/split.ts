/**
 * split's shape rule: a count n cuts the axis into n equal pieces (the size must divide), a
 * list of sizes cuts it into pieces of those sizes (they must sum to the axis size). Literal
 * counts and sizes give a tuple of shapes; anything else gives a list of `number[]`.
 */
import type { Add, FloorDiv, IsIntLiteral, Lt, Mod } from './arith.ts';
import type { Dim, Failure, IsTuple, NumericDim, Shape } from './dim.ts';
import { shapeError } from './dim.ts';
import type { MapAxes } from './tuple.ts';

type SplitAxis<A extends number, Rank extends number> = number extends A
  ? number
  : Lt<A, 0> extends true
    ? Lt<Add<A, Rank>, 0> extends true
      ? Failure<`split: axis ${A} out of range for rank ${Rank}`>
      : Add<A, Rank>
    : Lt<A, Rank> extends true
      ? A
      : Failure<`split: axis ${A} out of range for rank ${Rank}`>;

type Sum<Ns extends readonly number[], Acc extends number = 0> = Ns extends readonly [
  infer H extends number,
  ...infer R extends number[],
]
  ? Sum<R, Add<Acc, H>>
  : Acc;
type JoinSizes<Ns extends readonly number[]> = Ns extends readonly [
  infer H extends number,
  ...infer R extends number[],
]
  ? R extends []
    ? `${H}`
    : `${H}, ${JoinSizes<R>}`
  : '';

/** One shape per piece: S with the axis dim replaced by each size. */
type Pieces<S extends Shape, Axis extends number, Sizes extends readonly Dim[]> = {
  -readonly [K in keyof Sizes]: MapAxes<S, Axis, [Sizes[K] & Dim]>;
};
type Repeat<N extends number, D extends Dim, Acc extends Dim[] = []> = Acc['length'] extends N
  ? Acc
  : Repeat<N, D, [...Acc, D]>;

type BySizes<S extends Shape, Axis extends number, Ns extends readonly number[]> =
  IsTuple<Ns> extends false
    ? number[][]
    : [IsIntLiteral<Sum<Ns>>, IsIntLiteral<NumericDim<S[Axis]>>] extends [true, true]
      ? Sum<Ns> extends S[Axis]
        ? Pieces<S, Axis, Ns>
        : Failure<`split: sizes [${JoinSizes<Ns>}] sum to ${Sum<Ns>}, not the axis size ${S[Axis] & Dim}`>
      : Pieces<S, Axis, Ns>;

type ByCount<S extends Shape, Axis extends number, N extends number> =
  IsIntLiteral<N> extends false
    ? number[][]
    : Lt<N, 1> extends true
      ? number[][]
      : IsIntLiteral<NumericDim<S[Axis]>> extends true
        ? Mod<NumericDim<S[Axis]>, N> extends 0
          ? Pieces<S, Axis, Repeat<N, FloorDiv<NumericDim<S[Axis]>, N>>>
          : Failure<`split: axis ${Axis} of size ${S[Axis] & Dim} does not split into ${N} equal pieces`>
        : Pieces<S, Axis, Repeat<N, number>>;

/** The shapes of the pieces, `number[][]` when they are not known statically, or a Failure. */
export type SplitRule<S extends Shape, N, A extends number> =
  IsTuple<S> extends false
    ? number[][]
    : SplitAxis<A, S['length']> extends infer Axis extends number
      ? number extends Axis
        ? number[][]
        : N extends readonly number[]
          ? BySizes<S, Axis, N>
          : N extends number
            ? ByCount<S, Axis, N>
            : number[][]
      : SplitAxis<A, S['length']>;

/** Run-time twin of `SplitRule`: the piece sizes along the (normalized) axis, or throws the same message. */
export function splitSizes(n: number, axis: number, sections: number | readonly number[]): number[] {
  if (typeof sections === 'number') {
    if (n % sections !== 0)
      shapeError(`split: axis ${axis} of size ${n} does not split into ${sections} equal pieces`);
    return Array(sections).fill(n / sections);
  }
  const total = sections.reduce((a, b) => a + b, 0);
  if (total !== n)
    shapeError(`split: sizes [${sections.join(', ')}] sum to ${total}, not the axis size ${n}`);
  return [...sections];
}
