/** Positive type tests: matmul, conv, pooling, assertShape, and LeNet-5 with the real ops. */

import { describe, expectTypeOf, test } from 'vitest';
import type { DType } from '../core/dtype.ts';
import {
  add,
  assertShape,
  avgPool2d,
  conv1d,
  conv2d,
  flatten,
  matmul,
  maxPool2d,
  relu,
  reshape,
  type Tensor,
} from '../index.ts';

declare const xB: Tensor<['B', 784], 'f32'>;
declare const w: Tensor<[784, 10], 'f32'>;
declare const v784: Tensor<[784], 'f32'>;
declare const batched: Tensor<[8, 3, 4], 'f32'>;
declare const bcast: Tensor<[2, 1, 3, 4], 'f32'>;
declare const rhs: Tensor<[7, 4, 5], 'f32'>;
declare const dyn: Tensor<[number, 784], 'f32'>;
declare const img: Tensor<['B', 1, 28, 28], 'f32'>;
declare const seq: Tensor<['B', 16, 100], 'f32'>;

describe('matmul', () => {
  test('matrix, vector, batched and broadcast batch dims', () => {
    expectTypeOf(matmul(xB, w)).toEqualTypeOf<Tensor<['B', 10], 'f32'>>();
    expectTypeOf(matmul(v784, w)).toEqualTypeOf<Tensor<[10], 'f32'>>();
    expectTypeOf(matmul(batched, {} as Tensor<[4, 5], 'f32'>)).toEqualTypeOf<Tensor<[8, 3, 5], 'f32'>>();
    expectTypeOf(matmul(bcast, rhs)).toEqualTypeOf<Tensor<[2, 7, 3, 5], 'f32'>>();
    expectTypeOf(matmul(dyn, w)).toEqualTypeOf<Tensor<[number, 10], 'f32'>>();
  });
});

describe('conv and pooling', () => {
  test('conv2d output sizes: valid, padding, stride, same, groups', () => {
    expectTypeOf(conv2d(img, {} as Tensor<[6, 1, 5, 5], 'f32'>)).toEqualTypeOf<
      Tensor<['B', 6, 24, 24], 'f32'>
    >();
    expectTypeOf(conv2d(img, {} as Tensor<[6, 1, 5, 5], 'f32'>, { padding: 2 })).toEqualTypeOf<
      Tensor<['B', 6, 28, 28], 'f32'>
    >();
    expectTypeOf(
      conv2d(img, {} as Tensor<[4, 1, 3, 3], 'f32'>, { stride: 2, padding: 'same' }),
    ).toEqualTypeOf<Tensor<['B', 4, 14, 14], 'f32'>>();
    expectTypeOf(conv2d(img, {} as Tensor<[4, 1, 3, 3], 'f32'>, { dilation: 2 })).toEqualTypeOf<
      Tensor<['B', 4, 24, 24], 'f32'>
    >();
    expectTypeOf(
      conv2d({} as Tensor<[1, 4, 8, 8], 'f32'>, {} as Tensor<[6, 2, 3, 3], 'f32'>, { groups: 2 }),
    ).toEqualTypeOf<Tensor<[1, 6, 6, 6], 'f32'>>();
  });

  test('conv1d', () => {
    expectTypeOf(conv1d(seq, {} as Tensor<[32, 16, 5], 'f32'>, { padding: 'same' })).toEqualTypeOf<
      Tensor<['B', 32, 100], 'f32'>
    >();
    expectTypeOf(conv1d(seq, {} as Tensor<[32, 16, 5], 'f32'>, { stride: 2 })).toEqualTypeOf<
      Tensor<['B', 32, 48], 'f32'>
    >();
  });

  test('pooling', () => {
    expectTypeOf(maxPool2d(img, { window: 2 })).toEqualTypeOf<Tensor<['B', 1, 14, 14], 'f32'>>();
    expectTypeOf(avgPool2d(img, { window: 3, stride: 1, padding: 1 })).toEqualTypeOf<
      Tensor<['B', 1, 28, 28], 'f32'>
    >();
  });
});

describe('assertShape', () => {
  test('narrows an unknown tensor to the asserted shape', () => {
    expectTypeOf(assertShape({} as Tensor, ['B', 784])).toEqualTypeOf<Tensor<['B', 784], DType>>();
    expectTypeOf(assertShape({} as Tensor, [2, 3], { dtype: 'i32' })).toEqualTypeOf<Tensor<[2, 3], 'i32'>>();
  });
});

/** LeNet-5 (LeCun et al. 1998) for 28x28 MNIST, written once, generic in the batch dim, with the real ops. */
interface LeNet {
  readonly c1: Tensor<[6, 1, 5, 5], 'f32'>;
  readonly c1b: Tensor<[6, 1, 1], 'f32'>;
  readonly c3: Tensor<[16, 6, 5, 5], 'f32'>;
  readonly c3b: Tensor<[16, 1, 1], 'f32'>;
  readonly f5: Tensor<[400, 120], 'f32'>;
  readonly f5b: Tensor<[120], 'f32'>;
  readonly f6: Tensor<[120, 84], 'f32'>;
  readonly f6b: Tensor<[84], 'f32'>;
  readonly f7: Tensor<[84, 10], 'f32'>;
  readonly f7b: Tensor<[10], 'f32'>;
}

function lenet<B extends number | string>(p: LeNet, x: Tensor<[B, 1, 28, 28], 'f32'>) {
  const c1 = relu(add(conv2d(x, p.c1, { padding: 2 }), p.c1b)); // [B, 6, 28, 28]
  const s2 = maxPool2d(c1, { window: 2 }); // [B, 6, 14, 14]
  const c3 = relu(add(conv2d(s2, p.c3), p.c3b)); // [B, 16, 10, 10]
  const s4 = maxPool2d(c3, { window: 2 }); // [B, 16, 5, 5]
  const f = flatten(s4, { startAxis: 1 }); // [B, 400]
  const f5 = relu(add(matmul(f, p.f5), p.f5b)); // [B, 120]
  const f6 = relu(add(matmul(f5, p.f6), p.f6b)); // [B, 84]
  return add(matmul(f6, p.f7), p.f7b); // [B, 10]
}

describe('LeNet-5', () => {
  test('types to [B, 10] for a named, a literal and a dynamic batch', () => {
    expectTypeOf(lenet({} as LeNet, img)).toEqualTypeOf<Tensor<['B', 10], 'f32'>>();
    expectTypeOf(lenet({} as LeNet, {} as Tensor<[64, 1, 28, 28], 'f32'>)).toEqualTypeOf<
      Tensor<[64, 10], 'f32'>
    >();
    expectTypeOf(lenet({} as LeNet, {} as Tensor<[number, 1, 28, 28], 'f32'>)).toEqualTypeOf<
      Tensor<[number, 10], 'f32'>
    >();
    // reshape with -1 is the other way to flatten: [64, 16, 5, 5] -> [64, 400]
    expectTypeOf(reshape({} as Tensor<[64, 16, 5, 5], 'f32'>, [64, -1])).toEqualTypeOf<
      Tensor<[64, 400], 'f32'>
    >();
  });
});
