import { expectTypeOf, test } from 'vitest';
import type { ShapeError } from './dim.ts';
import type { ExpandDims, ExpandDimsCheck } from './expand.ts';
import type { Flatten, FlattenCheck } from './flatten.ts';
import type { Reduce, ReduceCheck } from './reduce.ts';
import type { Squeeze, SqueezeCheck } from './squeeze.ts';
import type { Transpose, TransposeCheck } from './transpose.ts';

test('transpose', () => {
  expectTypeOf<Transpose<[2, 3, 4]>>().toEqualTypeOf<[4, 3, 2]>();
  expectTypeOf<Transpose<[2, 3, 4], [1, 0, 2]>>().toEqualTypeOf<[3, 2, 4]>();
  expectTypeOf<Transpose<[2, 3, 4], [-1, 0, 1]>>().toEqualTypeOf<[4, 2, 3]>();
  expectTypeOf<TransposeCheck<[2, 3], [0]>>().toEqualTypeOf<
    ShapeError<'transpose: perm length 1 and rank 2 differ'>
  >();
  expectTypeOf<TransposeCheck<[2, 3], [0, -2]>>().toEqualTypeOf<
    ShapeError<'transpose: axes 0 and -2 are the same axis'>
  >();
  expectTypeOf<TransposeCheck<[2, 3], [0, 2]>>().toEqualTypeOf<
    ShapeError<'transpose: axis 2 is out of range for rank 2'>
  >();
});

test('reduce', () => {
  expectTypeOf<Reduce<[2, 3, 4], 1>>().toEqualTypeOf<[2, 4]>();
  expectTypeOf<Reduce<[2, 3, 4], [0, -1]>>().toEqualTypeOf<[3]>();
  expectTypeOf<Reduce<[2, 3, 4], [0, -1], true>>().toEqualTypeOf<[1, 3, 1]>();
  expectTypeOf<Reduce<[2, 3]>>().toEqualTypeOf<[]>();
  expectTypeOf<Reduce<[2, 3], undefined, true>>().toEqualTypeOf<[1, 1]>();
  expectTypeOf<Reduce<[2, 3], number>>().toEqualTypeOf<number[]>();
  expectTypeOf<ReduceCheck<'sum', [2, 3], 2>>().toEqualTypeOf<
    ShapeError<'sum: axis 2 is out of range for rank 2'>
  >();
  expectTypeOf<ReduceCheck<'max', [2, 3], [1, -1]>>().toEqualTypeOf<
    ShapeError<'max: axes 1 and -1 are the same axis'>
  >();
});

test('squeeze and expandDims', () => {
  expectTypeOf<Squeeze<[1, 3, 1]>>().toEqualTypeOf<[3]>();
  expectTypeOf<Squeeze<[1, 3, 1], 0>>().toEqualTypeOf<[3, 1]>();
  expectTypeOf<Squeeze<[1, 3, 1], [0, -1]>>().toEqualTypeOf<[3]>();
  expectTypeOf<Squeeze<[number, 3], 0>>().toEqualTypeOf<[3]>();
  expectTypeOf<Squeeze<[number, 3]>>().toEqualTypeOf<number[]>();
  expectTypeOf<SqueezeCheck<[1, 3, 1], 1>>().toEqualTypeOf<
    ShapeError<'squeeze: axis 1 has size 3 and not 1'>
  >();
  expectTypeOf<ExpandDims<[2, 3], 0>>().toEqualTypeOf<[1, 2, 3]>();
  expectTypeOf<ExpandDims<[2, 3], -1>>().toEqualTypeOf<[2, 3, 1]>();
  expectTypeOf<ExpandDims<[2, 3], 2>>().toEqualTypeOf<[2, 3, 1]>();
  expectTypeOf<ExpandDimsCheck<[2, 3], 3>>().toEqualTypeOf<
    ShapeError<'expandDims: axis 3 is out of range for rank 3'>
  >();
});

test('flatten', () => {
  expectTypeOf<Flatten<[2, 3, 4]>>().toEqualTypeOf<[24]>();
  expectTypeOf<Flatten<[2, 3, 4], 1>>().toEqualTypeOf<[2, 12]>();
  expectTypeOf<Flatten<[2, 3, 4], 0, 1>>().toEqualTypeOf<[6, 4]>();
  expectTypeOf<Flatten<['B', 16, 5, 5], 1>>().toEqualTypeOf<['B', 400]>();
  expectTypeOf<Flatten<[]>>().toEqualTypeOf<[1]>();
  expectTypeOf<FlattenCheck<[2, 3, 4], 2, 1>>().toEqualTypeOf<
    ShapeError<'flatten: start axis 2 and end axis 1 are out of order'>
  >();
  expectTypeOf<FlattenCheck<[2, 3], 5>>().toEqualTypeOf<
    ShapeError<'flatten: axis 5 is out of range for rank 2'>
  >();
});

test('Reduce over all axes is a scalar for any rank, even a dynamic one', () => {
  expectTypeOf<Reduce<number[]>>().toEqualTypeOf<[]>();
  expectTypeOf<Reduce<[2, 3]>>().toEqualTypeOf<[]>();
  expectTypeOf<Reduce<number[], undefined, true>>().toEqualTypeOf<number[]>();
});
