import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import type { Key } from '../random/index.ts';
import type { Batch, KeyPair } from './batches.ts';

/** A batch as tensors: images `[B, C, H, W]` (f32) and labels `[B]` (i32). */
export interface TensorBatch<B extends number | string = number> {
  readonly x: Tensor<[B, number, number, number], 'f32'>;
  readonly y: Tensor<[B], 'i32'>;
}

/** Uploads a batch of typed arrays to the current backend. */
export function toTensors(batch: Batch): TensorBatch {
  return {
    x: tensor(batch.x, batch.xShape),
    y: tensor(batch.y, [batch.y.length], { dtype: 'i32' }),
  };
}

/** The two words of a `random.key` as a plain pair, for host-side shuffling (reads the key). */
export async function keyPairOf(key: Key): Promise<KeyPair> {
  const [k0, k1] = await key.data();
  return [k0!, k1!];
}
