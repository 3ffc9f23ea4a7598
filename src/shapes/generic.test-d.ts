import { expectTypeOf, test } from 'vitest';
import { type LeNetParams, lenet } from '../../test/lenet-sample.ts';
import type { Tensor } from '../../test/shape-mocks.ts';
import { assertEqual } from '../../test/type-equal.ts';
import type { Broadcast } from './broadcast.ts';
import type { Concat } from './concat.ts';
import type { Conv2d } from './conv.ts';
import type { Flatten } from './flatten.ts';
import type { MatMul, MatMulCheck } from './matmul.ts';
import type { Pad } from './pad.ts';
import type { Pool2d } from './pool.ts';
import type { Reduce } from './reduce.ts';
import type { Reshape, ReshapeCheck } from './reshape.ts';
import type { Slice } from './slice.ts';
import type { Transpose } from './transpose.ts';

declare const params: LeNetParams;

test('LeNet-5 types to [B, 10] for any batch dim', () => {
  expectTypeOf(lenet(params, {} as Tensor<[32, 1, 28, 28]>)).toEqualTypeOf<Tensor<[32, 10]>>();
  expectTypeOf(lenet(params, {} as Tensor<['B', 1, 28, 28]>)).toEqualTypeOf<Tensor<['B', 10]>>();
});

// Inside a function generic in B, rules only copy B or compare it with itself, so they
// resolve instead of being deferred.
function insideGeneric<B extends number, T extends string>() {
  assertEqual<MatMul<[B, 400], [400, 120]>, [B, 120]>();
  assertEqual<MatMulCheck<[B, 400], [400, 120]>, unknown>();
  assertEqual<MatMul<[B, 3, 4], [B, 4, 5]>, [B, 3, 5]>();
  assertEqual<Broadcast<[T, B, 3], [3]>, [T, B, 3]>();
  assertEqual<Broadcast<[B, 3], [B, 1]>, [B, 3]>();
  assertEqual<Conv2d<[B, 1, 28, 28], [6, 1, 5, 5], { padding: 2 }>, [B, 6, 28, 28]>();
  assertEqual<Pool2d<[B, 6, 28, 28], { window: 2 }>, [B, 6, 14, 14]>();
  assertEqual<Flatten<[B, 16, 5, 5], 1>, [B, 400]>();
  assertEqual<Reshape<[B, 16, 5, 5], [B, -1]>, [B, 400]>();
  // B cannot be multiplied out: the full counts stay B × 400 and B × 300, written Times<[B], n>
  assertEqual<
    ReshapeCheck<[B, 16, 5, 5], [B, 300]>,
    import('./dim.ts').ShapeError<`reshape: element counts ${import('./reshape.ts').Times<[B], 400>} and ${import('./reshape.ts').Times<[B], 300>} differ (400 and 300 after the common leading dims)`>
  >();
  assertEqual<Reduce<[B, 10], -1, true>, [B, 1]>();
  assertEqual<Transpose<[B, T]>, [T, B]>();
  assertEqual<Concat<[[B, 2], [B, 3]], -1>, [B, 5]>();
  assertEqual<Slice<[B, 10], [null, { start: 1 }]>, [B, 9]>();
  assertEqual<Pad<[B, 10], [[0, 0], [1, 1]]>, [B, 12]>();
}

test('rules resolve inside functions generic in a dim', () => {
  expectTypeOf(insideGeneric).toBeFunction();
});
