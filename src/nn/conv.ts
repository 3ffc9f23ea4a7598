import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { describeArg } from '../ops/coerce.ts';
import { conv2d as conv2dOp } from '../ops/conv.ts';
import { add } from '../ops/elementwise.ts';
import { reshape } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { FloorDiv } from '../shapes/arith.ts';
import type { Conv2dCheck, Conv2d as Conv2dShape, ConvChannelsCheck, ConvOptions } from '../shapes/conv.ts';
import { convShape } from '../shapes/conv.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import type { RankCheck } from './checks.ts';
import { type ChannelDim, configFromExample, type PerGroup } from './example-input.ts';
import type { Initializer } from './init.ts';
import { glorotUniform, zeros } from './init.ts';
import { checkSize, checkSizes, ownedInit } from './init-scope.ts';

/** Conv weights OIHW `[out, in / groups, kH, kW]` and bias `[out]`. */
export interface Conv2dParams<
  O extends Dim = number,
  I extends Dim = number,
  KH extends Dim = number,
  KW extends Dim = number,
  D extends FloatDType = 'f32',
> {
  /** Weights OIHW `[out, in / groups, kH, kW]`. */
  readonly w: Tensor<[O, I, KH, KW], D>;
  /** Bias per output channel `[out]`. */
  readonly b: Tensor<[O], D>;
}

/**
 * A kernel size: one number for every spatial axis, or a `[kH, kW]` pair.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const k: nn.KernelSize = [3, 5];
 * assert.deepEqual(nn.conv2d.init(random.key(0), { in: 1, out: 2, kernel: k }).w.shape, [2, 1, 3, 5]);
 * ```
 */
export type KernelSize = number | readonly [number, number];
type KH<K> = K extends readonly [infer A extends number, number] ? A : K & number;
type KW<K> = K extends readonly [number, infer B extends number] ? B : K & number;

/**
 * The configuration of `nn.conv2d.init`: channels in and out, the kernel size, groups, dtype and
 * initialisers (weights Glorot-uniform, bias zeros by default).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const config = { in: 4, out: 8, kernel: 3, groups: 2 } as const;
 * assert.deepEqual(nn.conv2d.init(random.key(0), config).w.shape, [8, 2, 3, 3]);
 * ```
 */
export interface Conv2dConfig<
  I extends number,
  O extends number,
  K extends KernelSize,
  G extends number,
  D extends FloatDType,
> {
  /** input channels */
  readonly in: I;
  /** output channels */
  readonly out: O;
  /** kernel size: one number or [kH, kW] */
  readonly kernel: K;
  /** groups (default 1): in and out must divide by it; the weight has in / groups channels */
  readonly groups?: G;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
  /** default glorotUniform (fans from OIHW) */
  readonly kernelInit?: Initializer;
  /** default zeros */
  readonly biasInit?: Initializer;
}

const CONFIG_KEYS = optionKeys<Conv2dConfig<number, number, KernelSize, number, FloatDType>>({
  in: true,
  out: true,
  kernel: true,
  groups: true,
  dtype: true,
  kernelInit: true,
  biasInit: true,
});

function init<
  const I extends number,
  const O extends number,
  const K extends KernelSize,
  const G extends number = 1,
  D extends FloatDType = 'f32',
>(key: Key, config: Conv2dConfig<I, O, K, G, D>): Conv2dParams<O, FloorDiv<I, G>, KH<K>, KW<K>, D> {
  checkOptions('nn.conv2d.init', config, CONFIG_KEYS);
  checkSizes('nn.conv2d.init', config, ['in', 'out']);
  const k = config.kernel;
  if (!(Array.isArray(k) ? k.length === 2 : typeof k === 'number'))
    throw new Error(`nn.conv2d.init: kernel must be a number or [kH, kW], got ${describeArg(k)}`);
  const [kh, kw] = typeof k === 'number' ? [k, k] : k;
  checkSize('nn.conv2d.init', 'kernel', kh);
  checkSize('nn.conv2d.init', 'kernel', kw);
  const g = config.groups ?? 1;
  if (!Number.isInteger(g) || g < 1 || config.in % g !== 0 || config.out % g !== 0)
    throw new Error(`nn.conv2d.init: in ${config.in} and out ${config.out} must be divisible by groups ${g}`);
  return ownedInit(() => {
    const [k1, k2] = splitKeys(key, { num: 2 }) as [Key, Key];
    const dtype = config.dtype ?? ('f32' as D);
    return {
      w: (config.kernelInit ?? glorotUniform)(k1, [config.out, config.in / g, kh, kw], { dtype }),
      b: (config.biasInit ?? zeros)(k2, [config.out], { dtype }),
    } as never;
  });
}

