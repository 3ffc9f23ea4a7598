/** Transpose / permute: the permutation must name every axis once; none given reverses the axes. */
import type { NormalizeAxes } from './axis.ts';
import { normalizeAxes } from './axis.ts';
import type { CheckOf, Dim, Failure, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';
import type { Reverse } from './tuple.ts';

type Permute<S extends Shape, P extends number[], Acc extends Dim[] = []> = P extends [
  infer I extends number,
  ...infer R extends number[],
]
  ? Permute<S, R, [...Acc, S[I] & Dim]>
  : Acc;

type TransposeRule<S extends Shape, Perm extends readonly number[] | undefined> =
  IsTuple<S> extends false
    ? UnknownShape
    : Perm extends readonly number[]
      ? number extends Perm['length'] | Perm[number]
        ? UnknownShape
        : Perm['length'] extends S['length']
          ? NormalizeAxes<'transpose', Perm, S['length']> extends infer P extends number[]
            ? Permute<S, P>
            : NormalizeAxes<'transpose', Perm, S['length']>
          : Failure<`transpose: perm length ${Perm['length']} and rank ${S['length']} differ`>
      : Reverse<S>;

export type Transpose<S extends Shape, Perm extends readonly number[] | undefined = undefined> = ResultOf<
  TransposeRule<S, Perm>
>;
export type TransposeCheck<S extends Shape, Perm extends readonly number[] | undefined = undefined> =
  TransposeRule<S, Perm> extends infer R ? CheckOf<R> : never;

/** The shape of `transpose(x, { perm })` for `x` of shape `s`, or throws the `ShapeError` that `TransposeCheck` shows. */
export function transposeShape(s: readonly number[], perm?: readonly number[]): number[] {
  if (perm === undefined) return [...s].reverse();
  if (perm.length !== s.length)
    shapeError(`transpose: perm length ${perm.length} and rank ${s.length} differ`);
  return normalizeAxes('transpose', perm, s.length).map((i) => s[i]!);
}
