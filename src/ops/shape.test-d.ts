/** Positive type tests: result shapes of the shape ops. */
import { describe, expectTypeOf, test } from 'vitest';
import {
  broadcastTo,
  concat,
  expandDims,
  flatten,
  oneHot,
  pad,
  reshape,
  slice,
  squeeze,
  stack,
  type Tensor,
  take,
  takeAlongAxis,
  transpose,
} from '../index.ts';

declare const mnist: Tensor<[60000, 28, 28], 'f32'>;
declare const xB: Tensor<['B', 1, 28, 28], 'f32'>;
declare const x234: Tensor<[2, 3, 4], 'f32'>;
declare const x1: Tensor<[1, 5, 1], 'i32'>;
declare const v3: Tensor<[3], 'f32'>;
declare const idx: Tensor<[7], 'i32'>;
declare const labels: Tensor<['B'], 'i32'>;
declare const idx2: Tensor<[2, 1, 4], 'i32'>;

describe('shape ops', () => {
  test('reshape with -1 and literal products', () => {
    expectTypeOf(reshape(mnist, [-1, 784])).toEqualTypeOf<Tensor<[60000, 784], 'f32'>>();
    expectTypeOf(reshape(mnist, [60000, 784])).toEqualTypeOf<Tensor<[60000, 784], 'f32'>>();
    expectTypeOf(reshape(x234, [4, -1])).toEqualTypeOf<Tensor<[4, 6], 'f32'>>();
    expectTypeOf(reshape(x234, [24])).toEqualTypeOf<Tensor<[24], 'f32'>>();
  });

  test('transpose: default reverses, perm permutes', () => {
    expectTypeOf(transpose(x234)).toEqualTypeOf<Tensor<[4, 3, 2], 'f32'>>();
    expectTypeOf(transpose(x234, { perm: [1, 0, 2] })).toEqualTypeOf<Tensor<[3, 2, 4], 'f32'>>();
    expectTypeOf(transpose(x234, { perm: [-1, 0, 1] })).toEqualTypeOf<Tensor<[4, 2, 3], 'f32'>>();
  });

  test('flatten ranges, keeping a named batch dim', () => {
    expectTypeOf(flatten(x234)).toEqualTypeOf<Tensor<[24], 'f32'>>();
    expectTypeOf(flatten(x234, { startAxis: 1 })).toEqualTypeOf<Tensor<[2, 12], 'f32'>>();
    expectTypeOf(flatten(x234, { startAxis: 0, endAxis: 1 })).toEqualTypeOf<Tensor<[6, 4], 'f32'>>();
    expectTypeOf(flatten(xB, { startAxis: 1 })).toEqualTypeOf<Tensor<['B', 784], 'f32'>>();
  });

  test('expandDims / squeeze / broadcastTo', () => {
    expectTypeOf(expandDims(x234, 0)).toEqualTypeOf<Tensor<[1, 2, 3, 4], 'f32'>>();
    expectTypeOf(expandDims(x234, -1)).toEqualTypeOf<Tensor<[2, 3, 4, 1], 'f32'>>();
    expectTypeOf(squeeze(x1)).toEqualTypeOf<Tensor<[5], 'i32'>>();
    expectTypeOf(squeeze(x1, { axis: 0 })).toEqualTypeOf<Tensor<[5, 1], 'i32'>>();
    expectTypeOf(broadcastTo(v3, [2, 3])).toEqualTypeOf<Tensor<[2, 3], 'f32'>>();
  });

  test('concat sums the axis, stack adds one', () => {
    expectTypeOf(concat([x234, x234], { axis: 1 })).toEqualTypeOf<Tensor<[2, 6, 4], 'f32'>>();
    expectTypeOf(concat([x234, x234])).toEqualTypeOf<Tensor<[4, 3, 4], 'f32'>>();
    expectTypeOf(concat([x234, x234], { axis: -1 })).toEqualTypeOf<Tensor<[2, 3, 8], 'f32'>>();
    expectTypeOf(stack([v3, v3])).toEqualTypeOf<Tensor<[2, 3], 'f32'>>();
    expectTypeOf(stack([v3, v3, v3], { axis: 1 })).toEqualTypeOf<Tensor<[3, 3], 'f32'>>();
  });

  test('pad adds its widths', () => {
    expectTypeOf(
      pad(x234, [
        [1, 0],
        [0, 0],
        [2, 2],
      ]),
    ).toEqualTypeOf<Tensor<[3, 3, 8], 'f32'>>();
  });

  test('take / takeAlongAxis / oneHot', () => {
    expectTypeOf(take(x234, idx)).toEqualTypeOf<Tensor<[7], 'f32'>>();
    expectTypeOf(take(x234, idx, { axis: 1 })).toEqualTypeOf<Tensor<[2, 7, 4], 'f32'>>();
    expectTypeOf(takeAlongAxis(x234, idx2, 1)).toEqualTypeOf<Tensor<[2, 1, 4], 'f32'>>();
    expectTypeOf(oneHot(labels, 10)).toEqualTypeOf<Tensor<['B', 10], 'f32'>>();
    expectTypeOf(oneHot(labels, 10, { dtype: 'i32' })).toEqualTypeOf<Tensor<['B', 10], 'i32'>>();
  });

  test('rejected calls (messages are checked in compile-errors.test.ts)', () => {
    // @ts-expect-error reshape: element counts differ
    reshape(mnist, [60000, 785]);
    // @ts-expect-error take needs i32 indices
    take(x234, v3);
    // @ts-expect-error concat: dims differ
    concat([x234, v3]);
  });
});

test('slice: literal bounds on literal dims give literal dims; integer indices drop their axis', () => {
  const x = null as unknown as Tensor<[10, 6], 'f32'>;
  expectTypeOf(slice(x, [[1, 8, 3]])).toEqualTypeOf<Tensor<[3, 6], 'f32'>>();
  expectTypeOf(slice(x, [null, [-2]])).toEqualTypeOf<Tensor<[10, 2], 'f32'>>();
  expectTypeOf(slice(x, [1])).toEqualTypeOf<Tensor<[6], 'f32'>>();
  expectTypeOf(slice(x, [-1])).toEqualTypeOf<Tensor<[6], 'f32'>>();
  expectTypeOf(slice(x, [null, 2])).toEqualTypeOf<Tensor<[10], 'f32'>>();
  expectTypeOf(slice(x, [[1, undefined]])).toEqualTypeOf<Tensor<[9, 6], 'f32'>>();
  expectTypeOf(slice(x, [[undefined, 3]])).toEqualTypeOf<Tensor<[3, 6], 'f32'>>();
  expectTypeOf(slice(x, [[undefined, undefined, 2]])).toEqualTypeOf<Tensor<[5, 6], 'f32'>>();
  expectTypeOf(slice(x, [undefined, [2, undefined]])).toEqualTypeOf<Tensor<[10, 4], 'f32'>>();
});

// The last time step of a sequence, inside functions generic in its dims.
function sliceGeneric<T extends number, B extends number, N extends string>(
  ys: Tensor<[T, B, 32], 'f32'>,
  zs: Tensor<[N, 4, 32], 'f32'>,
) {
  expectTypeOf(slice(ys, [-1])).toEqualTypeOf<Tensor<[B, 32], 'f32'>>();
  expectTypeOf(slice(zs, [null, 0])).toEqualTypeOf<Tensor<[N, 32], 'f32'>>();
  expectTypeOf(slice(zs, [undefined, [2, undefined]])).toEqualTypeOf<Tensor<[N, 2, 32], 'f32'>>();
}
test('slice in generic functions', () => expectTypeOf(sliceGeneric).toBeFunction());
