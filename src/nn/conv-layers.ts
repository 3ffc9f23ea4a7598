/**
 * `nn.conv1d`, `nn.conv3d` and `nn.convTranspose2d`: the 1-d, 3-d and transposed forms of
 * `nn.conv2d`, each `layer(p, x, opts) = op(x, p.w, opts) + p.b` with a bias per output channel.
 */

import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { conv1d as conv1dOp, conv3d as conv3dOp, convTranspose2d as convTranspose2dOp } from '../ops/conv.ts';
import { add } from '../ops/elementwise.ts';
import { reshape } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { FloorDiv } from '../shapes/arith.ts';
import type {
  Conv1dCheck,
  Conv1d as Conv1dShape,
  Conv3dCheck,
  Conv3d as Conv3dShape,
  ConvChannelsCheck,
  ConvOptions,
} from '../shapes/conv.ts';
import { convShape } from '../shapes/conv.ts';
import type {
  ConvTranspose2dCheck,
  ConvTranspose2d as ConvTranspose2dShape,
  ConvTransposeOptions,
} from '../shapes/conv-transpose.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import type { RankCheck } from './checks.ts';
import { channelCheck } from './checks.ts';
import { type ChannelDim, configFromExample, type PerGroup } from './example-input.ts';
import type { Initializer } from './init.ts';
import { glorotUniform, zeros } from './init.ts';
import { checkSizes, ownedInit } from './init-scope.ts';

type T = Tensor;

/** Weights `[out, in / groups, ...kernel]` (or `[in, out / groups, ...kernel]` transposed) and bias `[out]`. */
export interface ConvParams<
  W extends Shape = number[],
  O extends Dim = number,
  D extends FloatDType = 'f32',
> {
  /** Weights `[out, in / groups, ...kernel]` (transposed: `[in, out / groups, ...kernel]`). */
  readonly w: Tensor<W, D>;
  /** Bias per output channel `[out]`. */
  readonly b: Tensor<[O], D>;
}

/**
 * The configuration of `nn.conv1d.init`, `nn.conv3d.init` and `nn.convTranspose2d.init`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.conv1d.init(random.key(0), { in: 4, out: 6, kernel: 5, groups: 2 });
 * assert.deepEqual(p.w.shape, [6, 2, 5]);
 * assert.deepEqual(p.b.shape, [6]);
 * ```
 */
export interface ConvLayerConfig<
  I extends number,
  O extends number,
  K,
  G extends number,
  D extends FloatDType,
> {
  /** input channels */
  readonly in: I;
  /** output channels */
  readonly out: O;
  /** kernel size: one number, or one per spatial axis */
  readonly kernel: K;
  /** groups (default 1): in and out must divide by it */
  readonly groups?: G;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
  /** default glorotUniform (fans from the weight's layout) */
  readonly kernelInit?: Initializer;
  /** default zeros */
  readonly biasInit?: Initializer;
}

function kernelOf(op: string, k: number | readonly number[], nd: number): number[] {
  const ks = typeof k === 'number' ? Array(nd).fill(k) : [...k];
  if (ks.length !== nd || ks.some((v) => !(Number.isInteger(v) && v > 0)))
    throw new Error(`${op}: kernel must be a positive integer or ${nd} of them, got ${JSON.stringify(k)}`);
  return ks;
}

function initConv(
  op: string,
  key: Key,
  config: ConvLayerConfig<number, number, number | readonly number[], number, FloatDType>,
  nd: number,
  transposed: boolean,
): ConvParams {
  checkOptions(op, config, ['in', 'out', 'kernel', 'groups', 'dtype', 'kernelInit', 'biasInit']);
  checkSizes(op, config, ['in', 'out']);
  const g = config.groups ?? 1;
  if (!Number.isInteger(g) || g < 1 || config.in % g !== 0 || config.out % g !== 0)
    throw new Error(`${op}: in ${config.in} and out ${config.out} must be divisible by groups ${g}`);
  const k = kernelOf(op, config.kernel, nd);
  const dtype = config.dtype ?? 'f32';
  const shape = transposed ? [config.in, config.out / g, ...k] : [config.out, config.in / g, ...k];
  return ownedInit(() => {
    const [k1, k2] = splitKeys(key, { num: 2 }) as [Key, Key];
    return {
      w: (config.kernelInit ?? glorotUniform)(k1, shape, { dtype }),
      b: (config.biasInit ?? zeros)(k2, [config.out], { dtype }),
    };
  }) as never;
}

