/** Reductions (sum, max, mean, ...) over one axis, several axes, or all (`undefined`); negative axes count from the end. */
import type { NormalizeAxes } from './axis.ts';
import { normalizeAxes } from './axis.ts';
import type { CheckOf, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import type { MapAxes } from './tuple.ts';

/** The axes argument: one axis, a list, or `undefined` for all axes. */
export type Axes = number | readonly number[] | undefined;

type AxesList<A extends Axes> = A extends number ? [A] : A extends readonly number[] ? A : never;

type ReduceRule<Op extends string, S extends Shape, A extends Axes, KeepDims extends boolean> =
  // Reducing every axis without keepdims is a scalar whatever the rank.
  [A, KeepDims] extends [undefined, false]
    ? []
    : IsTuple<S> extends false
      ? UnknownShape
      : A extends undefined
        ? KeepDims extends true
          ? MapAxes<S, number, [1]>
          : []
        : number extends AxesList<A>['length'] | AxesList<A>[number]
          ? UnknownShape
          : NormalizeAxes<Op, AxesList<A>, S['length']> extends infer N extends number[]
            ? MapAxes<S, N[number], KeepDims extends true ? [1] : []>
            : NormalizeAxes<Op, AxesList<A>, S['length']>;

export type Reduce<S extends Shape, A extends Axes = undefined, KeepDims extends boolean = false> = ResultOf<
  ReduceRule<'reduce', S, A, KeepDims>
>;
export type ReduceCheck<Op extends string, S extends Shape, A extends Axes = undefined> =
  ReduceRule<Op, S, A, false> extends infer R ? CheckOf<R> : never;

/**
 * The shape of reducing `s` over `axes`, and the axes normalized and sorted; or throws the
 * `ShapeError` that `ReduceCheck` shows.
 */
export function reduceShape(
  op: string,
  s: readonly number[],
  axes: number | readonly number[] | undefined,
  keepdims = false,
): { shape: number[]; axes: number[] } {
  const list = axes === undefined ? s.map((_, i) => i) : typeof axes === 'number' ? [axes] : axes;
  const normalized = normalizeAxes(op, list, s.length).sort((a, b) => a - b);
  const reduced = new Set(normalized);
  const shape: number[] = [];
  s.forEach((d, i) => {
    if (!reduced.has(i)) shape.push(d);
    else if (keepdims) shape.push(1);
  });
  return { shape, axes: normalized };
}
