import { expectTypeOf, test } from 'vitest';
import type { Broadcast, BroadcastCheck } from './broadcast.ts';
import type { ShapeError } from './dim.ts';

test('numpy broadcasting', () => {
  expectTypeOf<Broadcast<[2, 3], [3]>>().toEqualTypeOf<[2, 3]>();
  expectTypeOf<Broadcast<[2, 1, 4], [3, 1]>>().toEqualTypeOf<[2, 3, 4]>();
  expectTypeOf<Broadcast<[], [5]>>().toEqualTypeOf<[5]>();
  expectTypeOf<Broadcast<readonly [1, 3], ['B', 1]>>().toEqualTypeOf<['B', 3]>();
  expectTypeOf<Broadcast<['B', 3], ['B', 3]>>().toEqualTypeOf<['B', 3]>();
  expectTypeOf<Broadcast<[number, 3], [5, 3]>>().toEqualTypeOf<[5, 3]>();
  expectTypeOf<Broadcast<number[], [3]>>().toEqualTypeOf<number[]>();
  expectTypeOf<BroadcastCheck<'add', [2, 3], [3]>>().toEqualTypeOf<unknown>();
});

test('mismatches name the op and both dims', () => {
  expectTypeOf<BroadcastCheck<'add', [2, 3], [4]>>().toEqualTypeOf<
    ShapeError<'add: dims 3 and 4 do not broadcast'>
  >();
  expectTypeOf<BroadcastCheck<'mul', ['B'], ['C']>>().toEqualTypeOf<
    ShapeError<'mul: dims B and C do not broadcast'>
  >();
  expectTypeOf<BroadcastCheck<'add', ['B'], [3]>>().toEqualTypeOf<
    ShapeError<'add: dims B and 3 do not broadcast'>
  >();
  expectTypeOf<Broadcast<[2], [3]>>().toEqualTypeOf<number[]>();
});
