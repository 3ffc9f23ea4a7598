import { expectTypeOf, test } from 'vitest';
import type { ShapeError } from './dim.ts';
import type { Reshape, ReshapeCheck } from './reshape.ts';

test('element counts, -1 and named leading dims', () => {
  expectTypeOf<Reshape<[60000, 28, 28], [-1, 784]>>().toEqualTypeOf<[60000, 784]>();
  expectTypeOf<Reshape<['B', 28, 28], ['B', 784]>>().toEqualTypeOf<['B', 784]>();
  expectTypeOf<Reshape<['B', 784], ['B', -1]>>().toEqualTypeOf<['B', 784]>();
  expectTypeOf<Reshape<[6], readonly [2, -1]>>().toEqualTypeOf<[2, 3]>();
  expectTypeOf<Reshape<[2, number], [-1]>>().toEqualTypeOf<[number]>();
  expectTypeOf<Reshape<number[], [2, -1]>>().toEqualTypeOf<[2, number]>();
});

test('errors give both counts', () => {
  expectTypeOf<ReshapeCheck<[60000, 28, 28], [60000, 785]>>().toEqualTypeOf<
    ShapeError<'reshape: element counts 47040000 and 47100000 differ (784 and 785 after the common leading dims)'>
  >();
  expectTypeOf<ReshapeCheck<[2, 3], [4, 2]>>().toEqualTypeOf<
    ShapeError<'reshape: element counts 6 and 8 differ'>
  >();
  expectTypeOf<ReshapeCheck<[60000, 28, 28], [-1, 785]>>().toEqualTypeOf<
    ShapeError<'reshape: element count 47040000 is not divisible by 785'>
  >();
  expectTypeOf<ReshapeCheck<[2, 3], [-1, -1]>>().toEqualTypeOf<ShapeError<'reshape: -1 appears 2 times'>>();
  expectTypeOf<ReshapeCheck<[0, 3], [-1, 0]>>().toEqualTypeOf<
    ShapeError<'reshape: element counts 0 and 0 leave -1 undetermined'>
  >();
});
