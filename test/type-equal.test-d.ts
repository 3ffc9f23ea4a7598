import { test } from 'vitest';
import type { ShapeError } from '../src/shapes/dim.ts';
import { assertEqual } from './type-equal.ts';

test('assertEqual accepts identical types and rejects every other pair', () => {
  assertEqual<[8, 'B', 3], [8, 'B', 3]>();
  assertEqual<ShapeError<'m'>, ShapeError<'m'>>();
  // @ts-expect-error a dynamic dim is not a literal one
  assertEqual<[8, number], [8, 3]>();
  // @ts-expect-error nor the other way round
  assertEqual<[8, 3], [8, number]>();
  // @ts-expect-error readonly tuples differ from mutable ones
  assertEqual<readonly [1], [1]>();
  // @ts-expect-error any is not unknown
  assertEqual<any, unknown>();
  // @ts-expect-error a union is not one of its members
  assertEqual<1 | 2, 1>();
  // @ts-expect-error the messages differ
  assertEqual<ShapeError<'a'>, ShapeError<'b'>>();
});
