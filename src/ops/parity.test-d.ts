/** Type tests of the parity additions (issue 10): result types, and misuse as compile errors. */
import { describe, expectTypeOf, test } from 'vitest';
import {
  conv3d,
  erf,
  flip,
  gelu,
  max,
  min,
  pad,
  silu,
  softplus,
  split,
  std,
  type Tensor,
  variance,
} from '../index.ts';

declare const x: Tensor<[2, 3, 4], 'f32'>;
declare const i: Tensor<[5], 'i32'>;

describe('reductions', () => {
  test('std and variance with correction keep the reduce shape rules', () => {
    expectTypeOf(std(x, { axis: 1 })).toEqualTypeOf<Tensor<[2, 4], 'f32'>>();
    expectTypeOf(variance(x, { axis: -1, correction: 1, keepdims: true })).toEqualTypeOf<
      Tensor<[2, 3, 1], 'f32'>
    >();
    expectTypeOf(std(i)).toEqualTypeOf<Tensor<[], 'f32'>>();
    // @ts-expect-error std: axis 3 is out of range for rank 3
    std(x, { axis: 3 });
    // @ts-expect-error correction is a number
    variance(x, { correction: 'bessel' });
  });

  test('max / min with indices: true give { values, indices }', () => {
    const m = max(x, { axis: 1, indices: true });
    expectTypeOf(m.values).toEqualTypeOf<Tensor<[2, 4], 'f32'>>();
    expectTypeOf(m.indices).toEqualTypeOf<Tensor<[2, 4], 'i32'>>();
    const k = min(x, { axis: -1, keepdims: true, indices: true });
    expectTypeOf(k.indices).toEqualTypeOf<Tensor<[2, 3, 1], 'i32'>>();
    expectTypeOf(max(x, { axis: 0 })).toEqualTypeOf<Tensor<[3, 4], 'f32'>>();
    // @ts-expect-error max: axis 5 is out of range for rank 3
    max(x, { axis: 5, indices: true });
    // @ts-expect-error indices: true needs an axis
    min(x, { indices: true });
  });
});

describe('activations', () => {
  test('keep the shape; integers become f32', () => {
    expectTypeOf(silu(x)).toEqualTypeOf<Tensor<[2, 3, 4], 'f32'>>();
    expectTypeOf(gelu(i, { approximate: 'tanh' })).toEqualTypeOf<Tensor<[5], 'f32'>>();
    expectTypeOf(softplus(x, { beta: 2, threshold: 10 })).toEqualTypeOf<Tensor<[2, 3, 4], 'f32'>>();
    expectTypeOf(erf(i)).toEqualTypeOf<Tensor<[5], 'f32'>>();
    // @ts-expect-error approximate is 'none' | 'tanh'
    gelu(x, { approximate: 'erf' });
    // @ts-expect-error beta is a number
    softplus(x, { beta: '2' });
  });
});

describe('shape ops', () => {
  test('flip keeps the shape, split gives pieces, pad crops with negative widths', () => {
    expectTypeOf(flip(x, [0, 2])).toEqualTypeOf<Tensor<[2, 3, 4], 'f32'>>();
    expectTypeOf(split(x, 2, { axis: 2 })).toEqualTypeOf<
      [Tensor<[2, 3, 2], 'f32'>, Tensor<[2, 3, 2], 'f32'>]
    >();
    expectTypeOf(split(x, [1, 3], { axis: -1 })).toEqualTypeOf<
      [Tensor<[2, 3, 1], 'f32'>, Tensor<[2, 3, 3], 'f32'>]
    >();
    expectTypeOf(split(x, 2 as number)).toEqualTypeOf<Tensor<number[], 'f32'>[]>();
    expectTypeOf(
      pad(x, [
        [0, 0],
        [-1, 2],
        [1, -3],
      ]),
    ).toEqualTypeOf<Tensor<[2, 4, 2], 'f32'>>();
    // @ts-expect-error pad: axis 2 of size 4 and widths -3, -2 give size -1
    pad(x, [
      [0, 0],
      [0, 0],
      [-3, -2],
    ]);
    // @ts-expect-error split takes a count or sizes
    split(x, 'half');
  });
});

declare const video: Tensor<['B', 3, 8, 32, 32], 'f32'>;
declare const k3: Tensor<[16, 3, 3, 3, 3], 'f32'>;
declare const k3wrong: Tensor<[16, 4, 3, 3, 3], 'f32'>;

describe('conv3d', () => {
  test('output sizes from src/shapes, like conv2d', () => {
    expectTypeOf(conv3d(video, k3)).toEqualTypeOf<Tensor<['B', 16, 6, 30, 30], 'f32'>>();
    expectTypeOf(conv3d(video, k3, { stride: 2, padding: 1 })).toEqualTypeOf<
      Tensor<['B', 16, 4, 16, 16], 'f32'>
    >();
    // @ts-expect-error conv3d: input channels 3 and weight in-channels 4 differ
    conv3d(video, k3wrong);
  });
});
