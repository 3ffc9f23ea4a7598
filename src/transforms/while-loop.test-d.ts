import { expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { add, less, mul } from '../ops/elementwise.ts';
import { sum } from '../ops/reductions.ts';
import { jit } from './jit.ts';
import { foriLoop } from './loops.ts';
import { whileLoop } from './while-loop.ts';

declare const h: Tensor<['B', 16], 'f32'>;
declare const k: Tensor<[], 'i32'>;

test('the carry keeps its type: a tensor, a tuple, a record', () => {
  const out = whileLoop(
    (c) => less(sum(c), 10),
    (c) => mul(c, 2),
    h,
  );
  expectTypeOf(out).toEqualTypeOf<Tensor<['B', 16], 'f32'>>();
  const [i, x] = whileLoop(
    ([i]) => less(i, 3),
    ([i, x]) => [add(i, 1), mul(x, 2)] as const,
    [k, h] as const,
  );
  expectTypeOf(i).toEqualTypeOf<Tensor<[], 'i32'>>();
  expectTypeOf(x).toEqualTypeOf<Tensor<['B', 16], 'f32'>>();
  const rec = whileLoop(
    (c) => less(c.k, 3),
    (c) => ({ k: add(c.k, 1), h: c.h }),
    { k, h },
  );
  expectTypeOf(rec).toEqualTypeOf<{ k: Tensor<[], 'i32'>; h: Tensor<['B', 16], 'f32'> }>();
  expectTypeOf(foriLoop(0, k, (_i, c) => mul(c, 2), h)).toEqualTypeOf<Tensor<['B', 16], 'f32'>>();
});

test('a body that changes the carry type does not compile', () => {
  whileLoop(
    (c) => less(sum(c), 10),
    // @ts-expect-error the carry's shape must stay ['B', 16]
    (c) => sum(c),
    h,
  );
});

test('jit(f).async resolves to what the plain call returns', () => {
  const f = jit((x: Tensor<['B', 16], 'f32'>) =>
    whileLoop(
      (c) => less(sum(c), 10),
      (c) => mul(c, 2),
      x,
    ),
  );
  expectTypeOf(f(h)).toEqualTypeOf<Tensor<['B', 16], 'f32'>>();
  expectTypeOf(f.async(h)).toEqualTypeOf<Promise<Tensor<['B', 16], 'f32'>>>();
});
