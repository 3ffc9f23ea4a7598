import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { add } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import type { MatMul } from '../shapes/matmul.ts';
import type { LastDimCheck } from './checks.ts';
import { lastDimCheck } from './checks.ts';
import type { Initializer } from './init.ts';
import { glorotUniform, zeros } from './init.ts';
import { checkSizes, ownedInit } from './init-scope.ts';

/** Parameters of a dense layer: `y = x @ w + b`, weights `[in, out]`. */
export interface DenseParams<
  In extends Dim = number,
  Out extends Dim = number,
  D extends FloatDType = 'f32',
> {
  readonly w: Tensor<[In, Out], D>;
  readonly b: Tensor<[Out], D>;
}

/** A dense layer without bias (`dense.init(key, { in, out, bias: false })`): `y = x @ w`. */
export interface DenseNoBiasParams<
  In extends Dim = number,
  Out extends Dim = number,
  D extends FloatDType = 'f32',
> {
  readonly w: Tensor<[In, Out], D>;
}

export interface DenseConfig<In extends number, Out extends number, D extends FloatDType> {
  /** false: no bias, as PyTorch's `nn.Linear(bias=False)` (default true) */
  readonly bias?: boolean;
  readonly in: In;
  readonly out: Out;
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
 * @example nn.dense(nn.dense.init(key, { in: 784, out: 10, bias: false }), x)
 */
export const dense = Object.assign(apply, { init });