/**
 * `conv2d.initFor(key, x, config)`: `init` with `in` read from the channel axis of the example
 * input `[N, C, H, W]`, so the weight has x's channel dim in its type.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, type Tensor, zeros } from 'typegrad';
 *
 * const img = zeros([8, 1, 28, 28]) as Tensor<[8, 1, 28, 28]>;
 * const c1 = nn.conv2d.initFor(random.key(0), img, { out: 6, kernel: 5 }); // w: Tensor<[6, 1, 5, 5]>
 * const h = nn.conv2d(c1, img, { padding: 2 }); // [8, 6, 28, 28]
 * const c2 = nn.conv2d.initFor(random.key(1), h, { out: 16, kernel: 5 }); // in = 6, from h's type
 * assert.deepEqual(c2.w.shape, [16, 6, 5, 5]);
 * ```
 */
function initFor<
  X extends Shape,
  const O extends number,
  const K extends KernelSize,
  const G extends number = 1,
  D extends FloatDType = 'f32',
>(
  key: Key,
  x: Checked<Tensor<X, DType>, RankCheck<'nn.conv2d.initFor', X, 4>>,
  config: Omit<Conv2dConfig<number, O, K, G, D>, 'in'>,
): Conv2dParams<O, PerGroup<ChannelDim<X>, G>, KH<K>, KW<K>, D> {
  return init(key, configFromExample('nn.conv2d.initFor', x, config, 'in', 1, 4)) as never;
}

function apply<
  X extends Shape,
  O extends Dim,
  I extends Dim,
  H extends Dim,
  W extends Dim,
  D extends FloatDType,
  const Opts extends ConvOptions = {},
>(
  p: Conv2dParams<O, I, H, W, D>,
  x: Checked<
    Tensor<X, DType>,
    ConvChannelsCheck<'nn.conv2d', 4, X, [O, I, H, W], Opts>,
    Conv2dCheck<X, [O, I, H, W], Opts, 'nn.conv2d'>
  >,
  opts?: Opts,
): Tensor<Conv2dShape<X, [O, I, H, W], Opts>, D> {
  convShape('nn.conv2d', (x as Tensor).shape as number[], p.w.shape as number[], opts ?? {}, 2);
  const y = conv2dOp(x as Tensor, p.w as Tensor, opts ?? {});
  const o = p.b.shape[0] as number;
  return add(y, reshape(p.b as Tensor, [o, 1, 1])) as never;
}

/**
 * 2-d convolution layer over NCHW input: `conv2d(p, x, { stride, padding, dilation, groups })
 * = conv2d(x, p.w) + p.b` (bias per output channel). `conv2d.init(key, { in, out, kernel,
 * groups })` makes OIHW weights `[out, in / groups, kH, kW]` and bias `[out]`. Pass the same
 * `groups` to the layer as to `init`. A channel or size mismatch is a compile error naming nn.conv2d.
 *
 * @param p `{ w: [out, in / groups, kH, kW], b: [out] }` from `conv2d.init`.
 * @param x the input `[B, in, H, W]` (NCHW).
 * @param opts `stride`, `padding` (a number, per axis, or `'same'`/`'valid'`), `dilation`, `groups`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, type Tensor, zeros } from 'typegrad';
 * const p = nn.conv2d.init(random.key(0), { in: 1, out: 6, kernel: 5 });
 * const y: Tensor<[2, 6, 28, 28]> = nn.conv2d(p, zeros([2, 1, 28, 28]), { padding: 2 });
 * assert.deepEqual(y.shape, [2, 6, 28, 28]);
 * assert.deepEqual(nn.conv2d(p, zeros([2, 1, 28, 28])).shape, [2, 6, 24, 24]);
 * ```
 */
export const conv2d = Object.assign(apply, {
  /** OIHW weights `[out, in / groups, kH, kW]` (Glorot-uniform) and a zero bias `[out]` from a key. */
  init,
  /** `init` with the input size read from an example input `x`. */
  initFor,
});
