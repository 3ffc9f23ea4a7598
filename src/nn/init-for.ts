/**
 * Initialisation from an example input, as Flax's `init(key, x)` and Keras's build-on-first-call:
 * `layer.initFor(key, x, config)` reads the input size from `x` (its last dim, or its channel
 * axis 1 for convolutions and batch/group norms) and calls `layer.init` with it, so the
 * parameter record's type uses x's literal dims and every later layer stays statically checked.
 * For the same key it gives exactly the parameters of `layer.init(key, { in: <that dim>, ... })`.
 * The functions are attached to the layers here (not in each layer's file), and `nn/index.ts`
 * exports the layers from this module so their types include `initFor`.
 */
import type { DType, FloatDType } from '../core/dtype.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';
import { describeArg } from '../ops/coerce.ts';
import type { Key } from '../random/index.ts';
import type { Dim, Guard, NumericDim, Shape } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';
import { type MultiHeadAttentionConfig, multiHeadAttention as mhaBase } from './attention.ts';
import {
  type BatchNormState,
  batchNorm as batchNormBase,
  groupNorm as groupNormBase,
  type NormParams,
} from './batch-norm.ts';
import type { LastDim, RankCheck } from './checks.ts';
import { type Conv2dConfig, conv2d as conv2dBase, type KernelSize } from './conv.ts';
import {
  type ConvLayerConfig,
  conv1d as conv1dBase,
  conv3d as conv3dBase,
  convTranspose2d as convTBase,
} from './conv-layers.ts';
import { type DenseConfig, type DenseNoBiasParams, type DenseParams, dense as denseBase } from './dense.ts';
import { gru as gruBase } from './gru.ts';
import { type LayerNormParams, layerNorm as layerNormBase } from './norm.ts';
import { type LstmConfig, lstm as lstmBase, type RecurrentConfig, rnn as rnnBase } from './recurrent.ts';

/** The channel dim (axis 1) of an input `[N, C, ...]`; `number` when the rank is unknown. */
export type ChannelDim<X extends Shape> = X extends readonly [infer _N, infer C extends Dim, ...infer _Rest]
  ? C
  : number;

/** An input size as the explicit config wants it: literal numbers stay literal, named dims become `number`. */
type Size<D extends Dim> = NumericDim<D>;

/** `config` without the keys `initFor` reads from the example input. */
type Without<C, K extends string> = Omit<C, K>;

/**
 * The size of axis `axis` (negative counts from the end) of the example input `x`, checking
 * that it is a tensor of at least `minRank` (exactly `rank`, when given) dims.
 */
function exampleDim(op: string, x: unknown, axis: number, rank?: number): number {
  if (!isTensor(x)) throw new Error(`${op}: the example input must be a Tensor, got ${describeArg(x)}`);
  const s = x.shape as readonly number[];
  if (rank !== undefined && s.length !== rank)
    throw new ShapeError(`${op}: input rank ${s.length} and expected rank ${rank} differ`);
  const i = axis < 0 ? s.length + axis : axis;
  if (i < 0 || i >= s.length)
    throw new ShapeError(`${op}: the example input ${x.describe()} has no axis ${axis}`);
  return s[i]!;
}

/** Rejects the keys that `initFor` fills in from the example (a config that also gives them is ambiguous). */
function configWithout(op: string, config: unknown, keys: readonly string[]): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new Error(`${op}: config must be an object, got ${describeArg(config)}`);
  for (const k of keys)
    if (k in config)
      throw new Error(`${op}: config.${k} comes from the example input; leave it out (or use init)`);
  return config as Record<string, unknown>;
}

// ---------------------------------------------------------------- dense

function denseInitFor<X extends Shape, const Out extends number, D extends FloatDType = 'f32'>(
  key: Key,
  x: Tensor<X, DType>,
  config: Without<DenseConfig<number, Out, D>, 'in'> & { readonly bias: false },
): DenseNoBiasParams<LastDim<X>, Out, D>;
function denseInitFor<X extends Shape, const Out extends number, D extends FloatDType = 'f32'>(
  key: Key,
  x: Tensor<X, DType>,
  config: Without<DenseConfig<number, Out, D>, 'in'>,
): DenseParams<LastDim<X>, Out, D>;
function denseInitFor(key: Key, x: Tensor, config: object): object {
  const op = 'nn.dense.initFor';
  const c = configWithout(op, config, ['in']);
  return denseBase.init(key, { ...c, in: exampleDim(op, x, -1) } as DenseConfig<number, number, 'f32'>);
}

// ---------------------------------------------------------------- convolutions

/** `config` for a convolution's `initFor`: the explicit config without `in` (read from x's axis 1). */
type ConvForConfig<O extends number, K, G extends number, D extends FloatDType> = Without<
  ConvLayerConfig<number, O, K, G, D>,
  'in'
