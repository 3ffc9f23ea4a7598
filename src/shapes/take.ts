/**
 * take: index one axis with an index tensor (its shape replaces that axis), or the
 * flattened input when no axis is given (numpy). takeAlongAxis: indices of the same rank,
 * broadcasting against the input except along the axis.
 */

import type { Add } from './arith.ts';
import type { AxisError, NormalizeAxis } from './axis.ts';
import { normalizeAxis } from './axis.ts';
import type { BroadcastRule } from './broadcast.ts';
import { broadcastRule } from './broadcast.ts';
import type { CheckOf, Failure, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';
import type { DropFirst, MapAxes, TakeFirst } from './tuple.ts';

type TakeRule<S extends Shape, I extends Shape, Axis extends number | undefined> = Axis extends number
  ? IsTuple<S> extends false
    ? UnknownShape
    : NormalizeAxis<'take', Axis, S['length']> extends infer A extends number
      ? number extends A
        ? UnknownShape
        : [...TakeFirst<S, A>, ...I, ...DropFirst<S, Add<A, 1>>]
      : AxisError<'take', Axis, S['length']>
  : [...I];

export type Take<S extends Shape, I extends Shape, Axis extends number | undefined = undefined> = ResultOf<
  TakeRule<S, I, Axis>
>;
export type TakeCheck<S extends Shape, I extends Shape, Axis extends number | undefined = undefined> =
  TakeRule<S, I, Axis> extends infer R ? CheckOf<R> : never;

/** The shape of `take(x, indices, { axis })`, or throws the `ShapeError` that `TakeCheck` shows. */
export function takeShape(s: readonly number[], indices: readonly number[], axis?: number): number[] {
  if (axis === undefined) return [...indices];
  const a = normalizeAxis('take', axis, s.length);
  return [...s.slice(0, a), ...indices, ...s.slice(a + 1)];
}

type TakeAlongAxisRule<S extends Shape, I extends Shape, Axis extends number> =
  IsTuple<S> extends false
    ? UnknownShape
    : IsTuple<I> extends false
      ? UnknownShape
      : I['length'] extends S['length']
        ? NormalizeAxis<'takeAlongAxis', Axis, S['length']> extends infer A extends number
          ? number extends A
            ? UnknownShape
            : BroadcastRule<'takeAlongAxis', 'dims', MapAxes<S, A, [1]>, I>
          : AxisError<'takeAlongAxis', Axis, S['length']>
        : Failure<`takeAlongAxis: ranks ${S['length']} and ${I['length']} differ`>;

export type TakeAlongAxis<S extends Shape, I extends Shape, Axis extends number> = ResultOf<
  TakeAlongAxisRule<S, I, Axis>
>;
export type TakeAlongAxisCheck<S extends Shape, I extends Shape, Axis extends number> =
  TakeAlongAxisRule<S, I, Axis> extends infer R ? CheckOf<R> : never;

/** The shape of `takeAlongAxis(x, indices, axis)`, or throws the `ShapeError` that `TakeAlongAxisCheck` shows. */
export function takeAlongAxisShape(s: readonly number[], indices: readonly number[], axis: number): number[] {
  if (indices.length !== s.length)
    shapeError(`takeAlongAxis: ranks ${s.length} and ${indices.length} differ`);
  const a = normalizeAxis('takeAlongAxis', axis, s.length);
  return broadcastRule(
    'takeAlongAxis',
    'dims',
    s.map((d, i) => (i === a ? 1 : d)),
    indices,
  );
}
