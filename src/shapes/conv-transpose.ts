/**
 * Transposed convolution output shapes (PyTorch's rule and weight layout). Input NC…,
 * weight `[C, O / groups, k…]`, output `[N, O, …]` with, per spatial axis,
 * `out = (in - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1`.
 */
import type { Add, IsIntLiteral, Lt, Mul, Sub } from './arith.ts';
import type { MayDivide } from './conv.ts';
import type {
  CheckOf,
  Dim,
  DimsAgree,
  Failure,
  FirstFailure,
  IsTuple,
  NumericDim,
  ResultOf,
  Shape,
  UnknownShape,
} from './dim.ts';
import { shapeError } from './dim.ts';
import type { AxisValue, CheckAxisCount, OptionOf, PerAxis } from './spatial.ts';
import { axisValues } from './spatial.ts';

/**
 * The options of `convTranspose1d`, `convTranspose2d` and `convTranspose3d` (PyTorch's
 * `ConvTranspose*d` arguments); each per-axis option is one number for every spatial axis or
 * one per axis.
 */
export interface ConvTransposeOptions {
  /** The stride of the convolution this transposes: the input is spread out by it (default 1). */
  readonly stride?: PerAxis;
  /** Cut from both ends of each output axis (default 0); at most the dilated span `dilation * (k - 1)`. */
  readonly padding?: PerAxis;
  /** Added to one end of each output axis (default 0); smaller than the stride or the dilation. */
  readonly outputPadding?: PerAxis;
  /** The spacing of the kernel's taps (default 1). */
  readonly dilation?: PerAxis;
  /** Channel groups (default 1): C and the weight's `[C, O / groups, k…]` split into this many. */
  readonly groups?: number;
}

type ChannelCheck<Op extends string, C extends Dim, I extends Dim, G extends number> =
  Lt<G, 1> extends true
    ? Failure<`${Op}: groups ${G} is not positive`>
    : DimsAgree<C, I> extends true
      ? // groups 1 needs no division (MayDivide of a generic C would be deferred)
        G extends 1
        ? 'ok'
        : MayDivide<C, G> extends false
          ? Failure<`${Op}: input channels ${C} not divisible by groups ${G}`>
          : 'ok'
      : Failure<`${Op}: input channels ${C} and weight in-channels ${I} differ`>;

type Lengths<Op extends string, Opts, NSp extends number> = FirstFailure<
  [
    CheckAxisCount<Op, 'stride', OptionOf<Opts, 'stride'>, NSp>,
    CheckAxisCount<Op, 'padding', OptionOf<Opts, 'padding'>, NSp>,
    CheckAxisCount<Op, 'outputPadding', OptionOf<Opts, 'outputPadding'>, NSp>,
    CheckAxisCount<Op, 'dilation', OptionOf<Opts, 'dilation'>, NSp>,
  ]
>;

/** The output size of one axis, or a Failure for a bad stride, dilation, padding or output padding. */
type AxisOut<
  Op extends string,
  In extends Dim,
  K extends Dim,
  S extends number,
  P extends number,
  OP extends number,
  D extends number,
> =
  Lt<S, 1> extends true
    ? Failure<`${Op}: stride ${S} is not positive`>
    : Lt<D, 1> extends true
      ? Failure<`${Op}: dilation ${D} is not positive`>
      : Lt<P, 0> extends true
        ? Failure<`${Op}: padding ${P} must be a non-negative integer`>
        : [Lt<OP, S>, Lt<OP, D>] extends [false, false]
          ? Failure<`${Op}: outputPadding ${OP} must be smaller than stride ${S} or dilation ${D}`>
          : Mul<D, Sub<NumericDim<K>, 1>> extends infer Span extends number
            ? Lt<Span, P> extends true
              ? Failure<`${Op}: padding ${P} exceeds the dilated kernel span ${Span}`>
              : Add<Add<Sub<Mul<Sub<NumericDim<In>, 1>, S>, Mul<2, P>>, Add<Span, OP>>, 1>
            : never;

type SpatialOut<
  Op extends string,
  XS extends Shape,
  KS extends Shape,
  Opts,
  I extends unknown[] = [],
  Acc extends Dim[] = [],
> = XS extends readonly [infer In extends Dim, ...infer XR extends Shape]
  ? KS extends readonly [infer K extends Dim, ...infer KR extends Shape]
    ? AxisOut<
        Op,
        In,
        K,
        AxisValue<OptionOf<Opts, 'stride'>, I['length'], 1>,
        AxisValue<OptionOf<Opts, 'padding'>, I['length'], 0>,
        AxisValue<OptionOf<Opts, 'outputPadding'>, I['length'], 0>,
        AxisValue<OptionOf<Opts, 'dilation'>, I['length'], 1>
      > extends infer Out
      ? Out extends number
        ? SpatialOut<Op, XR, KR, Opts, [...I, 0], [...Acc, Out]>
        : Out
      : never
    : Acc
  : Acc;

type GroupsOf<Opts> = OptionOf<Opts, 'groups'> extends infer G extends number ? G : 1;
/** O = (O / groups) * groups, `number` unless both are single literals. */
type OutChannels<OG extends Dim, G extends number> = [G] extends [1]
  ? OG
  : [IsIntLiteral<OG>, IsIntLiteral<G>] extends [true, true]
    ? Mul<OG & number, G>
    : number;

