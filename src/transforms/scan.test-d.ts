import { expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tanh } from '../ops/activations.ts';
import { add } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import { scan } from './scan.ts';

declare const h0: Tensor<['B', 16], 'f32'>;
declare const xs: Tensor<['T', 'B', 16], 'f32'>;
declare const w: Tensor<[16, 16], 'f32'>;

test('the step sees one time step of xs; ys come back stacked along T', () => {
  const [h, ys] = scan(
    (h: Tensor<['B', 16], 'f32'>, x) => {
      expectTypeOf(x).toEqualTypeOf<Tensor<['B', 16], 'f32'>>();
      const next = tanh(add(matmul(h, w), x));
      return [next, next] as const;
    },
    h0,
    xs,
  );
  expectTypeOf(h).toEqualTypeOf<Tensor<['B', 16], 'f32'>>();
  expectTypeOf(ys).toEqualTypeOf<Tensor<['T', 'B', 16], 'f32'>>();
});

test('pytrees of xs are sliced leaf by leaf', () => {
  const ids = null as unknown as Tensor<['T', 'B'], 'i32'>;
  scan(
    (c: Tensor<['B', 16], 'f32'>, x) => {
      expectTypeOf(x.feats).toEqualTypeOf<Tensor<['B', 16], 'f32'>>();
      expectTypeOf(x.ids).toEqualTypeOf<Tensor<['B'], 'i32'>>();
      return [c, null] as const;
    },
    h0,
    { feats: xs, ids },
  );
});

test('ys keep T: literal, named, from a literal length', () => {
  const [, ys] = scan(
    (c: Tensor<[2], 'f32'>, x) => [c, add(c, x)] as const,
    {} as Tensor<[2], 'f32'>,
    {} as Tensor<[7, 2], 'f32'>,
  );
  expectTypeOf(ys).toEqualTypeOf<Tensor<[7, 2], 'f32'>>();
  const [, zs] = scan((c: Tensor<[2], 'f32'>) => [c, c] as const, {} as Tensor<[2], 'f32'>, null, {
    length: 5,
  });
  expectTypeOf(zs).toEqualTypeOf<Tensor<[5, 2], 'f32'>>();
});

// Inside functions generic in the batch and time dims, T and B are copied into the outputs.
function generic<B extends number, T extends number>(
  h: Tensor<[B, 16], 'f32'>,
  seq: Tensor<[T, B, 16], 'f32'>,
) {
  const [hT, ys] = scan(
    (c: Tensor<[B, 16], 'f32'>, x) => {
      expectTypeOf(x).toEqualTypeOf<Tensor<[B, 16], 'f32'>>();
      const next = tanh(add(matmul(c, w), x));
      return [next, next] as const;
    },
    h,
    seq,
  );
  expectTypeOf(hT).toEqualTypeOf<Tensor<[B, 16], 'f32'>>();
  // (the dtype of tanh(add(…)) stays deferred in a generic function; the shape is what scan adds)
  expectTypeOf<(typeof ys)['__shape']>().toEqualTypeOf<[T, B, 16]>();
}

test('a body that changes the carry, or xs of the wrong layout, do not compile', () => {
  const w32 = null as unknown as Tensor<[16, 32], 'f32'>;
  scan(
    (c: Tensor<['B', 16], 'f32'>, x) => {
      const next = tanh(matmul(add(c, x), w32));
      return [next, next] as const;
    },
    // @ts-expect-error scan: the body's new carry [B, 32] and the carry [B, 16] differ
    h0,
    xs,
  );
  const batchMajor = null as unknown as Tensor<['B', 'T', 16], 'f32'>;
  scan(
    (c: Tensor<['B', 16], 'f32'>, x: Tensor<['B', 16], 'f32'>) => [add(c, x), null] as const,
    h0,
    // @ts-expect-error scan: xs slices [T, 16] and the body's x [B, 16] differ
    batchMajor,
  );
  expectTypeOf(generic).toBeFunction();
});
