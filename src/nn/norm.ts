import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { full } from '../ops/creation.ts';
import { add, cast, div, mul, sqrt, sub } from '../ops/elementwise.ts';
import { mean, variance } from '../ops/reductions.ts';
import type { FloatOf } from '../ops/types.ts';
import type { Key } from '../random/index.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';
import type { LastDim, LastDimCheck } from './checks.ts';
import { lastDimCheck } from './checks.ts';
import { configFromExample } from './example-input.ts';
import { checkSize } from './init-scope.ts';

/** Scale and shift of a layer norm over the last axis of size F. */
export interface LayerNormParams<F extends Dim = number, D extends FloatDType = 'f32'> {
  /** Scale `[F]` (init 1). */
  readonly gamma: Tensor<[F], D>;
  /** Shift `[F]` (init 0). */
  readonly beta: Tensor<[F], D>;
}

/** Scale and shift of a layer norm over trailing dims N of any rank (PyTorch's `normalized_shape`). */
export interface LayerNormNdParams<N extends Shape = Shape, D extends FloatDType = 'f32'> {
  /** Scale, in the normalised shape (init 1). */
  readonly gamma: Tensor<N, D>;
  /** Shift, in the normalised shape (init 0). */
  readonly beta: Tensor<N, D>;
}

/** The parameters of a layer norm without affine parameters (`elementwiseAffine: false`). */
export type NoParams = Readonly<Record<string, never>>;

/**
 * The configuration of `nn.layerNorm.init` over the last axis: its size and dtype.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn } from 'typegrad';
 * const p = nn.layerNorm.init(null, { features: 3 });
 * assert.deepEqual([p.gamma.toArray(), p.beta.toArray()], [[1, 1, 1], [0, 0, 0]]);
 * ```
 */
export interface LayerNormConfig<F extends number, D extends FloatDType> {
  /** Size of the last axis, the one normalised. */
  readonly features: F;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
}

/**
 * The configuration of `nn.layerNorm.init` over several trailing axes (PyTorch's
 * `normalized_shape`), optionally without the affine parameters.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn } from 'typegrad';
 * const p = nn.layerNorm.init(null, { normalizedShape: [2, 3] });
 * assert.deepEqual(p.gamma.shape, [2, 3]);
 * assert.deepEqual(nn.layerNorm.init(null, { normalizedShape: [2, 3], elementwiseAffine: false }), {});
 * ```
 */
export interface LayerNormNdConfig<N extends readonly number[], D extends FloatDType> {
  /** the trailing dims normalised over, as PyTorch's `normalized_shape` */
  readonly normalizedShape: N;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
  /** false: no gamma and beta, init gives `{}` (default true) */
  readonly elementwiseAffine?: boolean;
}

/**
 * The options of `nn.layerNorm`: ε and, for parameter-free normalisation, the normalised shape.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const y = nn.layerNorm({}, tensor([[1, 3]]), { normalizedShape: [2], eps: 0 });
 * assert.deepEqual(y.toArray(), [[-1, 1]]);
 * ```
 */
export interface LayerNormOptions {
  /** added to the variance (default 1e-5, as PyTorch) */
  readonly eps?: number;
  /** the trailing dims to normalise; default the shape of gamma (required without params) */
  readonly normalizedShape?: readonly number[];
}

function init<const F extends number, D extends FloatDType = 'f32'>(
  key: Key | null,
  config: LayerNormConfig<F, D>,
): LayerNormParams<F, D>;
function init<const N extends readonly number[], D extends FloatDType = 'f32'>(
  key: Key | null,
  config: LayerNormNdConfig<N, D> & { readonly elementwiseAffine: false },
): NoParams;
function init<const N extends readonly number[], D extends FloatDType = 'f32'>(
  key: Key | null,
  config: LayerNormNdConfig<N, D>,
): LayerNormNdParams<[...N], D>;
function init(
  _key: Key | null,
  config: Partial<LayerNormConfig<number, FloatDType> & LayerNormNdConfig<readonly number[], FloatDType>>,
): object {
  checkOptions('nn.layerNorm.init', config, ['features', 'normalizedShape', 'elementwiseAffine', 'dtype']);
  const dtype = config.dtype ?? 'f32';
  if (config.normalizedShape === undefined) checkSize('nn.layerNorm.init', 'features', config.features);
  const shape = config.normalizedShape ?? [config.features as number];
  if (shape.some((d) => !(Number.isInteger(d) && d > 0)))
    throw new Error(
      `nn.layerNorm.init: normalizedShape must be positive integers, got [${shape.join(', ')}]`,
    );
  if (config.elementwiseAffine === false) return {};
  return { gamma: full([...shape], 1, { dtype }), beta: full([...shape], 0, { dtype }) };
}

/**
 * `layerNorm.initFor(key, x, config?)`: `init` with `features` read from the example input's
 * last dim (gamma 1 and beta 0 of x's last dim, typed with it).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, zeros } from 'typegrad';
 *
 * const ln = nn.layerNorm.initFor(null, zeros([2, 5, 64]));
 * assert.deepEqual(ln.gamma.shape, [64]);
 * ```
 */
