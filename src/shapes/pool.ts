/**
 * Pooling output shapes: a window over the spatial dims of an [N, C, ...spatial] input (the
 * rank conv demands too; N and C pass through); the stride defaults to the window, dilation (max pooling) to 1, and
 * `ceilMode` rounds the window count up as PyTorch does. Adaptive pooling names its output
 * sizes instead.
 */

import type { Add, Lt, Sub } from './arith.ts';
import type { CheckOf, Dim, Failure, FirstFailure, IsTuple, ResultOf, Shape, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';
import type {
  CheckAxisCount,
  CheckOptionLengths,
  OptionOf,
  Padding,
  PerAxis,
  SpatialOutput,
} from './spatial.ts';
import { axisValues, spatialOutput } from './spatial.ts';
import type { DropFirst, TakeFirst } from './tuple.ts';

/** The options of the pooling ops: PyTorch's `max_pool`/`avg_pool` arguments. */
export interface PoolOptions {
  /** The window size, one number for every spatial axis or one per axis. */
  readonly window: PerAxis;
  /** The window's step (default: the window, so windows tile). */
  readonly stride?: PerAxis;
  /** Padding, as in `ConvOptions` (max pooling pads with -inf, average pooling with 0). */
  readonly padding?: Padding;
  /** spacing of a window's taps (max pooling only) */
  readonly dilation?: PerAxis;
  /** count windows with ceil instead of floor (the last may hang over the end) */
  readonly ceilMode?: boolean;
}

type WindowDims<Window, NSp extends number, Acc extends number[] = []> = Acc['length'] extends NSp
  ? Acc
  : WindowDims<
      Window,
      NSp,
      [...Acc, Window extends readonly number[] ? Window[Acc['length']] & number : Window & number]
    >;

/**
 * A Failure naming the first window size below 1, `window[i]` in a list as the run-time entry
 * check says (checked before the stride, which defaults to the window).
 */
type CheckWindowPositive<Op extends string, W, I extends unknown[] = []> = W extends number
  ? Lt<W, 1> extends true
    ? Failure<`${Op}: window ${W} is not positive`>
    : 'ok'
  : W extends readonly [infer A extends number, ...infer R]
    ? Lt<A, 1> extends true
      ? Failure<`${Op}: window[${I['length']}] ${A} is not positive`>
      : CheckWindowPositive<Op, R, [...I, 0]>
    : 'ok';

type StrideOf<Opts> =
  undefined extends OptionOf<Opts, 'stride'> ? OptionOf<Opts, 'window'> : OptionOf<Opts, 'stride'>;

type PoolSpatial<Op extends string, NSp extends number, XS extends Shape, Opts> = SpatialOutput<
  Op,
  'window',
  XS,
  WindowDims<OptionOf<Opts, 'window'>, NSp>,
  StrideOf<Opts>,
  OptionOf<Opts, 'dilation'>,
  OptionOf<Opts, 'padding'>,
  OptionOf<Opts, 'ceilMode'>
>;

/** Pooling takes batched channels-first input, as conv does: [N, C, ...spatial]. */
type RankFailure<
  Op extends string,
  R extends number,
  NSp extends number,
> = Failure<`${Op}: input rank ${R} and expected rank ${Add<NSp, 2>} differ`>;

type PoolRule<Op extends string, NSp extends number, X extends Shape, Opts> =
  IsTuple<X> extends false
    ? UnknownShape
    : X['length'] extends Add<NSp, 2>
      ? Sub<X['length'], NSp> extends infer Lead extends number
        ? FirstFailure<
            [
              CheckAxisCount<Op, 'window', OptionOf<Opts, 'window'>, NSp>,
              CheckWindowPositive<Op, OptionOf<Opts, 'window'>>,
              CheckOptionLengths<
                Op,
                StrideOf<Opts>,
                OptionOf<Opts, 'dilation'>,
                OptionOf<Opts, 'padding'>,
                NSp
              >,
              PoolSpatial<Op, NSp, DropFirst<X, Lead>, Opts>,
            ]
          > extends infer F extends Failure<string>
          ? F
          : PoolSpatial<Op, NSp, DropFirst<X, Lead>, Opts> extends infer Out extends Dim[]
            ? [...TakeFirst<X, Lead>, ...Out]
            : never
        : never
      : RankFailure<Op, X['length'], NSp>;

export type Pool1d<X extends Shape, Opts extends PoolOptions> = ResultOf<PoolRule<'pool1d', 1, X, Opts>>;
export type Pool1dCheck<Op extends string, X extends Shape, Opts extends PoolOptions> =
  PoolRule<Op, 1, X, Opts> extends infer R ? CheckOf<R> : never;
export type Pool2d<X extends Shape, Opts extends PoolOptions> = ResultOf<PoolRule<'pool2d', 2, X, Opts>>;
export type Pool2dCheck<Op extends string, X extends Shape, Opts extends PoolOptions> =
  PoolRule<Op, 2, X, Opts> extends infer R ? CheckOf<R> : never;
export type Pool3d<X extends Shape, Opts extends PoolOptions> = ResultOf<PoolRule<'pool3d', 3, X, Opts>>;
export type Pool3dCheck<Op extends string, X extends Shape, Opts extends PoolOptions> =
  PoolRule<Op, 3, X, Opts> extends infer R ? CheckOf<R> : never;

type OutDims<Size, NSp extends number, Acc extends Dim[] = []> = Acc['length'] extends NSp
  ? Acc
  : OutDims<
      Size,
      NSp,
      [...Acc, Size extends readonly number[] ? Size[Acc['length']] & number : Size & number]
    >;

type AdaptiveRule<Op extends string, NSp extends number, X extends Shape, Size> =
  IsTuple<X> extends false
    ? UnknownShape
    : X['length'] extends Add<NSp, 2>
      ? Sub<X['length'], NSp> extends infer Lead extends number
        ? CheckAxisCount<Op, 'output size', Size, NSp> extends infer F extends Failure<string>
          ? F
          : [...TakeFirst<X, Lead>, ...OutDims<Size, NSp>]
        : never
      : RankFailure<Op, X['length'], NSp>;

/** Adaptive pooling of [N, C, H, W]: -> [N, C, ...Size]. */
export type AdaptivePool2d<X extends Shape, Size extends PerAxis> = ResultOf<
  AdaptiveRule<'adaptivePool2d', 2, X, Size>
>;
export type AdaptivePool2dCheck<Op extends string, X extends Shape, Size extends PerAxis> =
  AdaptiveRule<Op, 2, X, Size> extends infer R ? CheckOf<R> : never;

/** Run-time twin of `PoolRule`: the shape of pooling `x`, or throws the `ShapeError` the check shows. */
export function poolShape(
  op: string,
  x: readonly number[],
  opts: PoolOptions,
  spatialRank: number,
): number[] {
  if (x.length !== spatialRank + 2)
    shapeError(`${op}: input rank ${x.length} and expected rank ${spatialRank + 2} differ`);
  const lead = x.length - spatialRank;
  const windows = axisValues(op, 'window', opts.window, spatialRank, 1);
  windows.forEach((w, i) => {
    if (!(w >= 1))
      shapeError(`${op}: window${typeof opts.window === 'number' ? '' : `[${i}]`} ${w} is not positive`);
  });
  const out = spatialOutput(op, 'window', x.slice(lead), windows, opts, opts.window);
  return [...x.slice(0, lead), ...out];
}

export function pool2dShape(op: string, x: readonly number[], opts: PoolOptions): number[] {
  return poolShape(op, x, opts, 2);
}

export function pool1dShape(op: string, x: readonly number[], opts: PoolOptions): number[] {
  return poolShape(op, x, opts, 1);
}

/** Run-time twin of `AdaptiveRule`. */
export function adaptivePoolShape(
  op: string,
  x: readonly number[],
  size: PerAxis,
  spatialRank: number,
): number[] {
  if (x.length !== spatialRank + 2)
    shapeError(`${op}: input rank ${x.length} and expected rank ${spatialRank + 2} differ`);
  const out = axisValues(op, 'output size', size, spatialRank, 1);
  for (const o of out)
    if (!Number.isInteger(o) || o < 1) shapeError(`${op}: output size ${o} is not a positive integer`);
  return [...x.slice(0, x.length - spatialRank), ...out];
}
