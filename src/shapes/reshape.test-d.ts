import { test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type { ShapeError } from './dim.ts';
import type { Reshape, ReshapeCheck } from './reshape.ts';

test('element counts, -1 and named leading dims', () => {
  assertEqual<Reshape<[60000, 28, 28], [-1, 784]>, [60000, 784]>();
  assertEqual<Reshape<['B', 28, 28], ['B', 784]>, ['B', 784]>();
  assertEqual<Reshape<['B', 784], ['B', -1]>, ['B', 784]>();
  assertEqual<Reshape<[6], readonly [2, -1]>, [2, 3]>();
  assertEqual<Reshape<[2, number], [-1]>, [number]>();
  assertEqual<Reshape<number[], [2, -1]>, [2, number]>();
});

test('errors give both counts', () => {
  assertEqual<
    ReshapeCheck<[60000, 28, 28], [60000, 785]>,
    ShapeError<'reshape: element counts 47040000 and 47100000 differ (784 and 785 after the common leading dims)'>
  >();
  assertEqual<ReshapeCheck<[2, 3], [4, 2]>, ShapeError<'reshape: element counts 6 and 8 differ'>>();
  assertEqual<
    ReshapeCheck<[60000, 28, 28], [-1, 785]>,
    ShapeError<'reshape: element count 47040000 is not divisible by 785'>
  >();
  assertEqual<ReshapeCheck<[2, 3], [-1, -1]>, ShapeError<'reshape: -1 appears 2 times'>>();
  assertEqual<
    ReshapeCheck<[0, 3], [-1, 0]>,
    ShapeError<'reshape: element counts 0 and 0 leave -1 undetermined'>
  >();
});
