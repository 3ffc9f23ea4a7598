import { describe, expectTypeOf, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { batchTree } from './tree-batches.ts';

declare const train: { x: Tensor<[60000, 784], 'f32'>; y: Tensor<[60000], 'i32'>; ids: Int32Array };

describe('batchTree types', () => {
  it('types the batch dim as the literal with dropLast, number otherwise', () => {
    for (const b of batchTree(train, { batchSize: 128, dropLast: true })) {
      expectTypeOf(b.x).toEqualTypeOf<Tensor<[128, 784], 'f32'>>();
      expectTypeOf(b.y).toEqualTypeOf<Tensor<[128], 'i32'>>();
      expectTypeOf(b.ids).toEqualTypeOf<Int32Array>();
    }
    for (const b of batchTree(train, { batchSize: 128 })) {
      expectTypeOf(b.x).toEqualTypeOf<Tensor<[number, 784], 'f32'>>();
    }
  });
});
