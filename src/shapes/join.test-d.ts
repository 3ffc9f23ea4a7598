import { expectTypeOf, test } from 'vitest';
import type { Concat, ConcatCheck, Stack, StackCheck } from './concat.ts';
import type { ShapeError } from './dim.ts';
import type { OneHot, OneHotCheck } from './onehot.ts';
import type { Take, TakeAlongAxis, TakeAlongAxisCheck, TakeCheck } from './take.ts';

test('concat', () => {
  expectTypeOf<Concat<[[2, 3], [4, 3]]>>().toEqualTypeOf<[6, 3]>();
  expectTypeOf<Concat<[[2, 3], [2, 5], [2, 1]], -1>>().toEqualTypeOf<[2, 9]>();
  expectTypeOf<Concat<[['B', 3], [number, 4]], 1>>().toEqualTypeOf<['B', 7]>();
  expectTypeOf<Concat<[['T', 3], ['T', 3]]>>().toEqualTypeOf<[number, 3]>();
  expectTypeOf<ConcatCheck<'concat', [[2, 3], [3, 5]], 1>>().toEqualTypeOf<
    ShapeError<'concat: dims 2 and 3 at axis 0 differ'>
  >();
  expectTypeOf<ConcatCheck<'concat', [[2, 3], [2, 3, 1]]>>().toEqualTypeOf<
    ShapeError<'concat: ranks 2 and 3 differ'>
  >();
  expectTypeOf<ConcatCheck<'concat', []>>().toEqualTypeOf<ShapeError<'concat: no tensors to join'>>();
});

test('stack', () => {
  expectTypeOf<Stack<[[2, 3], [2, 3]]>>().toEqualTypeOf<[2, 2, 3]>();
  expectTypeOf<Stack<[[2, 3], [2, 3], [2, 3]], -1>>().toEqualTypeOf<[2, 3, 3]>();
  expectTypeOf<StackCheck<[[2, 3], [2, 4]]>>().toEqualTypeOf<
    ShapeError<'stack: shapes [2, 3] and [2, 4] differ'>
  >();
  expectTypeOf<StackCheck<[[2, 3], [2, 3]], 3>>().toEqualTypeOf<
    ShapeError<'stack: axis 3 is out of range for rank 3'>
  >();
});

test('take, takeAlongAxis and oneHot', () => {
  expectTypeOf<Take<[10, 3], [4], 0>>().toEqualTypeOf<[4, 3]>();
  expectTypeOf<Take<[10, 3], [2, 2], 1>>().toEqualTypeOf<[10, 2, 2]>();
  expectTypeOf<Take<[10, 3], [5]>>().toEqualTypeOf<[5]>();
  expectTypeOf<TakeCheck<[10, 3], [5], 2>>().toEqualTypeOf<
    ShapeError<'take: axis 2 is out of range for rank 2'>
  >();
  expectTypeOf<TakeAlongAxis<[10, 3], [10, 1], 1>>().toEqualTypeOf<[10, 1]>();
  expectTypeOf<TakeAlongAxisCheck<[10, 3], [4, 1], 1>>().toEqualTypeOf<
    ShapeError<'takeAlongAxis: dims 10 and 4 do not broadcast'>
  >();
  expectTypeOf<TakeAlongAxisCheck<[10, 3], [4], 1>>().toEqualTypeOf<
    ShapeError<'takeAlongAxis: ranks 2 and 1 differ'>
  >();
  expectTypeOf<OneHot<['B'], 10>>().toEqualTypeOf<['B', 10]>();
  expectTypeOf<OneHotCheck<[5], -1>>().toEqualTypeOf<ShapeError<'oneHot: depth -1 is negative'>>();
});
