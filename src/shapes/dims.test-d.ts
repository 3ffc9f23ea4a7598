import { describe, expectTypeOf, it } from 'vitest';
import * as dims from './dims.ts';

describe('dims', () => {
  it('keeps literal types', () => {
    expectTypeOf(dims.mul(64, 3, 3)).toEqualTypeOf<576>();
    expectTypeOf(dims.add(128, 128, 1)).toEqualTypeOf<257>();
    expectTypeOf(dims.sub(28, 4)).toEqualTypeOf<24>();
    expectTypeOf(dims.floorDiv(28, 3)).toEqualTypeOf<9>();
    const n: number = 5;
    expectTypeOf(dims.mul(n, 3)).toEqualTypeOf<number>();
  });
});
