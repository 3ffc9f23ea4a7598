/**
 * slice: one spec per leading axis with Python slice semantics (negative indices count from
 * the end, out-of-range bounds clamp, negative steps walk backwards). Literal bounds on a
 * literal dim give a literal size; anything else gives `number`.
 */
import type { Add, CeilDiv, Lt, Max, Min, Sub } from './arith.ts';
import type { CheckOf, Dim, Failure, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';

export interface SliceSpec {
  readonly start?: number | undefined;
  readonly stop?: number | undefined;
  readonly step?: number | undefined;
  /** an integer index: keeps that one position and drops the axis (negative counts from the end) */
  readonly index?: number;
}
/** One entry per leading axis; `undefined` or `null` keeps an axis whole. */
export type SliceSpecs = readonly (SliceSpec | undefined | null)[];

/** A spec field: its literal, `undefined` when absent, `number` when not a literal. */
type Field<Spec, K extends keyof SliceSpec> = Spec extends null | undefined
  ? undefined
  : K extends keyof Spec
    ? [Spec[K]] extends [undefined]
      ? undefined
      : [Spec[K]] extends [number]
        ? Spec[K]
        : number
    : undefined;

/** A bound clamped into [Lowest, N + Lowest] (Lowest is 0 going forwards, -1 backwards). */
type Bound<
  X extends number | undefined,
  N extends number,
  Lowest extends number,
  Default extends number,
> = X extends number ? (Lt<X, 0> extends true ? Max<Add<X, N>, Lowest> : Min<X, Add<N, Lowest>>) : Default;

type SliceLength<
  N extends number,
  Start extends number | undefined,
  Stop extends number | undefined,
  Step extends number,
> =
  Lt<0, Step> extends true
    ? Bound<Start, N, 0, 0> extends infer A extends number
      ? Bound<Stop, N, 0, N> extends infer B extends number
        ? Lt<A, B> extends true
          ? CeilDiv<Sub<B, A>, Step>
          : 0
        : never
      : never
    : Bound<Start, N, -1, Sub<N, 1>> extends infer A extends number
      ? Bound<Stop, N, -1, -1> extends infer B extends number
        ? Lt<B, A> extends true
          ? CeilDiv<Sub<A, B>, Sub<0, Step>>
          : 0
        : never
      : never;

/**
 * `[size]` of one sliced axis (a 1-tuple, so a generic dim is matched without deferring), `[]`
 * for an integer index (the axis is dropped; its range is checked at run time), or a Failure.
 */
type SlicedDim<D extends Dim, Spec, Axis extends number> = Spec extends { readonly index: number }
  ? []
  : Field<Spec, 'step'> extends infer Step extends number | undefined
    ? [Step] extends [0]
      ? Failure<`slice: axis ${Axis} has step 0`>
      : [Field<Spec, 'start'>, Field<Spec, 'stop'>, Step] extends [undefined, undefined, undefined | 1]
        ? [D]
        : [D] extends [number]
          ? number extends D | Field<Spec, 'start'> | Field<Spec, 'stop'> | Step
            ? [number]
            : [SliceLength<D, Field<Spec, 'start'>, Field<Spec, 'stop'>, Step extends number ? Step : 1>]
          : [number]
    : never;

type SliceDimsBySpec<
  S extends Shape,
  P extends SliceSpecs,
  I extends unknown[] = [],
  Acc extends Dim[] = [],
> = P extends readonly [infer Spec, ...infer PR extends SliceSpecs]
  ? S extends readonly [infer D extends Dim, ...infer SR extends Shape]
    ? SlicedDim<D, Spec, I['length']> extends [infer Out extends Dim]
      ? SliceDimsBySpec<SR, PR, [...I, 0], [...Acc, Out]>
      : SlicedDim<D, Spec, I['length']> extends []
        ? SliceDimsBySpec<SR, PR, [...I, 0], Acc>
        : SlicedDim<D, Spec, I['length']>
    : never
  : [...Acc, ...S];

type SliceRule<S extends Shape, P extends SliceSpecs> =
  IsTuple<S> extends false
    ? UnknownShape
    : IsTuple<P> extends false
      ? UnknownShape
      : Lt<S['length'], P['length']> extends true
        ? Failure<`slice: spec count ${P['length']} exceeds rank ${S['length']}`>
        : SliceDimsBySpec<S, P>;

export type Slice<S extends Shape, P extends SliceSpecs> = ResultOf<SliceRule<S, P>>;
export type SliceCheck<S extends Shape, P extends SliceSpecs> =
  SliceRule<S, P> extends infer R ? CheckOf<R> : never;

/** Python's `len(range(*slice(start, stop, step).indices(n)))`, and the first index. */
export function sliceAxis(
  n: number,
  spec: SliceSpec,
  axis = 0,
): { start: number; step: number; size: number } {
  const step = spec.step ?? 1;
  if (step === 0) shapeError(`slice: axis ${axis} has step 0`);
  const lowest = step > 0 ? 0 : -1;
  const bound = (x: number | undefined, fallback: number) =>
    x === undefined ? fallback : x < 0 ? Math.max(x + n, lowest) : Math.min(x, n + lowest);
  const start = bound(spec.start, step > 0 ? 0 : n - 1);
  const stop = bound(spec.stop, step > 0 ? n : -1);
  const size =
    step > 0
      ? start < stop
        ? Math.ceil((stop - start) / step)
        : 0
      : stop < start
        ? Math.ceil((start - stop) / -step)
        : 0;
  return { start, step, size };
}

/** The shape of `slice(x, specs)` for `x` of shape `s`, or throws the `ShapeError` that `SliceCheck` shows. */
export function sliceShape(s: readonly number[], specs: SliceSpecs): number[] {
  if (s.length < specs.length) shapeError(`slice: spec count ${specs.length} exceeds rank ${s.length}`);
  return s.flatMap((n, axis) => {
    const spec = specs[axis];
    if (spec?.index !== undefined) {
      const k = spec.index < 0 ? spec.index + n : spec.index;
      if (!Number.isInteger(spec.index) || k < 0 || k >= n)
        throw new Error(`slice: index ${spec.index} out of range for axis ${axis} of size ${n}`);
      return [];
    }
    return [spec == null ? n : sliceAxis(n, spec, axis).size];
  });
}
