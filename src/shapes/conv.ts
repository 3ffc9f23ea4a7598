/**
 * Convolution output shapes. Layouts: input NCW / NCHW, weights OIW / OIHW. With `groups`,
 * input and output channels must divide by it and the weight's in-channels are C / groups.
 */
import type { FloorDiv, Lt, Mod } from './arith.ts';
import type {
  CheckOf,
  Dim,
  DimsAgree,
  DimsDiffer,
  Failure,
  FirstFailure,
  IsTuple,
  NumericDim,
  ResultOf,
  Shape,
  UnknownShape,
} from './dim.ts';
import { shapeError } from './dim.ts';
import type { CheckOptionLengths, OptionOf, Padding, PerAxis, SpatialOutput } from './spatial.ts';
import { spatialOutput } from './spatial.ts';

/** The options of `conv1d/2d/3d` (and the conv layers): PyTorch's arguments. */
export interface ConvOptions {
  /** The window's step, one number for every spatial axis or one per axis (default 1). */
  readonly stride?: PerAxis;
  /** Zero padding: a number, one per axis, `[before, after]` pairs, `'valid'` (none, the default) or `'same'`. */
  readonly padding?: Padding;
  /** The spacing of the kernel's taps (default 1). */
  readonly dilation?: PerAxis;
  /** Channel groups: C and O split into this many independent convolutions (default 1). */
  readonly groups?: number;
}

/** False only when both are literals and A is not a multiple of B. */
export type MayDivide<A extends Dim, B extends number> =
  Mod<NumericDim<A>, B> extends infer R ? (number extends R ? true : R extends 0 ? true : false) : never;

type ChannelCheck<Op extends string, C extends Dim, O extends Dim, I extends Dim, G extends number> =
  // groups 1 first: MayDivide of a generic C would be deferred, and correct code rejected
  G extends 1
    ? DimsAgree<C, I> extends true
      ? 'ok'
      : Failure<`${Op}: input channels ${C} and weight in-channels ${I} differ`>
    : Lt<G, 1> extends true
      ? Failure<`${Op}: groups ${G} is not positive`>
      : MayDivide<C, G> extends false
        ? Failure<`${Op}: input channels ${C} not divisible by groups ${G}`>
        : MayDivide<O, G> extends false
          ? Failure<`${Op}: output channels ${O} not divisible by groups ${G}`>
          : DimsAgree<FloorDiv<NumericDim<C>, G>, I> extends true
            ? 'ok'
            : Failure<`${Op}: input channels per group ${FloorDiv<NumericDim<C>, G>} and weight in-channels ${I} differ`>;

/**
 * The channel dims on their own, guarded before the whole rule (as matmul's inner dims): when
 * they are two different generic dims, which TypeScript cannot decide, the unresolved check
 * prints message first, `DimsDiffer<\`conv2d: input channels ${C} and weight in-channels ${K}
 * differ\`, C, K>`. The weight's in-channels are at `WeightAxis` (1 for `[O, I, k…]`, 0 for the
 * transposed `[I, O, k…]`). `unknown` for other ranks (the rule names those) and for a
 * convolution with groups, whose weight holds C / groups channels (the rule checks that).
 */
export type ConvChannelsCheck<
  Op extends string,
  Rank extends number,
  X extends Shape,
  W extends Shape,
  Opts,
  WeightAxis extends 0 | 1 = 1,
> =
  IsTuple<X> extends false
    ? unknown
    : IsTuple<W> extends false
      ? unknown
      : [X['length'], W['length'], WeightAxis extends 1 ? GroupsOf<Opts> : 1] extends [Rank, Rank, 1]
        ? X extends readonly [unknown, infer C extends Dim, ...unknown[]]
          ? W extends readonly [infer W0 extends Dim, infer W1 extends Dim, ...unknown[]]
            ? WeightAxis extends 0
              ? DimsDiffer<`${Op}: input channels ${C} and weight in-channels ${W0} differ`, C, W0>
              : DimsDiffer<`${Op}: input channels ${C} and weight in-channels ${W1} differ`, C, W1>
            : unknown
          : unknown
        : unknown;

type ConvRule<Op extends string, Rank extends number, X extends Shape, W extends Shape, Opts> =
  IsTuple<X> extends false
    ? UnknownShape
    : IsTuple<W> extends false
      ? UnknownShape
      : X['length'] extends Rank
        ? W['length'] extends Rank
          ? ConvTuples<Op, X, W, Opts>
          : Failure<`${Op}: weight rank ${W['length']} and expected rank ${Rank} differ`>
        : Failure<`${Op}: input rank ${X['length']} and expected rank ${Rank} differ`>;

