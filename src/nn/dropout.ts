import type { DType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { zeros } from '../ops/creation.ts';
import { div, where } from '../ops/elementwise.ts';
import type { Key } from '../random/index.ts';
import { bernoulli } from '../random/index.ts';
import type { Shape } from '../shapes/dim.ts';

/**
 * The options of `nn.dropout`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, tensor } from 'typegrad';
 * const evaluation: nn.DropoutOptions = { training: false };
 * assert.deepEqual(nn.dropout(random.key(0), 0.9, tensor([1, 2]), evaluation).toArray(), [1, 2]);
 * ```
 */
export interface DropoutOptions {
  /** Dropout acts only while training; otherwise it is the identity. */
  readonly training: boolean;
}

/**
 * Inverted dropout (Srivastava et al. 2014, scaled at training time as PyTorch and JAX do):
 * while training, each element is kept with probability 1 - rate and scaled by 1 / (1 - rate),
 * else zeroed, so the expected value is unchanged; when not training it returns `x` itself.
 * The mask comes from `key` (split or fold in the step number for a fresh mask per step).
 *
 * @param key the mask's key.
 * @param rate the probability of zeroing an element, in [0, 1].
 * @param x the input (any shape); the result has its shape.
 * @param opts `training`: drop only while training.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, ones, random } from 'typegrad';
 * const x = ones([1000]);
 * const y = nn.dropout(random.key(0), 0.5, x, { training: true });
 * const kept = [...y.dataSync()].filter((v) => v !== 0);
 * assert.ok(kept.every((v) => v === 2)); // scaled by 1 / (1 - rate)
 * assert.ok(kept.length > 400 && kept.length < 600);
 * assert.equal(nn.dropout(random.key(0), 0.5, x, { training: false }), x);
 * ```
 */
export function dropout<S extends Shape, D extends DType>(
  key: Key,
  rate: number,
  x: Tensor<S, D>,
  opts: DropoutOptions,
): Tensor<S, D> {
  checkOptions('nn.dropout', opts, optionKeys<DropoutOptions>({ training: true }));
  if (!(rate >= 0 && rate <= 1)) throw new Error(`nn.dropout: rate must be in [0, 1], got ${rate}`);
  if (!opts.training || rate === 0) return x;
  const t = x as Tensor;
  const shape = t.shape as readonly number[];
  if (rate === 1) return zeros(shape, { dtype: t.dtype }) as never;
  const keep = bernoulli(key, 1 - rate, shape);
  return where(keep, div(t, 1 - rate), 0) as never;
}
