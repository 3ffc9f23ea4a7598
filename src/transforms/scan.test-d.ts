import { expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tanh } from '../ops/activations.ts';
import { add } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import { scan } from './scan.ts';

declare const h0: Tensor<['B', 16], 'f32'>;
declare const xs: Tensor<['T', 'B', 16], 'f32'>;
declare const w: Tensor<[16, 16], 'f32'>;

test('the step sees one time step of xs; ys come back stacked', () => {
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
  expectTypeOf(ys).toEqualTypeOf<Tensor<[number, 'B', 16], 'f32'>>();
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
