import { test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type { Broadcast, BroadcastCheck } from './broadcast.ts';
import type { ShapeError } from './dim.ts';

test('numpy broadcasting', () => {
  assertEqual<Broadcast<[2, 3], [3]>, [2, 3]>();
  assertEqual<Broadcast<[2, 1, 4], [3, 1]>, [2, 3, 4]>();
  assertEqual<Broadcast<[], [5]>, [5]>();
  assertEqual<Broadcast<readonly [1, 3], ['B', 1]>, ['B', 3]>();
  assertEqual<Broadcast<['B', 3], ['B', 3]>, ['B', 3]>();
  assertEqual<Broadcast<[number, 3], [5, 3]>, [5, 3]>();
  assertEqual<Broadcast<number[], [3]>, number[]>();
  assertEqual<BroadcastCheck<'add', [2, 3], [3]>, unknown>();
});

test('mismatches name the op and both dims', () => {
  assertEqual<BroadcastCheck<'add', [2, 3], [4]>, ShapeError<'add: dims 3 and 4 do not broadcast'>>();
  assertEqual<BroadcastCheck<'mul', ['B'], ['C']>, ShapeError<'mul: dims B and C do not broadcast'>>();
  assertEqual<BroadcastCheck<'add', ['B'], [3]>, ShapeError<'add: dims B and 3 do not broadcast'>>();
  assertEqual<Broadcast<[2], [3]>, number[]>();
});
