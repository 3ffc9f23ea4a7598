import type { FloatDType } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { take } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import type { Dim, Shape } from '../shapes/dim.ts';
import { stopGradient } from '../transforms/stop-gradient.ts';
import type { Initializer } from './init.ts';
import { normal } from './init.ts';
import { checkSizes, ownedInit } from './init-scope.ts';

/** An embedding table `[vocab, dim]`. */
export interface EmbeddingParams<
  V extends Dim = number,
  E extends Dim = number,
  D extends FloatDType = 'f32',
> {
  /** One vector per token id `[vocab, dim]`. */
  readonly table: Tensor<[V, E], D>;
}

/**
 * The configuration of `nn.embedding.init`: vocabulary size, vector size, dtype, initialiser and
 * an optional padding row (zeroed).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.embedding.init(random.key(0), { vocab: 5, dim: 2, init: nn.init.constant(1) });
 * assert.deepEqual([...p.table.dataSync()].slice(8), [1, 1]);
 * ```
 */
export interface EmbeddingConfig<V extends number, E extends number, D extends FloatDType> {
  /** Number of rows (token ids are in `[0, vocab)`). */
  readonly vocab: V;
  /** Vector size (the output's last dim). */
  readonly dim: E;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
  /** default normal({ std: 1 }), as PyTorch's nn.Embedding */
  readonly init?: Initializer;
  /** a row initialised to zeros (PyTorch's `padding_idx`); pass it to the layer too, to keep its gradient 0 */
  readonly paddingIdx?: number;
}

/**
 * The options of `nn.embedding`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { grad, nn, sum, tensor } from 'typegrad';
 * const p = { table: tensor([[1, 1], [2, 2]]) };
 * const opts: nn.EmbeddingOptions = { paddingIdx: 0 };
 * const g = grad((q: typeof p) => sum(nn.embedding(q, tensor([0, 1], { dtype: 'i32' }), opts)))(p);
 * assert.deepEqual(g.table.toArray(), [[0, 0], [1, 1]]); // no gradient into the padding row
 * ```
 */
export interface EmbeddingOptions {
  /** this row of the table gets zero gradient (PyTorch's `padding_idx`); negative counts from the end */
  readonly paddingIdx?: number;
}

function paddingRow(op: string, idx: number | undefined, vocab: number): number | undefined {
  if (idx === undefined) return undefined;
  if (!(Number.isInteger(idx) && idx >= -vocab && idx < vocab))
    throw new Error(`${op}: paddingIdx must be an integer in [-${vocab}, ${vocab}), got ${idx}`);
  return idx < 0 ? idx + vocab : idx;
}

/** `table` with row `row` replaced by `value` (a row broadcast over the embedding dim). */
function withRow(table: Tensor, row: number, value: (t: Tensor) => Tensor): Tensor {
  const [v, e] = table.shape as readonly number[] as [number, number];
  const ids = fromHost(
    Int32Array.from({ length: v }, (_, i) => i),
    { shape: [v], dtype: 'i32' },
    'nn.embedding',
  );
  const isRow = lax.broadcastInDim(lax.compare(ids, lax.fullLike(ids.aval, row), 'eq'), [v, e], [0]);
  return lax.select(isRow, value(table), table);
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
      paddingIdx: true,
    }),
  );
  checkSizes('nn.embedding.init', config, ['vocab', 'dim']);
  const pad = paddingRow('nn.embedding.init', config.paddingIdx, config.vocab);
  return ownedInit(() => {
    const dtype = config.dtype ?? ('f32' as D);
    const table = (config.init ?? normal({ std: 1 }))(key, [config.vocab, config.dim] as [V, E], {
      dtype,
    }) as Tensor;
    return {
      table: (pad === undefined ? table : withRow(table, pad, (t) => lax.fullLike(t.aval, 0))) as never,
    };
  });
}

function apply<I extends Shape, V extends Dim, E extends Dim, D extends FloatDType>(
  p: EmbeddingParams<V, E, D>,
  ids: Tensor<I, 'i32'>,
  opts: EmbeddingOptions = {},
): Tensor<[...I, E], D> {
  const t = ids as Tensor;
  if (t.dtype !== 'i32') throw new Error(`nn.embedding: ids must be i32, got ${t.describe()}`);
  const table = p.table as Tensor;
  const pad = paddingRow('nn.embedding', opts.paddingIdx, table.shape[0] as number);
  // the padding row is read through stopGradient, so its gradient is exactly 0
  const used = pad === undefined ? table : withRow(table, pad, stopGradient);
  return take(used, t as Tensor<Shape, 'i32'>, { axis: 0 }) as never;
}

/**
 * Embedding lookup: `embedding(p, ids)` takes the rows of `p.table` ([vocab, dim]) at the i32
 * `ids` (any shape I) giving `[...I, dim]`. Its gradient is a scatter-add into the table
 * (duplicate ids accumulate); with `{ paddingIdx }` that row's gradient is 0 (PyTorch's
 * `padding_idx`; `init(key, { vocab, dim, paddingIdx })` also zeroes the row).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, tensor } from 'typegrad';
 * const p = nn.embedding.init(random.key(0), { vocab: 10, dim: 4, paddingIdx: 0 });
 * const ids = tensor([[0, 3], [3, 9]], { dtype: 'i32' });
 * const vectors = nn.embedding(p, ids, { paddingIdx: 0 });
 * assert.deepEqual(vectors.shape, [2, 2, 4]);
 * assert.deepEqual([...vectors.dataSync()].slice(0, 4), [0, 0, 0, 0]); // the padding row is zero
 * ```
 */
export const embedding = Object.assign(apply, {
  /** `{ table: [vocab, dim] }` from a key (the padding row, if any, zeroed). */
  init,
});