type ConvSpatial<Op extends string, XS extends Shape, KS extends Shape, Opts> = SpatialOutput<
  Op,
  'dilated kernel',
  XS,
  KS,
  OptionOf<Opts, 'stride'>,
  OptionOf<Opts, 'dilation'>,
  OptionOf<Opts, 'padding'>
>;

type ConvTuples<Op extends string, X extends Shape, W extends Shape, Opts> = X extends readonly [
  infer N extends Dim,
  infer C extends Dim,
  ...infer XS extends Shape,
]
  ? W extends readonly [infer O extends Dim, infer I extends Dim, ...infer KS extends Shape]
    ? FirstFailure<
        [
          ChannelCheck<Op, C, O, I, GroupsOf<Opts>>,
          CheckOptionLengths<
            Op,
            OptionOf<Opts, 'stride'>,
            OptionOf<Opts, 'dilation'>,
            OptionOf<Opts, 'padding'>,
            XS['length']
          >,
          ConvSpatial<Op, XS, KS, Opts>,
        ]
      > extends infer F extends Failure<string>
      ? F
      : ConvSpatial<Op, XS, KS, Opts> extends infer Out extends Dim[]
        ? [N, O, ...Out]
        : never
    : never
  : never;

type GroupsOf<Opts> = OptionOf<Opts, 'groups'> extends infer G extends number ? G : 1;

export type Conv2d<X extends Shape, W extends Shape, Opts extends ConvOptions = {}> = ResultOf<
  ConvRule<'conv2d', 4, X, W, Opts>
>;
export type Conv2dCheck<
  X extends Shape,
  W extends Shape,
  Opts extends ConvOptions = {},
  Op extends string = 'conv2d',
> = ConvRule<Op, 4, X, W, Opts> extends infer R ? CheckOf<R> : never;
export type Conv1d<X extends Shape, W extends Shape, Opts extends ConvOptions = {}> = ResultOf<
  ConvRule<'conv1d', 3, X, W, Opts>
>;
export type Conv1dCheck<
  X extends Shape,
  W extends Shape,
  Opts extends ConvOptions = {},
  Op extends string = 'conv1d',
> = ConvRule<Op, 3, X, W, Opts> extends infer R ? CheckOf<R> : never;

export type Conv3d<X extends Shape, W extends Shape, Opts extends ConvOptions = {}> = ResultOf<
  ConvRule<'conv3d', 5, X, W, Opts>
>;
export type Conv3dCheck<
  X extends Shape,
  W extends Shape,
  Opts extends ConvOptions = {},
  Op extends string = 'conv3d',
> = ConvRule<Op, 5, X, W, Opts> extends infer R ? CheckOf<R> : never;

/** Run-time twin of `ConvRule` for any number of spatial dims. */
export function convShape(
  op: string,
  x: readonly number[],
  w: readonly number[],
  opts: ConvOptions,
  spatialRank: number,
): number[] {
  const rank = spatialRank + 2;
  if (x.length !== rank) shapeError(`${op}: input rank ${x.length} and expected rank ${rank} differ`);
  if (w.length !== rank) shapeError(`${op}: weight rank ${w.length} and expected rank ${rank} differ`);
  const [n, c, ...xs] = x as [number, number, ...number[]];
  const [o, i, ...ks] = w as [number, number, ...number[]];
  const g = opts.groups ?? 1;
  if (g < 1) shapeError(`${op}: groups ${g} is not positive`);
  if (c % g !== 0) shapeError(`${op}: input channels ${c} not divisible by groups ${g}`);
  if (o % g !== 0) shapeError(`${op}: output channels ${o} not divisible by groups ${g}`);
  if (g === 1 && c !== i) shapeError(`${op}: input channels ${c} and weight in-channels ${i} differ`);
  if (c / g !== i) shapeError(`${op}: input channels per group ${c / g} and weight in-channels ${i} differ`);
  return [n, o, ...spatialOutput(op, 'dilated kernel', xs, ks, opts)];
}

/** The shape of `conv2d(x, w, opts)`, or throws the `ShapeError` that `Conv2dCheck` shows. */
export function conv2dShape(x: readonly number[], w: readonly number[], opts: ConvOptions = {}): number[] {
  return convShape('conv2d', x, w, opts, 2);
}

/** The shape of `conv1d(x, w, opts)`, or throws the `ShapeError` that `Conv1dCheck` shows. */
export function conv1dShape(x: readonly number[], w: readonly number[], opts: ConvOptions = {}): number[] {
  return convShape('conv1d', x, w, opts, 1);
}