>;

/** The `initFor` of a convolution of `nd` spatial dims: `in` is the channel axis of a rank-(nd + 2) input. */
const convFor =
  (op: string, init: (key: Key, config: never) => unknown, nd: number) =>
  (key: Key, x: Tensor, config: object): never => {
    const c = configWithout(op, config, ['in']);
    return init(key, { ...c, in: exampleDim(op, x, 1, nd + 2) } as never) as never;
  };

const conv2dFor = convFor('nn.conv2d.initFor', conv2dBase.init, 2) as <
  X extends Shape,
  const O extends number,
  const K extends KernelSize,
  const G extends number = 1,
  D extends FloatDType = 'f32',
>(
  key: Key,
  x: Tensor<X, DType> & Guard<RankCheck<'nn.conv2d.initFor', X, 4>>,
  config: Without<Conv2dConfig<number, O, K, G, D>, 'in'>,
) => ReturnType<typeof conv2dBase.init<Size<ChannelDim<X>>, O, K, G, D>>;

const conv1dFor = convFor('nn.conv1d.initFor', conv1dBase.init, 1) as <
  X extends Shape,
  const O extends number,
  const K extends number,
  const G extends number = 1,
  D extends FloatDType = 'f32',
>(
  key: Key,
  x: Tensor<X, DType> & Guard<RankCheck<'nn.conv1d.initFor', X, 3>>,
  config: ConvForConfig<O, K, G, D>,
) => ReturnType<typeof conv1dBase.init<Size<ChannelDim<X>>, O, K, G, D>>;

const conv3dFor = convFor('nn.conv3d.initFor', conv3dBase.init, 3) as <
  X extends Shape,
  const O extends number,
  const K extends number | readonly [number, number, number],
  const G extends number = 1,
  D extends FloatDType = 'f32',
>(
  key: Key,
  x: Tensor<X, DType> & Guard<RankCheck<'nn.conv3d.initFor', X, 5>>,
  config: ConvForConfig<O, K, G, D>,
) => ReturnType<typeof conv3dBase.init<Size<ChannelDim<X>>, O, K, G, D>>;

const convTransposeFor = convFor('nn.convTranspose2d.initFor', convTBase.init, 2) as <
  X extends Shape,
  const O extends number,
  D extends FloatDType = 'f32',
>(
  key: Key,
  x: Tensor<X, DType> & Guard<RankCheck<'nn.convTranspose2d.initFor', X, 4>>,
  config: ConvForConfig<O, number | readonly [number, number], number, D>,
) => ReturnType<typeof convTBase.init<Size<ChannelDim<X>>, O, D>>;

// ---------------------------------------------------------------- norms

function layerNormFor<X extends Shape, D extends FloatDType = 'f32'>(
  key: Key | null,
  x: Tensor<X, DType>,
  config: { readonly dtype?: D } = {},
): LayerNormParams<LastDim<X>, D> {
  const op = 'nn.layerNorm.initFor';
  const c = configWithout(op, config, ['features', 'normalizedShape']);
  return layerNormBase.init(key, { ...c, features: exampleDim(op, x, -1) }) as never;
}

/** batch and group norms: `features` is the channel axis 1 of `[N, C, ...]`. */
const normFor =
  (op: string) =>
  <X extends Shape, D extends FloatDType = 'f32'>(
    key: Key | null,
    x: Tensor<X, DType>,
    config: { readonly dtype?: D } = {},
  ): NormParams<ChannelDim<X>, D> => {
    const c = configWithout(op, config, ['features']);
    return batchNormBase.init(key, { ...c, features: exampleDim(op, x, 1) } as never) as never;
  };

function batchNormStateFor<X extends Shape, D extends FloatDType = 'f32'>(
  x: Tensor<X, DType>,
  config: { readonly dtype?: D } = {},
): BatchNormState<ChannelDim<X>, D> {
  const op = 'nn.batchNorm.initStateFor';
  const c = configWithout(op, config, ['features']);
  return batchNormBase.initState({ ...c, features: exampleDim(op, x, 1) } as never) as never;
}

// ---------------------------------------------------------------- recurrent and attention

/** `config` for a recurrent layer's `initFor`: the explicit config without `in` (x's last dim, x `[T, B, F]`). */
const recurrentFor =
  (op: string, init: (key: Key, config: never) => unknown) =>
  (key: Key, x: Tensor, config: object): never => {
    const c = configWithout(op, config, ['in']);
    return init(key, { ...c, in: exampleDim(op, x, 2, 3) } as never) as never;
  };

type RecurrentFor<Op extends string, Config, Init extends 'rnn' | 'lstm' | 'gru'> = <
  X extends Shape,
  const H extends number,
  D extends FloatDType = 'f32',
