import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import type { Key } from '../random/index.ts';
import type { Batch, KeyPair } from './batches.ts';

/**
 * A batch as tensors: images `[B, C, H, W]` (f32) and labels `[B]` (i32).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const split: data.ImageSplit = { images: new Float32Array(4), shape: [1, 1, 2, 2], labels: new Int32Array([1]), n: 1 };
 * const batch: data.TensorBatch = data.toTensors([...data.batches(split, { batchSize: 1 })][0]!);
 * assert.equal(batch.y.dtype, 'i32');
 * ```
 */
export interface TensorBatch<B extends number | string = number> {
  /** Images `[B, C, H, W]`. */
  readonly x: Tensor<[B, number, number, number], 'f32'>;
  /** Class ids `[B]`. */
  readonly y: Tensor<[B], 'i32'>;
}

/**
 * Uploads a batch of typed arrays to the current backend.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const split: data.ImageSplit = { images: new Float32Array(8), shape: [2, 1, 2, 2], labels: new Int32Array([4, 2]), n: 2 };
 * for (const b of data.batches(split, { batchSize: 2 })) {
 *   const { x, y } = data.toTensors(b);
 *   assert.deepEqual([x.shape, y.toArray()], [[2, 1, 2, 2], [4, 2]]);
 * }
 * ```
 */
export function toTensors(batch: Batch): TensorBatch {
  return {
    x: tensor(batch.x, batch.xShape),
    y: tensor(batch.y, [batch.y.length], { dtype: 'i32' }),
  };
}

/**
 * The two words of a `random.key` as a plain pair, for host-side shuffling (reads the key).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, random } from 'typegrad';
 * const pair = await data.keyPairOf(random.key(42));
 * assert.deepEqual(pair, [0, 42]);
 * assert.equal(data.shufflePermutation(4, pair).length, 4);
 * ```
 */
export async function keyPairOf(key: Key): Promise<KeyPair> {
  const [k0, k1] = await key.data();
  return [k0!, k1!];
}
