import { describe, expectTypeOf, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import type { Batch } from './batches.ts';
import type { ImageSplit } from './dataset.ts';
import { batches } from './tree-batches.ts';

declare const train: { x: Tensor<[60000, 784], 'f32'>; y: Tensor<[60000], 'i32'>; ids: Int32Array };

describe('batches types', () => {
  it('types the batch dim as the literal with dropLast, number otherwise', () => {
    for (const b of batches(train, { batchSize: 128, dropLast: true })) {
      expectTypeOf(b.x).toEqualTypeOf<Tensor<[128, 784], 'f32'>>();
      expectTypeOf(b.y).toEqualTypeOf<Tensor<[128], 'i32'>>();
      expectTypeOf(b.ids).toEqualTypeOf<Int32Array>();
    }
    for (const b of batches(train, { batchSize: 128 })) {
      expectTypeOf(b.x).toEqualTypeOf<Tensor<[number, 784], 'f32'>>();
    }
  });

  it('types an ImageSplit (alone or as a leaf) as a Batch', () => {
    const split = {} as ImageSplit;
    for (const b of batches(split, { batchSize: 8 })) expectTypeOf(b).toEqualTypeOf<Batch>();
    for (const b of batches({ split, w: new Float32Array(0) }, { batchSize: 8 })) {
      expectTypeOf(b.split).toEqualTypeOf<Batch>();
      expectTypeOf(b.w).toEqualTypeOf<Float32Array<ArrayBuffer>>();
    }
  });
});
