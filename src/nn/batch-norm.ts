/**
 * Batch and group normalisation as pure functions. `batchNorm` takes its running statistics as
 * an explicit state and returns the updated state (never mutates), so it works under `jit`
 * (return the state as an output) and `grad` (return it as `hasAux`).
 */

import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { full } from '../ops/creation.ts';
import { add, cast, div, mul, sqrt, sub } from '../ops/elementwise.ts';
import { mean, variance } from '../ops/reductions.ts';
import { reshape } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';
import { stopGradient } from '../transforms/stop-gradient.ts';
import type { ChannelCheck } from './checks.ts';
import { channelCheck } from './checks.ts';
import { type ChannelDim, configFromExample } from './example-input.ts';
import { checkSizes } from './init-scope.ts';

type T = Tensor;

/** Per-channel scale and shift (PyTorch's `weight` and `bias`), `[C]`. */
export interface NormParams<C extends Dim = number, D extends FloatDType = 'f32'> {
  /** Scale per channel `[C]` (init 1). */
  readonly gamma: Tensor<[C], D>;
  /** Shift per channel `[C]` (init 0). */
  readonly beta: Tensor<[C], D>;
}

/** Running statistics of a batch norm (PyTorch's `running_mean` and `running_var`), `[C]`. */
export interface BatchNormState<C extends Dim = number, D extends FloatDType = 'f32'> {
  /** Running mean per channel `[C]`. */
  readonly mean: Tensor<[C], D>;
  /** Running (unbiased) variance per channel `[C]`. */
  readonly var: Tensor<[C], D>;
}

/**
 * The configuration of `nn.batchNorm.init`, `nn.batchNorm.initState` and `nn.groupNorm.init`:
 * the channel count and the dtype.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn } from 'typegrad';
 * const config: nn.NormConfig<3, 'f32'> = { features: 3 };
 * assert.deepEqual(nn.batchNorm.initState(config).var.toArray(), [1, 1, 1]);
 * ```
 */
export interface NormConfig<C extends number, D extends FloatDType> {
  /** channels C (axis 1 of the input) */
  readonly features: C;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
}

/**
 * The options of `nn.batchNorm`: training or evaluation mode, the running-average momentum and ε.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const p = nn.batchNorm.init(null, { features: 1 });
 * const s = nn.batchNorm.initState({ features: 1 });
 * const opts: nn.BatchNormOptions = { training: true, momentum: 1 };
 * const [, next] = nn.batchNorm(p, s, tensor([[2], [4]]), opts);
 * assert.equal(next.mean.item(), 3); // momentum 1: the batch statistics replace the running ones
 * ```
 */
export interface BatchNormOptions {
  /** true: normalise with the batch statistics and update the running ones; false: use the running ones */
  readonly training: boolean;
  /** PyTorch's convention: `running = (1 - momentum)·running + momentum·batch` (default 0.1) */
  readonly momentum?: number;
  /** added to the variance (default 1e-5) */
  readonly eps?: number;
}

/**
 * The options of `nn.groupNorm`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const p = nn.groupNorm.init(null, { features: 2 });
 * const opts: nn.GroupNormOptions = { eps: 0 };
 * assert.deepEqual(nn.groupNorm(p, tensor([[[1], [3]]]), 1, opts).toArray(), [[[-1], [1]]]);
 * ```
 */
export interface GroupNormOptions {
  /** added to the variance (default 1e-5) */
  readonly eps?: number;
}

const dims = (t: T) => t.shape as readonly number[];

function checkInput(op: string, x: T, p: NormParams<Dim, FloatDType>): { c: number; x: T } {
  if (x.ndim < 2) throw new ShapeError(`${op}: input ${x.describe()} must be [N, C, ...]`);
  const c = dims(x)[1]!;
  channelCheck(op, 'features', dims(x), p.gamma.shape[0] as number);
  if (p.beta.shape[0] !== c)
    throw new ShapeError(`${op}: gamma ${p.gamma.describe()} and beta ${p.beta.describe()} differ`);
  return { c, x: x.dtype === p.gamma.dtype ? x : cast(x, p.gamma.dtype) };
}