/** The layer's own shape check (naming nn.convNd), then the op. */
function checkedConv(
  op: string,
  rank: number,
  conv: (x: T, w: never, opts: ConvOptions) => unknown,
  x: T,
  w: T,
  opts: ConvOptions | undefined,
): T {
  convShape(op, x.shape as number[], w.shape as number[], opts ?? {}, rank);
  return conv(x, w as never, opts ?? {}) as T;
}

const withBias = (y: T, b: T) => add(y, reshape(b, [b.shape[0] as number, ...Array(y.ndim - 2).fill(1)]));

type K2<K> = K extends readonly [infer A extends number, infer B extends number]
  ? [A, B]
  : [K & number, K & number];
type K3<K> = K extends readonly [infer A extends number, infer B extends number, infer C extends number]
  ? [A, B, C]
  : [K & number, K & number, K & number];

/**
 * 1-d convolution layer over `[N, C, L]`: `conv1d(p, x, { stride, padding, dilation, groups })
 * = conv1d(x, p.w) + p.b`. `conv1d.init(key, { in, out, kernel })` makes `w [out, in/groups, k]`, `b [out]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, type Tensor, zeros } from 'typegrad';
 * const p = nn.conv1d.init(random.key(0), { in: 16, out: 32, kernel: 3 });
 * const y: Tensor<[4, 32, 100]> = nn.conv1d(p, zeros([4, 16, 100]), { padding: 1 });
 * assert.deepEqual(y.shape, [4, 32, 100]);
 * ```
 */
export const conv1d = Object.assign(
  <
    X extends Shape,
    W extends Shape,
    O extends Dim,
    D extends FloatDType,
    const Opts extends ConvOptions = {},
  >(
    p: ConvParams<W, O, D>,
    x: Checked<
      Tensor<X, DType>,
      ConvChannelsCheck<'nn.conv1d', 3, X, W, Opts>,
      Conv1dCheck<X, W, Opts, 'nn.conv1d'>
    >,
    opts?: Opts,
  ): Tensor<Conv1dShape<X, W, Opts>, D> =>
    withBias(checkedConv('nn.conv1d', 1, conv1dOp, x as T, p.w as T, opts), p.b as T) as never,
  {
    /** Weights `[out, in / groups, k]` (Glorot-uniform) and a zero bias `[out]` from a key. */
    init: <
      const I extends number,
      const O extends number,
      const K extends number,
      const G extends number = 1,
      D extends FloatDType = 'f32',
    >(
      key: Key,
      config: ConvLayerConfig<I, O, K, G, D>,
    ): ConvParams<[O, FloorDiv<I, G>, K], O, D> => initConv('nn.conv1d.init', key, config, 1, false) as never,
    /** `init` with `in` read from the channel axis of the example input `[N, C, L]`. */
    initFor: <
      X extends Shape,
      const O extends number,
      const K extends number,
      const G extends number = 1,
      D extends FloatDType = 'f32',
    >(
      key: Key,
      x: Checked<Tensor<X, DType>, RankCheck<'nn.conv1d.initFor', X, 3>>,
      config: Omit<ConvLayerConfig<number, O, K, G, D>, 'in'>,
    ): ConvParams<[O, PerGroup<ChannelDim<X>, G>, K], O, D> =>
      initConv(
        'nn.conv1d.initFor',
        key,
        configFromExample('nn.conv1d.initFor', x, config, 'in', 1, 3),
        1,
        false,
      ) as never,
  },
);

/**
 * 3-d convolution layer over `[N, C, D, H, W]`: `conv3d(p, x, opts) = conv3d(x, p.w) + p.b`.
 * `conv3d.init(key, { in, out, kernel })` makes `w [out, in/groups, kD, kH, kW]`, `b [out]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 * const p = nn.conv3d.init(random.key(0), { in: 3, out: 8, kernel: 3 });
 * const video = zeros([1, 3, 4, 16, 16]); // [B, C, D, H, W]
 * assert.deepEqual(nn.conv3d(p, video, { padding: 1 }).shape, [1, 8, 4, 16, 16]);
 * ```
 */
