import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { add } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import type { MatMul } from '../shapes/matmul.ts';
import type { LastDim, LastDimCheck } from './checks.ts';
import { lastDimCheck } from './checks.ts';
import { configFromExample } from './example-input.ts';
import type { Initializer } from './init.ts';
import { glorotUniform, zeros } from './init.ts';
import { checkSizes, ownedInit } from './init-scope.ts';

/** Parameters of a dense layer: `y = x @ w + b`, weights `[in, out]`. */
export interface DenseParams<
  In extends Dim = number,
  Out extends Dim = number,
  D extends FloatDType = 'f32',
> {
  /** Weights `[in, out]` (PyTorch's `Linear.weight` transposed). */
  readonly w: Tensor<[In, Out], D>;
  /** Bias `[out]`. */
  readonly b: Tensor<[Out], D>;
}

/** A dense layer without bias (`dense.init(key, { in, out, bias: false })`): `y = x @ w`. */
export interface DenseNoBiasParams<
  In extends Dim = number,
  Out extends Dim = number,
  D extends FloatDType = 'f32',
> {
  /** Weights `[in, out]`. */
  readonly w: Tensor<[In, Out], D>;
}

/**
 * The configuration of `nn.dense.init`: `in` and `out` sizes (kept as literal types), `bias`,
 * `dtype` and the two initialisers.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.dense.init(random.key(0), { in: 4, out: 2, biasInit: nn.init.constant(0.1) });
 * assert.deepEqual([...p.b.dataSync()].map((v) => Math.round(v * 10) / 10), [0.1, 0.1]);
 * ```
 */
export interface DenseConfig<In extends number, Out extends number, D extends FloatDType> {
  /** false: no bias, as PyTorch's `nn.Linear(bias=False)` (default true) */
  readonly bias?: boolean;
  /** Input features (the last dim of the input). */
  readonly in: In;
  /** Output features. */
  readonly out: Out;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
  /** default glorotUniform */
  readonly kernelInit?: Initializer;
  /** default zeros */
  readonly biasInit?: Initializer;
}

function init<const In extends number, const Out extends number, D extends FloatDType = 'f32'>(
  key: Key,
  config: DenseConfig<In, Out, D> & { readonly bias: false },
): DenseNoBiasParams<In, Out, D>;
function init<const In extends number, const Out extends number, D extends FloatDType = 'f32'>(
  key: Key,
  config: DenseConfig<In, Out, D>,
): DenseParams<In, Out, D>;
function init(key: Key, config: DenseConfig<number, number, FloatDType>): DenseParams | DenseNoBiasParams {
  checkOptions(
    'nn.dense.init',
    config,
    optionKeys<DenseConfig<number, number, FloatDType>>({
      in: true,
      out: true,
      dtype: true,
      kernelInit: true,
      biasInit: true,
      bias: true,
    }),
  );
  checkSizes('nn.dense.init', config, ['in', 'out']);
  return ownedInit(() => {
    const [kw, kb] = splitKeys(key, { num: 2 }) as [Key, Key];
    const dtype = config.dtype ?? 'f32';
    const w = (config.kernelInit ?? glorotUniform)(kw, [config.in, config.out], { dtype });
    if (config.bias === false) return { w } as never;
    return { w, b: (config.biasInit ?? zeros)(kb, [config.out], { dtype }) } as never;
  });
}

/**
 * `dense.initFor(key, x, config)`: `init` with `in` read from the example input's last dim,
 * so the record has x's dims in its type (`x: Tensor<[B, 784]>` gives `w: Tensor<[784, out]>`).
 * Same parameters as `init(key, { in: x.shape.at(-1), ...config })` for the same key.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, type Tensor, zeros } from 'typegrad';
 *
 * const x = zeros([32, 784]) as Tensor<[32, 784]>;
 * const p = nn.dense.initFor(random.key(0), x, { out: 10 }); // p.w: Tensor<[784, 10]>
 * assert.deepEqual(p.w.shape, [784, 10]);
 * assert.deepEqual(p.w.toArray(), nn.dense.init(random.key(0), { in: 784, out: 10 }).w.toArray());
 * ```
 */
function initFor<X extends Shape, const Out extends number, D extends FloatDType = 'f32'>(
  key: Key,
  x: Tensor<X, DType>,
  config: Omit<DenseConfig<number, Out, D>, 'in'> & { readonly bias: false },
): DenseNoBiasParams<LastDim<X>, Out, D>;
function initFor<X extends Shape, const Out extends number, D extends FloatDType = 'f32'>(
  key: Key,
  x: Tensor<X, DType>,
  config: Omit<DenseConfig<number, Out, D>, 'in'>,
): DenseParams<LastDim<X>, Out, D>;
function initFor(key: Key, x: Tensor, config: object): object {
  return init(key, configFromExample('nn.dense.initFor', x, config, 'in', -1));
}

function apply<X extends Shape, In extends Dim, Out extends Dim, D extends FloatDType>(
  p: DenseParams<In, Out, D> | DenseNoBiasParams<In, Out, D>,
  x: Checked<Tensor<X, DType>, LastDimCheck<'nn.dense', 'weight rows', X, In, 'features'>>,
): Tensor<MatMul<X, [In, Out]>, D> {
  lastDimCheck(
    'nn.dense',
    'weight rows',
    (x as Tensor).shape as number[],
    p.w.shape[0] as number,
    'features',
  );
  const y = matmul(x as Tensor, p.w as Tensor);
  return ('b' in p && p.b !== undefined ? add(y, p.b as Tensor) : y) as never;
}

/**
 * Dense (fully connected) layer: `dense(p, x) = x @ p.w + p.b` for x `[..., in]`.
 * `dense.init(key, { in, out })` makes `{ w: [in, out], b: [out] }` (Glorot-uniform weights,
 * zero bias); with `bias: false` it makes `{ w }` and the layer is `x @ p.w`. A wrong input
 * size is a compile error naming nn.dense and both dims
 * (`nn.dense: input features 784 and weight rows 400 differ`), thrown with the same text at run time.
 *
 * @param p the parameters `{ w: [in, out], b?: [out] }` from `dense.init`.
 * @param x the input `[..., in]`; the result is `[..., out]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, type Tensor, tensor } from 'typegrad';
 * const p = nn.dense.init(random.key(0), { in: 3, out: 2 });
 * const y: Tensor<[1, 2]> = nn.dense(p, tensor([[1, 2, 3]]));
 * assert.deepEqual(y.shape, [1, 2]);
 * const fixed = { w: tensor([[1, 0], [0, 1], [1, 1]]), b: tensor([0.5, -0.5]) };
 * assert.deepEqual(nn.dense(fixed, tensor([[1, 2, 3]])).toArray(), [[4.5, 4.5]]);
 * ```
 */
export const dense = Object.assign(apply, {
  /** `{ w: [in, out], b: [out] }` from a key (Glorot-uniform weights, zero bias); `{ w }` with `bias: false`. */
  init,
  /** `init` with the input size read from an example input `x`. */
  initFor,
});
