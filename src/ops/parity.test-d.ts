/** Type tests of the parity additions (issue 10): result types, and misuse as compile errors. */
import { describe, expectTypeOf, test } from 'vitest';
import { erf, gelu, max, min, silu, softplus, std, type Tensor, variance } from '../index.ts';

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