type ConvTransposeRule<Op extends string, Rank extends number, X extends Shape, W extends Shape, Opts> =
  IsTuple<X> extends false
    ? UnknownShape
    : IsTuple<W> extends false
      ? UnknownShape
      : X['length'] extends Rank
        ? W['length'] extends Rank
          ? X extends readonly [infer N extends Dim, infer C extends Dim, ...infer XS extends Shape]
            ? W extends readonly [infer I extends Dim, infer OG extends Dim, ...infer KS extends Shape]
              ? FirstFailure<
                  [
                    ChannelCheck<Op, C, I, GroupsOf<Opts>>,
                    Lengths<Op, Opts, XS['length']>,
                    SpatialOut<Op, XS, KS, Opts>,
                  ]
                > extends infer F extends Failure<string>
                ? F
                : SpatialOut<Op, XS, KS, Opts> extends infer Out extends Dim[]
                  ? [N, OutChannels<OG, GroupsOf<Opts>>, ...Out]
                  : never
              : never
            : never
          : Failure<`${Op}: weight rank ${W['length']} and expected rank ${Rank} differ`>
        : Failure<`${Op}: input rank ${X['length']} and expected rank ${Rank} differ`>;

export type ConvTranspose1d<X extends Shape, W extends Shape, Opts = {}> = ResultOf<
  ConvTransposeRule<'convTranspose1d', 3, X, W, [Opts] extends [never] ? {} : Opts>
>;
export type ConvTranspose1dCheck<X extends Shape, W extends Shape, Opts = {}> =
  ConvTransposeRule<'convTranspose1d', 3, X, W, [Opts] extends [never] ? {} : Opts> extends infer R
    ? CheckOf<R>
    : never;
export type ConvTranspose2d<X extends Shape, W extends Shape, Opts = {}> = ResultOf<
  ConvTransposeRule<'convTranspose2d', 4, X, W, [Opts] extends [never] ? {} : Opts>
>;
export type ConvTranspose2dCheck<
  X extends Shape,
  W extends Shape,
  Opts = {},
  Op extends string = 'convTranspose2d',
> = ConvTransposeRule<Op, 4, X, W, [Opts] extends [never] ? {} : Opts> extends infer R ? CheckOf<R> : never;
export type ConvTranspose3d<X extends Shape, W extends Shape, Opts = {}> = ResultOf<
  ConvTransposeRule<'convTranspose3d', 5, X, W, [Opts] extends [never] ? {} : Opts>
>;
export type ConvTranspose3dCheck<X extends Shape, W extends Shape, Opts = {}> =
  ConvTransposeRule<'convTranspose3d', 5, X, W, [Opts] extends [never] ? {} : Opts> extends infer R
    ? CheckOf<R>
    : never;

/** The resolved per-axis parameters of a transposed convolution. */
export interface ConvTransposeParams {
  readonly stride: number[];
  readonly padding: number[];
  readonly outputPadding: number[];
  readonly dilation: number[];
  readonly groups: number;
}

/** Run-time twin of `ConvTransposeRule`: the output shape and resolved parameters, or throws the same `ShapeError`. */
export function convTransposeShape(
  op: string,
  x: readonly number[],
  w: readonly number[],
  opts: ConvTransposeOptions,
  nd: number,
): { shape: number[]; params: ConvTransposeParams } {
  const rank = nd + 2;
  if (x.length !== rank) shapeError(`${op}: input rank ${x.length} and expected rank ${rank} differ`);
  if (w.length !== rank) shapeError(`${op}: weight rank ${w.length} and expected rank ${rank} differ`);
  const [n, c, ...xs] = x as [number, number, ...number[]];
  const [i, og, ...ks] = w as [number, number, ...number[]];
  const g = opts.groups ?? 1;
  if (g < 1) shapeError(`${op}: groups ${g} is not positive`);
  if (c !== i) shapeError(`${op}: input channels ${c} and weight in-channels ${i} differ`);
  if (c % g !== 0) shapeError(`${op}: input channels ${c} not divisible by groups ${g}`);
  const stride = axisValues(op, 'stride', opts.stride, nd, 1);
  const padding = axisValues(op, 'padding', opts.padding, nd, 0);
  const outputPadding = axisValues(op, 'outputPadding', opts.outputPadding, nd, 0);
  const dilation = axisValues(op, 'dilation', opts.dilation, nd, 1);
  const out = xs.map((inSize, a) => {
    const [s, p, op_, d] = [stride[a]!, padding[a]!, outputPadding[a]!, dilation[a]!];
    if (s < 1) shapeError(`${op}: stride ${s} is not positive`);
    if (d < 1) shapeError(`${op}: dilation ${d} is not positive`);
    if (p < 0) shapeError(`${op}: padding ${p} must be a non-negative integer`);
    if (op_ >= s && op_ >= d)
      shapeError(`${op}: outputPadding ${op_} must be smaller than stride ${s} or dilation ${d}`);
    const span = d * (ks[a]! - 1);
    if (span < p) shapeError(`${op}: padding ${p} exceeds the dilated kernel span ${span}`);
    return (inSize - 1) * s - 2 * p + span + op_ + 1;
  });
  return { shape: [n, og * g, ...out], params: { stride, padding, outputPadding, dilation, groups: g } };
}
