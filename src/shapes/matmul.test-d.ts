import { expectTypeOf, test } from 'vitest';
import type { ShapeError } from './dim.ts';
import type { MatMul, MatMulCheck } from './matmul.ts';

test('matrices, vectors and batches', () => {
  expectTypeOf<MatMul<['B', 784], [784, 10]>>().toEqualTypeOf<['B', 10]>();
  expectTypeOf<MatMul<[3], [3, 4]>>().toEqualTypeOf<[4]>();
  expectTypeOf<MatMul<[4, 3], [3]>>().toEqualTypeOf<[4]>();
  expectTypeOf<MatMul<[3], [3]>>().toEqualTypeOf<[]>();
  expectTypeOf<MatMul<[2, 1, 3, 4], [7, 4, 5]>>().toEqualTypeOf<[2, 7, 3, 5]>();
  expectTypeOf<MatMul<[8, 3, 4], [4, 5]>>().toEqualTypeOf<[8, 3, 5]>();
  expectTypeOf<MatMul<[2, number], [7, 5]>>().toEqualTypeOf<[2, 5]>();
  expectTypeOf<MatMulCheck<[2, 3], [3, 4]>>().toEqualTypeOf<unknown>();
});

test('errors', () => {
  expectTypeOf<MatMulCheck<[2, 400], [784, 10]>>().toEqualTypeOf<
    ShapeError<'matmul: inner dims 400 and 784 differ'>
  >();
  expectTypeOf<MatMulCheck<[3], [4]>>().toEqualTypeOf<ShapeError<'matmul: inner dims 3 and 4 differ'>>();
  expectTypeOf<MatMulCheck<[2, 3, 4], [5, 4, 6]>>().toEqualTypeOf<
    ShapeError<'matmul: batch dims 2 and 5 do not broadcast'>
  >();
  expectTypeOf<MatMulCheck<[], [3]>>().toEqualTypeOf<
    ShapeError<'matmul: ranks 0 and 1 must be at least 1'>
  >();
  expectTypeOf<MatMul<[2, 3], [4, 5]>>().toEqualTypeOf<number[]>();
});