>(
  key: Key,
  x: Tensor<X, DType> & Guard<RankCheck<Op, X, 3>>,
  config: Without<Config, 'in' | 'hidden' | 'dtype'> & { readonly hidden: H; readonly dtype?: D },
) => {
  rnn: ReturnType<typeof rnnBase.init<Size<LastDim<X>>, H, D>>;
  lstm: ReturnType<typeof lstmBase.init<Size<LastDim<X>>, H, D>>;
  gru: ReturnType<typeof gruBase.init<Size<LastDim<X>>, H, D>>;
}[Init];

const rnnFor = recurrentFor('nn.rnn.initFor', rnnBase.init) as RecurrentFor<
  'nn.rnn.initFor',
  RecurrentConfig<number, number, FloatDType>,
  'rnn'
>;
const lstmFor = recurrentFor('nn.lstm.initFor', lstmBase.init) as RecurrentFor<
  'nn.lstm.initFor',
  LstmConfig<number, number, FloatDType>,
  'lstm'
>;
const gruFor = recurrentFor('nn.gru.initFor', gruBase.init) as RecurrentFor<
  'nn.gru.initFor',
  RecurrentConfig<number, number, FloatDType>,
  'gru'
>;

function mhaFor<
  X extends Shape,
  const Hn extends number,
  const Dh extends number = number,
  D extends FloatDType = 'f32',
>(
  key: Key,
  x: Tensor<X, DType>,
  config: Without<MultiHeadAttentionConfig<number, Hn, Dh, D>, 'dim'>,
): ReturnType<typeof mhaBase.init<Size<LastDim<X>>, Hn, Dh, D>> {
  const op = 'nn.multiHeadAttention.initFor';
  const c = configWithout(op, config, ['dim']);
  return mhaBase.init(key, { ...c, dim: exampleDim(op, x, -1) } as never) as never;
}

// ---------------------------------------------------------------- attaching

/**
 * Dense layer (see `dense.ts`), with `dense.initFor(key, x, { out })`: `in` is x's last dim.
 * @example nn.dense.initFor(key, x, { out: 10 }) // x [B, 784] -> { w: [784, 10], b: [10] }
 */
export const dense = Object.assign(denseBase, { initFor: denseInitFor });
/** 2-d convolution layer (see `conv.ts`), with `conv2d.initFor(key, x, { out, kernel })`: `in` is x's axis 1. */
export const conv2d = Object.assign(conv2dBase, { initFor: conv2dFor });
/** 1-d convolution layer, with `conv1d.initFor(key, x, { out, kernel })`: `in` is the channel axis of x `[N, C, L]`. */
export const conv1d = Object.assign(conv1dBase, { initFor: conv1dFor });
/** 3-d convolution layer, with `conv3d.initFor(key, x, { out, kernel })`: `in` is the channel axis of x `[N, C, D, H, W]`. */
export const conv3d = Object.assign(conv3dBase, { initFor: conv3dFor });
/** Transposed 2-d convolution, with `convTranspose2d.initFor(key, x, { out, kernel })`: `in` is x's axis 1. */
export const convTranspose2d = Object.assign(convTBase, { initFor: convTransposeFor });
/** Layer norm, with `layerNorm.initFor(key, x)`: `features` is x's last dim. */
export const layerNorm = Object.assign(layerNormBase, { initFor: layerNormFor });
/** Batch norm, with `batchNorm.initFor(key, x)` and `batchNorm.initStateFor(x)`: `features` is x's axis 1. */
export const batchNorm = Object.assign(batchNormBase, {
  initFor: normFor('nn.batchNorm.initFor'),
  initStateFor: batchNormStateFor,
});
/** Group norm, with `groupNorm.initFor(key, x)`: `features` is x's axis 1. */
export const groupNorm = Object.assign(groupNormBase, { initFor: normFor('nn.groupNorm.initFor') });
/** Elman RNN, with `rnn.initFor(key, xs, { hidden })`: `in` is the feature dim of xs `[T, B, F]`. */
export const rnn = Object.assign(rnnBase, { initFor: rnnFor });
/** LSTM, with `lstm.initFor(key, xs, { hidden })`: `in` is the feature dim of xs `[T, B, F]`. */
export const lstm = Object.assign(lstmBase, { initFor: lstmFor });
/** GRU, with `gru.initFor(key, xs, { hidden })`: `in` is the feature dim of xs `[T, B, F]`. */
export const gru = Object.assign(gruBase, { initFor: gruFor });
/** Multi-head attention, with `multiHeadAttention.initFor(key, x, { heads })`: `dim` is x's last dim. */
export const multiHeadAttention = Object.assign(mhaBase, { initFor: mhaFor });
