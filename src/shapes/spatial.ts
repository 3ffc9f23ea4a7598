/**
 * Output sizes of sliding windows (convolution, pooling): per spatial axis, with stride,
 * padding ('valid', 'same', one number, or a number or [lo, hi] pair per axis) and dilation.
 * 'same' pads as TensorFlow and JAX do: output ceil(in / stride), extra padding at the end.
 */
import type { Add, CeilDiv, FloorDiv, Lt, Max, Mul, Sub } from './arith.ts';
import type { Dim, Failure, NumericDim, Shape } from './dim.ts';
import { shapeError } from './dim.ts';

/** Padding `[before, after]` of one axis. */
export type PadPair = readonly [number, number];
/**
 * Padding of a convolution or pooling: `'valid'` (none), `'same'` (the output keeps the input's
 * size at stride 1), one number for every side, or per axis a number or a {@link PadPair}.
 */
export type Padding = 'valid' | 'same' | number | readonly (number | PadPair)[];
/** One number for every spatial axis, or one per axis. */
export type PerAxis = number | readonly number[];

/** The per-axis value of an option; `Default` when it is absent. */
export type AxisValue<Opt, I extends number, Default extends number> = Opt extends undefined
  ? Default
  : Opt extends number
    ? Opt
    : Opt extends readonly number[]
      ? Opt[I] & number
      : number;

/** A Failure when a per-axis option lists the wrong number of axes. */
export type CheckAxisCount<
  Op extends string,
  Name extends string,
  Opt,
  NSp extends number,
> = Opt extends readonly unknown[]
  ? number extends Opt['length']
    ? 'ok'
    : Opt['length'] extends NSp
      ? 'ok'
      : Failure<`${Op}: ${Name} length ${Opt['length']} and spatial rank ${NSp} differ`>
  : 'ok';

type SamePadding<In extends number, K extends number, S extends number, D extends number> =
  Max<Sub<Add<Mul<Sub<CeilDiv<In, S>, 1>, S>, Add<Mul<Sub<K, 1>, D>, 1>>, In>, 0> extends infer Total extends
    number
    ? [FloorDiv<Total, 2>, Sub<Total, FloorDiv<Total, 2>>]
    : never;

/** The [lo, hi] padding of spatial axis I. */
export type AxisPadding<
  P,
  I extends number,
  In extends number,
  K extends number,
  S extends number,
  D extends number,
> = P extends 'valid' | undefined
  ? [0, 0]
  : P extends 'same'
    ? SamePadding<In, K, S, D>
    : P extends number
      ? [P, P]
      : P extends readonly unknown[]
        ? P[I] extends number
          ? [P[I], P[I]]
          : P[I] extends readonly [infer Lo extends number, infer Hi extends number]
            ? [Lo, Hi]
            : [number, number]
        : [number, number];

/**
 * PyTorch's `ceil_mode` output size: windows may hang over the end, but the last one must
 * start inside the input or its low padding.
 */
type CeilOutput<
  Padded extends number,
  Window extends number,
  S extends number,
  In extends number,
  Lo extends number,
> =
  Add<CeilDiv<Sub<Padded, Window>, S>, 1> extends infer O extends number
    ? Lt<Mul<Sub<O, 1>, S>, Add<In, Lo>> extends true
      ? O
      : Sub<O, 1>
    : never;

/**
 * The output size of one spatial axis, or a Failure when the (dilated) window is larger
 * than the padded input or the stride or dilation is not positive. `What` names the window
 * in messages ('dilated kernel', 'window'); `Ceil` rounds the window count up (pooling's
 * `ceilMode`).
 */
export type OutputSize<
  Op extends string,
  What extends string,
  InDim extends Dim,
  KDim extends Dim,
  S extends number,
  D extends number,
  Pad extends readonly [number, number],
  Ceil = false,
> =
  Lt<S, 1> extends true
    ? Failure<`${Op}: stride ${S} is not positive`>
    : Lt<D, 1> extends true
      ? Failure<`${Op}: dilation ${D} is not positive`>
      : Add<Mul<Sub<NumericDim<KDim>, 1>, D>, 1> extends infer Window extends number
        ? Add<Add<NumericDim<InDim>, Pad[0]>, Pad[1]> extends infer Padded extends number
          ? Lt<Padded, Window> extends true
            ? Failure<`${Op}: ${What} ${Window} exceeds padded input ${Padded}`>
            : Ceil extends true
              ? CeilOutput<Padded, Window, S, NumericDim<InDim>, Pad[0]>
              : Add<FloorDiv<Sub<Padded, Window>, S>, 1>
          : never
        : never;

