/** pad: each axis grows by its [lo, hi] widths (negative widths crop, down to size 0). */
import type { Add, Lt } from './arith.ts';
import type { CheckOf, Dim, Failure, IsTuple, NumericDim, ResultOf, Shape, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';
import type { PadPair } from './spatial.ts';

/** `pad`'s widths: one `[before, after]` pair per leading axis (negative widths crop). */
export type PadWidths = readonly PadPair[];

type PaddedDim<D extends Dim, Lo extends number, Hi extends number, Axis extends number> = [Lo, Hi] extends [
  0,
  0,
]
  ? [D]
  : Add<Add<NumericDim<D>, Lo>, Hi> extends infer N extends number
    ? Lt<N, 0> extends true
      ? Failure<`pad: axis ${Axis} of size ${D} and widths ${Lo}, ${Hi} give size ${N}`>
      : [N]
    : never;

type PadDims<
  S extends Shape,
  W extends PadWidths,
  I extends unknown[] = [],
  Acc extends Dim[] = [],
> = S extends readonly [infer D extends Dim, ...infer SR extends Shape]
  ? W extends readonly [
      readonly [infer Lo extends number, infer Hi extends number],
      ...infer WR extends PadWidths,
    ]
    ? PaddedDim<D, Lo, Hi, I['length']> extends [infer P extends Dim]
      ? PadDims<SR, WR, [...I, 0], [...Acc, P]>
      : PaddedDim<D, Lo, Hi, I['length']>
    : never
  : Acc;

type PadRule<S extends Shape, W extends PadWidths> =
  IsTuple<S> extends false
    ? UnknownShape
    : IsTuple<W> extends false
      ? UnknownShape
      : W['length'] extends S['length']
        ? PadDims<S, W>
        : Failure<`pad: widths length ${W['length']} and rank ${S['length']} differ`>;

export type Pad<S extends Shape, W extends PadWidths> = ResultOf<PadRule<S, W>>;
export type PadCheck<S extends Shape, W extends PadWidths> =
  PadRule<S, W> extends infer R ? CheckOf<R> : never;

/** The shape of `pad(x, widths)` for `x` of shape `s`, or throws the `ShapeError` that `PadCheck` shows. */
export function padShape(s: readonly number[], widths: PadWidths): number[] {
  if (widths.length !== s.length)
    shapeError(`pad: widths length ${widths.length} and rank ${s.length} differ`);
  return s.map((d, axis) => {
    const [lo, hi] = widths[axis]!;
    const n = d + lo + hi;
    if (n < 0) shapeError(`pad: axis ${axis} of size ${d} and widths ${lo}, ${hi} give size ${n}`);
    return n;
  });
}
