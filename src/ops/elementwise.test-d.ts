/** Positive type tests: result shapes and dtypes of creation, elementwise, activation and reduction ops. */
import { describe, expectTypeOf, test } from 'vitest';
import {
  add,
  arange,
  argmax,
  argmin,
  cast,
  clip,
  div,
  equal,
  exp,
  eye,
  full,
  gelu,
  less,
  linspace,
  logSoftmax,
  logsumexp,
  max,
  maximum,
  mean,
  min,
  mul,
  neg,
  ones,
  relu,
  sigmoid,
  softmax,
  sqrt,
  sub,
  sum,
  type Tensor,
  tensor,
  variance,
  where,
  zeros,
} from '../index.ts';

declare const xB: Tensor<['B', 784], 'f32'>;
declare const b784: Tensor<[784], 'f32'>;
declare const i3: Tensor<[3], 'i32'>;
declare const f3: Tensor<[3], 'f32'>;
declare const d3: Tensor<[3], 'f64'>;
declare const bool3: Tensor<[3], 'bool'>;
declare const col: Tensor<[4, 1], 'f32'>;
declare const x234: Tensor<[2, 3, 4], 'f32'>;
declare const dyn: Tensor<number[], 'f32'>;

describe('creation', () => {
  test('tensor infers literal shapes and dtypes from nested literals', () => {
    expectTypeOf(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqualTypeOf<Tensor<[2, 3], 'f32'>>();
    expectTypeOf(tensor([true, false])).toEqualTypeOf<Tensor<[2], 'bool'>>();
    expectTypeOf(tensor(1)).toEqualTypeOf<Tensor<[], 'f32'>>();
    expectTypeOf(tensor([1, 2], { dtype: 'i32' })).toEqualTypeOf<Tensor<[2], 'i32'>>();
  });

  test('typed arrays: dtype from the array type, shape from the argument', () => {
    expectTypeOf(tensor(new Float32Array(6), [2, 3])).toEqualTypeOf<Tensor<[2, 3], 'f32'>>();
    expectTypeOf(tensor(new Int32Array(6), [6])).toEqualTypeOf<Tensor<[6], 'i32'>>();
    expectTypeOf(tensor(new Float64Array(2), [1, 2])).toEqualTypeOf<Tensor<[1, 2], 'f64'>>();
    expectTypeOf(tensor(new Int32Array(3))).toEqualTypeOf<Tensor<[number], 'i32'>>();
  });

  test('zeros / ones / full / eye / linspace / arange', () => {
    expectTypeOf(zeros([2, 3])).toEqualTypeOf<Tensor<[2, 3], 'f32'>>();
    expectTypeOf(ones([4], { dtype: 'i32' })).toEqualTypeOf<Tensor<[4], 'i32'>>();
    expectTypeOf(full([2, 2], 7, { dtype: 'f64' })).toEqualTypeOf<Tensor<[2, 2], 'f64'>>();
    expectTypeOf(eye(3)).toEqualTypeOf<Tensor<[3, 3], 'f32'>>();
    expectTypeOf(eye(2, { columns: 5 })).toEqualTypeOf<Tensor<[2, 5], 'f32'>>();
    expectTypeOf(linspace(0, 1, 5)).toEqualTypeOf<Tensor<[5], 'f32'>>();
    expectTypeOf(arange(0, 10, { step: 1, dtype: 'f32' })).toEqualTypeOf<Tensor<[number], 'f32'>>();
  });
});

describe('elementwise', () => {
  test('broadcast shapes', () => {
    expectTypeOf(add(xB, b784)).toEqualTypeOf<Tensor<['B', 784], 'f32'>>();
    expectTypeOf(mul(col, f3)).toEqualTypeOf<Tensor<[4, 3], 'f32'>>();
    expectTypeOf(sub(x234, tensor([1, 2, 3, 4]))).toEqualTypeOf<Tensor<[2, 3, 4], 'f32'>>();
    expectTypeOf(add(dyn, f3)).toEqualTypeOf<Tensor<number[], 'f32'>>();
  });

  test('weak scalars take the tensor dtype; two numbers give an f32 scalar', () => {
    expectTypeOf(add(i3, 1)).toEqualTypeOf<Tensor<[3], 'i32'>>();
    expectTypeOf(mul(2, f3)).toEqualTypeOf<Tensor<[3], 'f32'>>();
    expectTypeOf(add(1, 2)).toEqualTypeOf<Tensor<[], 'f32'>>();
  });

  test('dtype promotion', () => {
    expectTypeOf(add(i3, f3)).toEqualTypeOf<Tensor<[3], 'f32'>>();
    expectTypeOf(add(f3, d3)).toEqualTypeOf<Tensor<[3], 'f64'>>();
    expectTypeOf(maximum(i3, i3)).toEqualTypeOf<Tensor<[3], 'i32'>>();
  });

  test('comparisons give bool, where promotes its branches', () => {
    expectTypeOf(equal(f3, 1)).toEqualTypeOf<Tensor<[3], 'bool'>>();
    expectTypeOf(less(col, f3)).toEqualTypeOf<Tensor<[4, 3], 'bool'>>();
    expectTypeOf(where(bool3, f3, 0)).toEqualTypeOf<Tensor<[3], 'f32'>>();
    expectTypeOf(where(bool3, i3, f3)).toEqualTypeOf<Tensor<[3], 'f32'>>();
  });

  test('unary ops: float ops lift ints to f32, numeric ops keep the dtype', () => {
    expectTypeOf(exp(i3)).toEqualTypeOf<Tensor<[3], 'f32'>>();
    expectTypeOf(sqrt(d3)).toEqualTypeOf<Tensor<[3], 'f64'>>();
    expectTypeOf(neg(i3)).toEqualTypeOf<Tensor<[3], 'i32'>>();
    expectTypeOf(cast(f3, 'i32')).toEqualTypeOf<Tensor<[3], 'i32'>>();
    expectTypeOf(clip(i3, 0, 1)).toEqualTypeOf<Tensor<[3], 'i32'>>();
    expectTypeOf(div(i3, 2)).toEqualTypeOf<Tensor<[3], 'i32'>>();
  });
});

describe('activations', () => {
  test('keep shapes, give float dtypes', () => {
    expectTypeOf(relu(xB)).toEqualTypeOf<Tensor<['B', 784], 'f32'>>();
    expectTypeOf(sigmoid(i3)).toEqualTypeOf<Tensor<[3], 'f32'>>();
    expectTypeOf(gelu(d3)).toEqualTypeOf<Tensor<[3], 'f64'>>();
    expectTypeOf(softmax(xB)).toEqualTypeOf<Tensor<['B', 784], 'f32'>>();
    expectTypeOf(logSoftmax(x234, { axis: 1 })).toEqualTypeOf<Tensor<[2, 3, 4], 'f32'>>();
  });
});

describe('reductions', () => {
  test('sum over one, several, negative axes, keepdims', () => {
    expectTypeOf(sum(x234)).toEqualTypeOf<Tensor<[], 'f32'>>();
    expectTypeOf(sum(x234, { axis: 1 })).toEqualTypeOf<Tensor<[2, 4], 'f32'>>();
    expectTypeOf(sum(x234, { axis: -1 })).toEqualTypeOf<Tensor<[2, 3], 'f32'>>();
    expectTypeOf(sum(x234, { axis: [0, 2] })).toEqualTypeOf<Tensor<[3], 'f32'>>();
    expectTypeOf(sum(x234, { axis: 1, keepdims: true })).toEqualTypeOf<Tensor<[2, 1, 4], 'f32'>>();
    expectTypeOf(sum(xB, { axis: 0 })).toEqualTypeOf<Tensor<[784], 'f32'>>();
    expectTypeOf(sum(bool3)).toEqualTypeOf<Tensor<[], 'i32'>>();
  });

  test('mean / variance / logsumexp give floats; max / min keep the dtype', () => {
    expectTypeOf(mean(i3)).toEqualTypeOf<Tensor<[], 'f32'>>();
    expectTypeOf(mean(xB, { axis: -1 })).toEqualTypeOf<Tensor<['B'], 'f32'>>();
    expectTypeOf(variance(x234, { axis: [1, 2], keepdims: true })).toEqualTypeOf<Tensor<[2, 1, 1], 'f32'>>();
    expectTypeOf(logsumexp(xB, { axis: 1 })).toEqualTypeOf<Tensor<['B'], 'f32'>>();
    expectTypeOf(max(i3)).toEqualTypeOf<Tensor<[], 'i32'>>();
    expectTypeOf(min(x234, { axis: 0 })).toEqualTypeOf<Tensor<[3, 4], 'f32'>>();
  });

  test('argmax / argmin give i32 indices', () => {
    expectTypeOf(argmax(xB, { axis: 1 })).toEqualTypeOf<Tensor<['B'], 'i32'>>();
    expectTypeOf(argmin(x234)).toEqualTypeOf<Tensor<[], 'i32'>>();
    expectTypeOf(argmax(x234, { axis: -1, keepdims: true })).toEqualTypeOf<Tensor<[2, 3, 1], 'i32'>>();
  });
});

describe('rejected calls (messages are checked in compile-errors.test.ts)', () => {
  test('shape and axis mismatches do not compile', () => {
    // @ts-expect-error add: dims 784 and 3 do not broadcast
    add(xB, f3);
    // @ts-expect-error sum: axis 3 is out of range for rank 3
    sum(x234, { axis: 3 });
    // @ts-expect-error where needs a bool condition
    where(f3, f3, 0);
  });
});
