import { test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type { ShapeError } from './dim.ts';
import type { MatMul, MatMulCheck } from './matmul.ts';

test('matrices, vectors and batches', () => {
  assertEqual<MatMul<['B', 784], [784, 10]>, ['B', 10]>();
  assertEqual<MatMul<[3], [3, 4]>, [4]>();
  assertEqual<MatMul<[4, 3], [3]>, [4]>();
  assertEqual<MatMul<[3], [3]>, []>();
  assertEqual<MatMul<[2, 1, 3, 4], [7, 4, 5]>, [2, 7, 3, 5]>();
  assertEqual<MatMul<[8, 3, 4], [4, 5]>, [8, 3, 5]>();
  assertEqual<MatMul<[2, number], [7, 5]>, [2, 5]>();
  assertEqual<MatMulCheck<[2, 3], [3, 4]>, unknown>();
});

test('errors', () => {
  assertEqual<MatMulCheck<[2, 400], [784, 10]>, ShapeError<'matmul: inner dims 400 and 784 differ'>>();
  assertEqual<MatMulCheck<[3], [4]>, ShapeError<'matmul: inner dims 3 and 4 differ'>>();
  assertEqual<MatMulCheck<[2, 3, 4], [5, 4, 6]>, ShapeError<'matmul: batch dims 2 and 5 do not broadcast'>>();
  assertEqual<MatMulCheck<[], [3]>, ShapeError<'matmul: ranks 0 and 1 must be at least 1'>>();
  assertEqual<MatMul<[2, 3], [4, 5]>, number[]>();
});
