/** Squeeze: drop size-1 axes (the given ones, each of which must be 1, or all of them). */
import type { NormalizeAxes } from './axis.ts';
import { normalizeAxes } from './axis.ts';
import type { CheckOf, Dim, Failure, IsDynamic, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';
import type { Axes } from './reduce.ts';
import type { MapAxes } from './tuple.ts';

/** Without axes, every dim must be known statically to decide what to drop. */
type SqueezeAll<S extends Shape, Acc extends Dim[] = []> = S extends readonly [
  infer H extends Dim,
  ...infer R extends Shape,
]
  ? [H] extends [number]
    ? number extends H
      ? UnknownShape
      : SqueezeAll<R, H extends 1 ? Acc : [...Acc, H]>
    : UnknownShape
  : Acc;

/** The first of the given axes whose dim is not 1 (dynamic dims pass, to be checked at run time). */
type NotOne<S extends Shape, Given extends readonly number[], N extends number[]> = N extends [
  infer I extends number,
  ...infer R extends number[],
]
  ? Given extends readonly [infer A extends number, ...infer GR extends number[]]
    ? [S[I]] extends [1]
      ? NotOne<S, GR, R>
      : IsDynamic<S[I]> extends true
        ? NotOne<S, GR, R>
        : Failure<`squeeze: axis ${A} has size ${S[I] & Dim} and not 1`>
    : never
  : 'ok';

type AxesList<A extends Axes> = A extends number ? [A] : A extends readonly number[] ? A : never;

type SqueezeRule<S extends Shape, A extends Axes> =
  IsTuple<S> extends false
    ? UnknownShape
    : A extends undefined
      ? SqueezeAll<S>
      : number extends AxesList<A>['length'] | AxesList<A>[number]
        ? UnknownShape
        : NormalizeAxes<'squeeze', AxesList<A>, S['length']> extends infer N extends number[]
          ? NotOne<S, AxesList<A>, N> extends Failure<string>
            ? NotOne<S, AxesList<A>, N>
            : MapAxes<S, N[number], []>
          : NormalizeAxes<'squeeze', AxesList<A>, S['length']>;

export type Squeeze<S extends Shape, A extends Axes = undefined> = ResultOf<SqueezeRule<S, A>>;
export type SqueezeCheck<S extends Shape, A extends Axes = undefined> =
  SqueezeRule<S, A> extends infer R ? CheckOf<R> : never;

/** The shape of `squeeze(x, { axis: axes })` for `x` of shape `s`, or throws the `ShapeError` that `SqueezeCheck` shows. */
export function squeezeShape(s: readonly number[], axes?: number | readonly number[]): number[] {
  if (axes === undefined) return s.filter((d) => d !== 1);
  const given = typeof axes === 'number' ? [axes] : axes;
  const normalized = normalizeAxes('squeeze', given, s.length);
  normalized.forEach((i, k) => {
    if (s[i] !== 1) shapeError(`squeeze: axis ${given[k]} has size ${s[i]} and not 1`);
  });
  return s.filter((_, i) => !normalized.includes(i));
}
