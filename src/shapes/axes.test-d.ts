import { test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type { ShapeError } from './dim.ts';
import type { ExpandDims, ExpandDimsCheck } from './expand.ts';
import type { Flatten, FlattenCheck } from './flatten.ts';
import type { Reduce, ReduceCheck } from './reduce.ts';
import type { Squeeze, SqueezeCheck } from './squeeze.ts';
import type { Transpose, TransposeCheck } from './transpose.ts';

test('transpose', () => {
  assertEqual<Transpose<[2, 3, 4]>, [4, 3, 2]>();
  assertEqual<Transpose<[2, 3, 4], [1, 0, 2]>, [3, 2, 4]>();
  assertEqual<Transpose<[2, 3, 4], [-1, 0, 1]>, [4, 2, 3]>();
  assertEqual<TransposeCheck<[2, 3], [0]>, ShapeError<'transpose: perm length 1 and rank 2 differ'>>();
  assertEqual<TransposeCheck<[2, 3], [0, -2]>, ShapeError<'transpose: axes 0 and -2 are the same axis'>>();
  assertEqual<TransposeCheck<[2, 3], [0, 2]>, ShapeError<'transpose: axis 2 is out of range for rank 2'>>();
});

test('reduce', () => {
  assertEqual<Reduce<[2, 3, 4], 1>, [2, 4]>();
  assertEqual<Reduce<[2, 3, 4], [0, -1]>, [3]>();
  assertEqual<Reduce<[2, 3, 4], [0, -1], true>, [1, 3, 1]>();
  assertEqual<Reduce<[2, 3]>, []>();
  assertEqual<Reduce<[2, 3], undefined, true>, [1, 1]>();
  assertEqual<Reduce<[2, 3], number>, number[]>();
  assertEqual<ReduceCheck<'sum', [2, 3], 2>, ShapeError<'sum: axis 2 is out of range for rank 2'>>();
  assertEqual<ReduceCheck<'max', [2, 3], [1, -1]>, ShapeError<'max: axes 1 and -1 are the same axis'>>();
});

test('squeeze and expandDims', () => {
  assertEqual<Squeeze<[1, 3, 1]>, [3]>();
  assertEqual<Squeeze<[1, 3, 1], 0>, [3, 1]>();
  assertEqual<Squeeze<[1, 3, 1], [0, -1]>, [3]>();
  assertEqual<Squeeze<[number, 3], 0>, [3]>();
  assertEqual<Squeeze<[number, 3]>, number[]>();
  assertEqual<SqueezeCheck<[1, 3, 1], 1>, ShapeError<'squeeze: axis 1 has size 3 and not 1'>>();
  assertEqual<ExpandDims<[2, 3], 0>, [1, 2, 3]>();
  assertEqual<ExpandDims<[2, 3], -1>, [2, 3, 1]>();
  assertEqual<ExpandDims<[2, 3], 2>, [2, 3, 1]>();
  assertEqual<ExpandDimsCheck<[2, 3], 3>, ShapeError<'expandDims: axis 3 is out of range for rank 3'>>();
});

test('flatten', () => {
  assertEqual<Flatten<[2, 3, 4]>, [24]>();
  assertEqual<Flatten<[2, 3, 4], 1>, [2, 12]>();
  assertEqual<Flatten<[2, 3, 4], 0, 1>, [6, 4]>();
  assertEqual<Flatten<['B', 16, 5, 5], 1>, ['B', 400]>();
  assertEqual<Flatten<[]>, [1]>();
  assertEqual<
    FlattenCheck<[2, 3, 4], 2, 1>,
    ShapeError<'flatten: start axis 2 and end axis 1 are out of order'>
  >();
  assertEqual<FlattenCheck<[2, 3], 5>, ShapeError<'flatten: axis 5 is out of range for rank 2'>>();
});

test('Reduce over all axes is a scalar for any rank, even a dynamic one', () => {
  assertEqual<Reduce<number[]>, []>();
  assertEqual<Reduce<[2, 3]>, []>();
  assertEqual<Reduce<number[], undefined, true>, number[]>();
});
