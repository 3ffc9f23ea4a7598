import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { full } from '../ops/creation.ts';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.ts';
import { mean, variance } from '../ops/reductions.ts';
import type { Key } from '../random/index.ts';
import type { Dim, Guard, Shape } from '../shapes/dim.ts';
import type { LastDimCheck } from './checks.ts';
import { lastDimCheck } from './checks.ts';

/** Scale and shift of a layer norm over the last axis of size F. */
export interface LayerNormParams<F extends Dim = number, D extends FloatDType = 'f32'> {
  readonly gamma: Tensor<[F], D>;
  readonly beta: Tensor<[F], D>;
}

export interface LayerNormConfig<F extends number, D extends FloatDType> {
  readonly features: F;
  readonly dtype?: D;
}

export interface LayerNormOptions {
  /** added to the variance (default 1e-5, as PyTorch) */
  readonly eps?: number;
}

function init<const F extends number, D extends FloatDType = 'f32'>(
  _key: Key | null,
  config: LayerNormConfig<F, D>,
): LayerNormParams<F, D> {
  checkOptions(
    'nn.layerNorm.init',
    config,
    optionKeys<LayerNormConfig<number, FloatDType>>({ features: true, dtype: true }),
  );
  const dtype = config.dtype ?? ('f32' as D);
  const shape = [config.features] as [F];
  return { gamma: full(shape, 1, { dtype }), beta: full(shape, 0, { dtype }) };
}

function apply<X extends Shape, F extends Dim, D extends FloatDType>(
  p: LayerNormParams<F, D>,
  x: Tensor<X, DType> & Guard<LastDimCheck<'nn.layerNorm', 'features', X, F>>,
  opts: LayerNormOptions = {},
): Tensor<X, D> {
  const t = x as Tensor;
  lastDimCheck('nn.layerNorm', 'features', t.shape as readonly number[], p.gamma.shape[0] as number);
  checkOptions('nn.layerNorm', opts, optionKeys<LayerNormOptions>({ eps: true }));
  const eps = opts.eps ?? 1e-5;
  const m = mean(t, { axis: -1, keepdims: true });
  const v = variance(t, { axis: -1, keepdims: true });
  const xhat = div(sub(t, m), sqrt(add(v, eps)));
  return add(mul(xhat, p.gamma as Tensor), p.beta as Tensor) as never;
}

/**
 * Layer normalisation (Ba, Kiros & Hinton 2016) over the last axis:
 * `y = (x - mean) / sqrt(var + eps) * gamma + beta`, with the biased (population) variance
 * as PyTorch's nn.LayerNorm. `layerNorm.init(key, { features })` gives gamma = 1, beta = 0.
 */
export const layerNorm = Object.assign(apply, { init });