export const conv3d = Object.assign(
  <
    X extends Shape,
    W extends Shape,
    O extends Dim,
    D extends FloatDType,
    const Opts extends ConvOptions = {},
  >(
    p: ConvParams<W, O, D>,
    x: Checked<
      Tensor<X, DType>,
      ConvChannelsCheck<'nn.conv3d', 5, X, W, Opts>,
      Conv3dCheck<X, W, Opts, 'nn.conv3d'>
    >,
    opts?: Opts,
  ): Tensor<Conv3dShape<X, W, Opts>, D> =>
    withBias(checkedConv('nn.conv3d', 3, conv3dOp, x as T, p.w as T, opts), p.b as T) as never,
  {
    /** Weights `[out, in / groups, kD, kH, kW]` (Glorot-uniform) and a zero bias `[out]` from a key. */
    init: <
      const I extends number,
      const O extends number,
      const K extends number | readonly [number, number, number],
      const G extends number = 1,
      D extends FloatDType = 'f32',
    >(
      key: Key,
      config: ConvLayerConfig<I, O, K, G, D>,
    ): ConvParams<[O, FloorDiv<I, G>, ...K3<K>], O, D> =>
      initConv('nn.conv3d.init', key, config, 3, false) as never,
    /** `init` with `in` read from the channel axis of the example input `[N, C, D, H, W]`. */
    initFor: <
      X extends Shape,
      const O extends number,
      const K extends number | readonly [number, number, number],
      const G extends number = 1,
      D extends FloatDType = 'f32',
    >(
      key: Key,
      x: Checked<Tensor<X, DType>, RankCheck<'nn.conv3d.initFor', X, 5>>,
      config: Omit<ConvLayerConfig<number, O, K, G, D>, 'in'>,
    ): ConvParams<[O, PerGroup<ChannelDim<X>, G>, ...K3<K>], O, D> =>
      initConv(
        'nn.conv3d.initFor',
        key,
        configFromExample('nn.conv3d.initFor', x, config, 'in', 1, 5),
        3,
        false,
      ) as never,
  },
);

/**
 * Transposed 2-d convolution layer: `convTranspose2d(p, x, { stride, padding, outputPadding,
 * dilation, groups }) = convTranspose2d(x, p.w) + p.b`, weights in PyTorch's layout
 * `[in, out/groups, kH, kW]` from `convTranspose2d.init(key, { in, out, kernel })`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 * const p = nn.convTranspose2d.init(random.key(0), { in: 16, out: 3, kernel: 2 });
 * // stride 2 with a 2x2 kernel doubles the spatial size (the decoder half of an autoencoder)
 * assert.deepEqual(nn.convTranspose2d(p, zeros([1, 16, 7, 7]), { stride: 2 }).shape, [1, 3, 14, 14]);
 * ```
 */
export const convTranspose2d = Object.assign(
  <
    X extends Shape,
    W extends Shape,
    O extends Dim,
    D extends FloatDType,
    const Opts extends ConvTransposeOptions = {},
  >(
    p: ConvParams<W, O, D>,
    x: Checked<
      Tensor<X, DType>,
      ConvChannelsCheck<'nn.convTranspose2d', 4, X, W, Opts, 0>,
      ConvTranspose2dCheck<X, W, Opts, 'nn.convTranspose2d'>
    >,
    opts?: Opts,
  ): Tensor<NoInfer<ConvTranspose2dShape<X, W, Opts>>, D> => {
    channelCheck(
      'nn.convTranspose2d',
      'weight in-channels',
      (x as T).shape as number[],
      p.w.shape[0] as number,
    );
    return withBias(convTranspose2dOp(x as T, p.w as T as never, opts ?? {}) as T, p.b as T) as never;
  },
  {
    /** Weights `[in, out / groups, kH, kW]` (Glorot-uniform) and a zero bias `[out]` from a key. */
    init: <
      const I extends number,
      const O extends number,
      const K extends number | readonly [number, number],
      const G extends number = 1,
      D extends FloatDType = 'f32',
    >(
      key: Key,
      config: ConvLayerConfig<I, O, K, G, D>,
    ): ConvParams<[I, FloorDiv<O, G>, ...K2<K>], O, D> =>
      initConv('nn.convTranspose2d.init', key, config, 2, true) as never,
    /** `init` with `in` read from the channel axis of the example input `[N, C, H, W]`. */
    initFor: <X extends Shape, const O extends number, D extends FloatDType = 'f32'>(
      key: Key,
      x: Checked<Tensor<X, DType>, RankCheck<'nn.convTranspose2d.initFor', X, 4>>,
      config: Omit<ConvLayerConfig<number, O, number | readonly [number, number], number, D>, 'in'>,
    ): ConvParams<[ChannelDim<X>, number, number, number], O, D> =>
      initConv(
        'nn.convTranspose2d.initFor',
        key,
        configFromExample('nn.convTranspose2d.initFor', x, config, 'in', 1, 4),
        2,
        true,
      ) as never,
  },
);
