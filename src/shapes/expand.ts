/** expandDims: insert a size-1 axis; the axis may be anything from -(rank + 1) to rank. */
import type { Add } from './arith.ts';
import type { AxisError, NormalizeAxis } from './axis.ts';
import { normalizeAxis } from './axis.ts';
import type { CheckOf, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import type { InsertAt } from './tuple.ts';

type ExpandRule<S extends Shape, Axis extends number> =
  IsTuple<S> extends false
    ? UnknownShape
    : NormalizeAxis<'expandDims', Axis, Add<S['length'], 1>> extends infer A extends number
      ? number extends A
        ? UnknownShape
        : InsertAt<S, A, 1>
      : AxisError<'expandDims', Axis, Add<S['length'], 1>>;

export type ExpandDims<S extends Shape, Axis extends number> = ResultOf<ExpandRule<S, Axis>>;
export type ExpandDimsCheck<S extends Shape, Axis extends number> =
  ExpandRule<S, Axis> extends infer R ? CheckOf<R> : never;

/** The shape of `expandDims(x, axis)` for `x` of shape `s`, or throws the `ShapeError` that `ExpandDimsCheck` shows. */
export function expandDimsShape(s: readonly number[], axis: number): number[] {
  const at = normalizeAxis('expandDims', axis, s.length + 1);
  return [...s.slice(0, at), 1, ...s.slice(at)];
}
