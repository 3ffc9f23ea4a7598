import type { FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { take } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import type { Dim, Shape } from '../shapes/dim.ts';
import type { Initializer } from './init.ts';
import { normal } from './init.ts';

/** An embedding table `[vocab, dim]`. */
export interface EmbeddingParams<
  V extends Dim = number,
  E extends Dim = number,
  D extends FloatDType = 'f32',
> {
  readonly table: Tensor<[V, E], D>;
}

export interface EmbeddingConfig<V extends number, E extends number, D extends FloatDType> {
  readonly vocab: V;
  readonly dim: E;
  readonly dtype?: D;
  /** default normal({ std: 1 }), as PyTorch's nn.Embedding */
  readonly init?: Initializer;
}

function init<const V extends number, const E extends number, D extends FloatDType = 'f32'>(
  key: Key,
  config: EmbeddingConfig<V, E, D>,
): EmbeddingParams<V, E, D> {
  checkOptions(
    'nn.embedding.init',
    config,
    optionKeys<EmbeddingConfig<number, number, FloatDType>>({
      vocab: true,
      dim: true,
      dtype: true,
      init: true,
    }),
  );
  const dtype = config.dtype ?? ('f32' as D);
  return { table: (config.init ?? normal({ std: 1 }))(key, [config.vocab, config.dim] as [V, E], { dtype }) };
}

function apply<I extends Shape, V extends Dim, E extends Dim, D extends FloatDType>(
  p: EmbeddingParams<V, E, D>,
  ids: Tensor<I, 'i32'>,
): Tensor<[...I, E], D> {
  const t = ids as Tensor;
  if (t.dtype !== 'i32') throw new Error(`nn.embedding: ids must be i32, got ${t.describe()}`);
  return take(p.table as Tensor, t as Tensor<Shape, 'i32'>, { axis: 0 }) as never;
}

/**
 * Embedding lookup: `embedding(p, ids)` takes the rows of `p.table` ([vocab, dim]) at the i32
 * `ids` (any shape I) giving `[...I, dim]`. Its gradient is a scatter-add into the table.
 */
export const embedding = Object.assign(apply, { init });