/** A `[C]` tensor shaped to broadcast along axis 1 of a rank-r input: `[C, 1, …]`. */
const perChannel = (v: T, rank: number): T => reshape(v, [v.shape[0] as number, ...Array(rank - 2).fill(1)]);

function initParams<const C extends number, D extends FloatDType = 'f32'>(
  _key: Key | null,
  config: NormConfig<C, D>,
): NormParams<C, D> {
  checkOptions('nn.batchNorm.init', config, ['features', 'dtype']);
  checkSizes('nn.batchNorm.init', config, ['features']);
  const dtype = config.dtype ?? ('f32' as D);
  return {
    gamma: full([config.features] as [C], 1, { dtype }),
    beta: full([config.features] as [C], 0, { dtype }),
  };
}

function initState<const C extends number, D extends FloatDType = 'f32'>(
  config: NormConfig<C, D>,
): BatchNormState<C, D> {
  checkOptions('nn.batchNorm.initState', config, ['features', 'dtype']);
  checkSizes('nn.batchNorm.initState', config, ['features']);
  const dtype = config.dtype ?? ('f32' as D);
  return {
    mean: full([config.features] as [C], 0, { dtype }),
    var: full([config.features] as [C], 1, { dtype }),
  };
}

/** `init` with `features` read from the channel axis 1 of the example input `[N, C, ...]`. */
const initParamsFor =
  (op: string) =>
  <X extends Shape, D extends FloatDType = 'f32'>(
    key: Key | null,
    x: Tensor<X, DType>,
    config: { readonly dtype?: D } = {},
  ): NormParams<ChannelDim<X>, D> =>
    initParams(key, configFromExample(op, x, config, 'features', 1)) as never;

/** `initState` with `features` read from the channel axis 1 of the example input `[N, C, ...]`. */
function initStateFor<X extends Shape, D extends FloatDType = 'f32'>(
  x: Tensor<X, DType>,
  config: { readonly dtype?: D } = {},
): BatchNormState<ChannelDim<X>, D> {
  return initState(configFromExample('nn.batchNorm.initStateFor', x, config, 'features', 1)) as never;
}

