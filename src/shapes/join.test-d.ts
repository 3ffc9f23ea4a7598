import { test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type { Concat, ConcatCheck, Stack, StackCheck } from './concat.ts';
import type { ShapeError } from './dim.ts';
import type { OneHot, OneHotCheck } from './onehot.ts';
import type { Take, TakeAlongAxis, TakeAlongAxisCheck, TakeCheck } from './take.ts';

test('concat', () => {
  assertEqual<Concat<[[2, 3], [4, 3]]>, [6, 3]>();
  assertEqual<Concat<[[2, 3], [2, 5], [2, 1]], -1>, [2, 9]>();
  assertEqual<Concat<[['B', 3], [number, 4]], 1>, ['B', 7]>();
  assertEqual<Concat<[['T', 3], ['T', 3]]>, [number, 3]>();
  assertEqual<
    ConcatCheck<'concat', [[2, 3], [3, 5]], 1>,
    ShapeError<'concat: dims 2 and 3 at axis 0 differ'>
  >();
  assertEqual<ConcatCheck<'concat', [[2, 3], [2, 3, 1]]>, ShapeError<'concat: ranks 2 and 3 differ'>>();
  assertEqual<ConcatCheck<'concat', []>, ShapeError<'concat: no tensors to join'>>();
});

test('stack', () => {
  assertEqual<Stack<[[2, 3], [2, 3]]>, [2, 2, 3]>();
  assertEqual<Stack<[[2, 3], [2, 3], [2, 3]], -1>, [2, 3, 3]>();
  assertEqual<StackCheck<[[2, 3], [2, 4]]>, ShapeError<'stack: shapes [2, 3] and [2, 4] differ'>>();
  assertEqual<StackCheck<[[2, 3], [2, 3]], 3>, ShapeError<'stack: axis 3 is out of range for rank 3'>>();
});

test('take, takeAlongAxis and oneHot', () => {
  assertEqual<Take<[10, 3], [4], 0>, [4, 3]>();
  assertEqual<Take<[10, 3], [2, 2], 1>, [10, 2, 2]>();
  assertEqual<Take<[10, 3], [5]>, [5]>();
  assertEqual<TakeCheck<[10, 3], [5], 2>, ShapeError<'take: axis 2 is out of range for rank 2'>>();
  assertEqual<TakeAlongAxis<[10, 3], [10, 1], 1>, [10, 1]>();
  assertEqual<
    TakeAlongAxisCheck<[10, 3], [4, 1], 1>,
    ShapeError<'takeAlongAxis: dims 10 and 4 do not broadcast'>
  >();
  assertEqual<TakeAlongAxisCheck<[10, 3], [4], 1>, ShapeError<'takeAlongAxis: ranks 2 and 1 differ'>>();
  assertEqual<OneHot<['B'], 10>, ['B', 10]>();
  assertEqual<OneHotCheck<[5], -1>, ShapeError<'oneHot: depth -1 is negative'>>();
});