/** Run-time twin of `OutputSize` (also checks stride and dilation). */
export function convOutputSize(
  inSize: number,
  kernel: number,
  stride: number,
  padLo: number,
  padHi: number,
  dilation: number,
  op = 'conv',
  what = 'dilated kernel',
  ceil = false,
): number {
  if (stride < 1) shapeError(`${op}: stride ${stride} is not positive`);
  if (dilation < 1) shapeError(`${op}: dilation ${dilation} is not positive`);
  const window = (kernel - 1) * dilation + 1;
  const padded = inSize + padLo + padHi;
  if (padded < window) shapeError(`${op}: ${what} ${window} exceeds padded input ${padded}`);
  if (!ceil) return Math.floor((padded - window) / stride) + 1;
  const out = Math.ceil((padded - window) / stride) + 1;
  return (out - 1) * stride < inSize + padLo ? out : out - 1;
}

/** The value of a per-axis option at axis `i`, checking that a list has one entry per axis. */
export function axisValues(
  op: string,
  name: string,
  opt: PerAxis | undefined,
  rank: number,
  fallback: number,
): number[] {
  if (opt === undefined) return Array(rank).fill(fallback);
  if (typeof opt === 'number') return Array(rank).fill(opt);
  if (opt.length !== rank) shapeError(`${op}: ${name} length ${opt.length} and spatial rank ${rank} differ`);
  return [...opt];
}

/** Resolves a padding option to explicit [lo, hi] pairs, one per spatial axis. */
export function resolvePadding(
  padding: Padding | undefined,
  inSizes: readonly number[],
  kernels: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  op = 'conv',
): [number, number][] {
  return inSizes.map((inSize, i): [number, number] => {
    if (padding === undefined || padding === 'valid') return [0, 0];
    if (typeof padding === 'number') return [padding, padding];
    if (padding === 'same') {
      const stride = strides[i]!;
      const window = (kernels[i]! - 1) * dilations[i]! + 1;
      const total = Math.max((Math.ceil(inSize / stride) - 1) * stride + window - inSize, 0);
      const lo = Math.floor(total / 2);
      return [lo, total - lo];
    }
    if (padding.length !== inSizes.length) {
      shapeError(`${op}: padding length ${padding.length} and spatial rank ${inSizes.length} differ`);
    }
    const p = padding[i]!;
    return typeof p === 'number' ? [p, p] : [p[0], p[1]];
  });
}

/** Output sizes for the spatial dims XS with windows KS, or the first Failure. */
export type SpatialOutput<
  Op extends string,
  What extends string,
  XS extends Shape,
  KS extends Shape,
  Stride,
  Dilation,
  Pad,
  Ceil = false,
  I extends unknown[] = [],
  Acc extends Dim[] = [],
> = XS extends readonly [infer In extends Dim, ...infer XR extends Shape]
  ? KS extends readonly [infer K extends Dim, ...infer KR extends Shape]
    ? OutputSize<
        Op,
        What,
        In,
        K,
        AxisValue<Stride, I['length'], 1>,
        AxisValue<Dilation, I['length'], 1>,
        AxisPadding<
          Pad,
          I['length'],
          NumericDim<In>,
          NumericDim<K>,
          AxisValue<Stride, I['length'], 1>,
          AxisValue<Dilation, I['length'], 1>
        >,
        Ceil
      > extends infer Out
      ? Out extends number
        ? SpatialOutput<Op, What, XR, KR, Stride, Dilation, Pad, Ceil, [...I, 0], [...Acc, Out]>
        : Out
      : never
    : Acc
  : Acc;

/** The first Failure among stride, dilation and padding lists of the wrong length, else 'ok'. */
export type CheckOptionLengths<Op extends string, Stride, Dilation, Pad, NSp extends number> =
  CheckAxisCount<Op, 'stride', Stride, NSp> extends Failure<string>
    ? CheckAxisCount<Op, 'stride', Stride, NSp>
    : CheckAxisCount<Op, 'dilation', Dilation, NSp> extends Failure<string>
      ? CheckAxisCount<Op, 'dilation', Dilation, NSp>
      : CheckAxisCount<Op, 'padding', Pad, NSp>;

/** Option K of an options object, `undefined` when absent. */
export type OptionOf<O, K extends string> = K extends keyof O ? O[K] : undefined;

/** Run-time twin of `SpatialOutput` with `CheckOptionLengths`. */
export function spatialOutput(
  op: string,
  what: string,
  inSizes: readonly number[],
  kernels: readonly number[],
  opts: {
    readonly stride?: PerAxis;
    readonly dilation?: PerAxis;
    readonly padding?: Padding;
    readonly ceilMode?: boolean;
  },
  defaultStride: PerAxis = 1,
): number[] {
  const rank = inSizes.length;
  const strides = axisValues(op, 'stride', opts.stride ?? defaultStride, rank, 1);
  const dilations = axisValues(op, 'dilation', opts.dilation, rank, 1);
  const pads = resolvePadding(opts.padding, inSizes, kernels, strides, dilations, op);
  return inSizes.map((inSize, i) =>
    convOutputSize(
      inSize,
      kernels[i]!,
      strides[i]!,
      pads[i]![0],
      pads[i]![1],
      dilations[i]!,
      op,
      what,
      opts.ceilMode === true,
    ),
  );
}