function batchNormApply<X extends Shape, C extends Dim, D extends FloatDType>(
  params: NormParams<C, D>,
  state: BatchNormState<C, D>,
  x: Checked<Tensor<X, DType>, ChannelCheck<'nn.batchNorm', 'features', X, C>>,
  opts: BatchNormOptions,
): [Tensor<X, D>, BatchNormState<C, D>] {
  const op = 'nn.batchNorm';
  checkOptions(op, opts, ['training', 'momentum', 'eps']);
  const { c, x: v } = checkInput(op, x as T, params);
  if (typeof opts?.training !== 'boolean')
    throw new Error(`${op}: options.training must be true or false, got ${String(opts?.training)}`);
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (!(momentum >= 0 && momentum <= 1))
    throw new Error(`${op}: momentum must be in [0, 1], got ${momentum}`);
  if (state.mean.shape[0] !== c || state.var.shape[0] !== c)
    throw new ShapeError(
      `${op}: running statistics ${state.mean.describe()} and ${state.var.describe()} must be [${c}]`,
    );
  const rank = v.ndim;
  const axis = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  const count = axis.reduce((n, a) => n * dims(v)[a]!, 1);
  let m: T;
  let s: T;
  let next: BatchNormState<C, D> = state;
  if (opts.training) {
    if (count < 2)
      throw new Error(`${op}: training needs more than 1 value per channel, got input ${v.describe()}`);
    m = mean(v, { axis });
    s = variance(v, { axis });
    // running var takes the unbiased batch variance (PyTorch); no gradient flows into the state
    const unbiased = mul(stopGradient(s), count / (count - 1));
    next = {
      mean: add(mul(state.mean as T, 1 - momentum), mul(stopGradient(m), momentum)),
      var: add(mul(state.var as T, 1 - momentum), mul(unbiased, momentum)),
    } as never;
  } else {
    m = state.mean as T;
    s = state.var as T;
  }
  const xhat = div(sub(v, perChannel(m, rank)), sqrt(add(perChannel(s, rank), eps)));
  const y = add(mul(xhat, perChannel(params.gamma as T, rank)), perChannel(params.beta as T, rank));
  return [y as never, next];
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015), PyTorch's `BatchNorm1d`/`BatchNorm2d` for input
 * `[N, C]`, `[N, C, L]` or `[N, C, H, W]`: statistics per channel over N and the spatial dims.
 * `training: true` normalises with the batch mean and biased variance and returns the running
 * statistics updated as `(1 - momentum)·running + momentum·batch` with the *unbiased* batch
 * variance; `training: false` normalises with the running statistics and returns them as they
 * are. Returns `[y, newState]`; the state is never mutated.
 * `batchNorm.init(key, { features })` gives gamma 1, beta 0; `batchNorm.initState({ features })`
 * gives mean 0, var 1.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const p = nn.batchNorm.init(null, { features: 1 });
 * const stats0 = nn.batchNorm.initState({ features: 1 });
 * const [y, stats] = nn.batchNorm(p, stats0, tensor([[1], [3]]), { training: true, eps: 0 });
 * assert.deepEqual(y.toArray(), [[-1], [1]]);
 * assert.ok(Math.abs(stats.mean.item() - 0.2) < 1e-6); // 10% of the way to the batch mean 2
 * ```
 */
export const batchNorm = Object.assign(batchNormApply, {
  /** `{ gamma: ones [C], beta: zeros [C] }` (the key is unused; pass `null`). */
  init: initParams,
  /** The initial running statistics `{ mean: zeros [C], var: ones [C] }`. */
  initState,
  /** `init` with the channel count read from an example input. */
  initFor: initParamsFor('nn.batchNorm.initFor'),
  /** `initState` sized from an example input. */
  initStateFor,
});

function groupNormApply<X extends Shape, C extends Dim, D extends FloatDType>(
  params: NormParams<C, D>,
  x: Checked<Tensor<X, DType>, ChannelCheck<'nn.groupNorm', 'features', X, C>>,
  groups: number,
  opts: GroupNormOptions = {},
): Tensor<X, D> {
  const op = 'nn.groupNorm';
  checkOptions(op, opts, ['eps']);
  const { c, x: v } = checkInput(op, x as T, params);
  if (!(Number.isInteger(groups) && groups > 0 && c % groups === 0))
    throw new Error(`${op}: groups must be a positive integer dividing the ${c} channels, got ${groups}`);
  const eps = opts.eps ?? 1e-5;
  const n = dims(v)[0]!;
  const grouped = reshape(v, [n, groups, -1] as never) as T;
  const m = mean(grouped, { axis: -1, keepdims: true });
  const s = variance(grouped, { axis: -1, keepdims: true });
  const xhat = reshape(div(sub(grouped, m), sqrt(add(s, eps))), dims(v) as never) as T;
  const rank = v.ndim;
  return add(mul(xhat, perChannel(params.gamma as T, rank)), perChannel(params.beta as T, rank)) as never;
}

/**
 * Group normalisation (Wu & He 2018), PyTorch's `F.group_norm`: the C channels of `[N, C, ...]`
 * split into `groups` groups, each normalised over its channels and the spatial dims (biased
 * variance), then a per-channel gamma and beta. `groupNorm.init(key, { features })`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.groupNorm.init(null, { features: 32 });
 * const x = random.normal(random.key(0), [2, 32, 4, 4]);
 * assert.deepEqual(nn.groupNorm(p, x, 8).shape, [2, 32, 4, 4]);
 * ```
 */
export const groupNorm = Object.assign(groupNormApply, {
  /** `{ gamma: ones [C], beta: zeros [C] }` (the key is unused; pass `null`). */
  init: initParams,
  /** `init` with the channel count read from an example input. */
  initFor: initParamsFor('nn.groupNorm.initFor'),
});