function initFor<X extends Shape, D extends FloatDType = 'f32'>(
  key: Key | null,
  x: Tensor<X, DType>,
  config: { readonly dtype?: D } = {},
): LayerNormParams<LastDim<X>, D> {
  const op = 'nn.layerNorm.initFor';
  return init(key, configFromExample(op, x, config, 'features', -1, undefined, ['normalizedShape'])) as never;
}

function normalize(
  x: Tensor,
  p: Partial<LayerNormNdParams<Shape, FloatDType>>,
  opts: LayerNormOptions,
): Tensor {
  const op = 'nn.layerNorm';
  const given = opts.normalizedShape;
  const shape = (given ?? (p.gamma?.shape as readonly number[] | undefined)) as readonly number[] | undefined;
  if (shape === undefined)
    throw new Error(`${op}: without gamma and beta, pass the normalizedShape option (the trailing dims)`);
  const xs = x.shape as readonly number[];
  const tail = xs.slice(xs.length - shape.length);
  if (shape.length === 0 || shape.length > xs.length || tail.some((d, i) => d !== shape[i]))
    throw new ShapeError(
      `${op}: input ${x.describe()} does not end in the normalized shape [${shape.join(', ')}]`,
    );
  const g = p.gamma?.shape as readonly number[] | undefined;
  if (g !== undefined && (g.length !== shape.length || g.some((d, i) => d !== shape[i])))
    throw new ShapeError(
      `${op}: gamma ${p.gamma!.describe()} differs from the normalized shape [${shape.join(', ')}]`,
    );
  const eps = opts.eps ?? 1e-5;
  const axis = shape.map((_, i) => xs.length - shape.length + i);
  const v = x.dtype === 'f32' || x.dtype === 'f64' ? x : cast(x, 'f32');
  const m = mean(v, { axis, keepdims: true });
  const s = variance(v, { axis, keepdims: true });
  const xhat = div(sub(v, m), sqrt(add(s, eps)));
  return p.gamma && p.beta ? add(mul(xhat, p.gamma as Tensor), p.beta as Tensor) : xhat;
}

/** The parameter records `nn.layerNorm` takes. */
type AnyLayerNormParams = LayerNormParams<Dim, FloatDType> | LayerNormNdParams<Shape, FloatDType> | NoParams;

/** With `[F]` params, the input's last dim must be F; other params are checked at run time. */
type LayerNormCheck<P, X extends Shape> = P extends {
  readonly gamma: Tensor<[infer F extends Dim], FloatDType>;
}
  ? LastDimCheck<'nn.layerNorm', 'features', X, F>
  : unknown;

/** The params' dtype, or the input's as a float without params. */
// reads gamma's dtype alone: matching Tensor<Shape, …> would defer on a generic features dim
type LayerNormOut<P, D extends DType> = P extends {
  readonly gamma: { readonly dtype: infer PD extends FloatDType };
}
  ? PD
  : FloatOf<D>;

/** Without params the normalizedShape option is required. */
type LayerNormRest<P> = [P] extends [{ readonly gamma: unknown }]
  ? [opts?: LayerNormOptions]
  : [opts: LayerNormOptions & { readonly normalizedShape: readonly number[] }];

// One signature, not overloads: a failed check then prints just its message.
function apply<P extends AnyLayerNormParams, X extends Shape, D extends DType>(
  p: P,
  x: Checked<Tensor<X, D>, LayerNormCheck<P, X>>,
  ...opts: LayerNormRest<P>
): Tensor<X, LayerNormOut<P, D>>;
function apply(
  p: Partial<LayerNormNdParams<Shape, FloatDType>>,
  x: Tensor,
  opts: LayerNormOptions = {},
): Tensor {
  checkOptions('nn.layerNorm', opts, optionKeys<LayerNormOptions>({ eps: true, normalizedShape: true }));
  if (p.gamma !== undefined && p.gamma.ndim === 1 && opts.normalizedShape === undefined)
    lastDimCheck('nn.layerNorm', 'features', x.shape as readonly number[], p.gamma.shape[0] as number);
  return normalize(x, p, opts);
}

/**
 * Layer normalisation (Ba, Kiros & Hinton 2016), PyTorch's `nn.LayerNorm`:
 * `y = (x - mean) / sqrt(var + eps) * gamma + beta` over the trailing dims (the last axis for
 * `init(key, { features })`, any rank for `init(key, { normalizedShape: [C, H, W] })`), with the
 * biased (population) variance as PyTorch. `elementwiseAffine: false` gives `{}` and no scale
 * or shift (then pass `{ normalizedShape }` when applying). init gives gamma = 1, beta = 0.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mean, nn, random, tensor } from 'typegrad';
 * const p = nn.layerNorm.init(null, { features: 4 });
 * const y = nn.layerNorm(p, tensor([[1, 2, 3, 4]]));
 * assert.ok(Math.abs(mean(y).item()) < 1e-6); // each row: mean 0, variance 1
 * const nd = nn.layerNorm.init(random.key(0), { normalizedShape: [3, 4] });
 * assert.deepEqual(nn.layerNorm(nd, random.normal(random.key(1), [2, 3, 4])).shape, [2, 3, 4]);
 * ```
 */
export const layerNorm = Object.assign(apply, {
  /** `{ gamma: ones, beta: zeros }` over the last axis (`features`) or `normalizedShape` (`{}` without the affine part). */
  init,
  /** `init` with the input size read from an example input `x`. */
  initFor,
});
