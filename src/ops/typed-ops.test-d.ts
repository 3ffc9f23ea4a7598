/** Positive type tests of the typed parity ops, in functions generic in the batch dim (number and named). */
import { expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { nn, random } from '../index.ts';
import { convTranspose1d, convTranspose2d, convTranspose3d } from './conv.ts';
import { einsum } from './einsum.ts';
import { flip, split } from './split-flip.ts';

declare const w: Tensor<[16, 4], 'f32'>;
declare const up: Tensor<[16, 8, 2, 2], 'f32'>;

function ops<B extends number, N extends string>(xb: Tensor<[B, 16], 'f32'>, xn: Tensor<[N, 16], 'f32'>) {
  expectTypeOf(einsum('bi,ij->bj', xb, w)).toEqualTypeOf<Tensor<[B, 4], 'f32'>>();
  expectTypeOf(einsum('bi,ij->bj', xn, w)).toEqualTypeOf<Tensor<[N, 4], 'f32'>>();
  expectTypeOf(einsum('bi->b', xb)).toEqualTypeOf<Tensor<[B], 'f32'>>();
  expectTypeOf(split(xb, 2, { axis: 1 })).toEqualTypeOf<[Tensor<[B, 8], 'f32'>, Tensor<[B, 8], 'f32'>]>();
  expectTypeOf(split(xn, [4, 12], { axis: -1 })).toEqualTypeOf<
    [Tensor<[N, 4], 'f32'>, Tensor<[N, 12], 'f32'>]
  >();
  expectTypeOf(flip(xb, -1)).toEqualTypeOf<Tensor<[B, 16], 'f32'>>();
  const img = {} as Tensor<[B, 16, 7, 7], 'f32'>;
  expectTypeOf(convTranspose2d(img, up, { stride: 2 })).toEqualTypeOf<Tensor<[B, 8, 14, 14], 'f32'>>();
  const named = {} as Tensor<[N, 16, 7, 7], 'f32'>;
  expectTypeOf(convTranspose2d(named, up, { stride: 2, padding: 1, outputPadding: 1 })).toEqualTypeOf<
    Tensor<[N, 8, 13, 13], 'f32'>
  >();
  const seq = {} as Tensor<[B, 4, 10], 'f32'>;
  expectTypeOf(convTranspose1d(seq, {} as Tensor<[4, 2, 3], 'f32'>, { stride: 2 })).toEqualTypeOf<
    Tensor<[B, 2, 21], 'f32'>
  >();
  const vol = {} as Tensor<[B, 2, 4, 4, 4], 'f32'>;
  expectTypeOf(convTranspose3d(vol, {} as Tensor<[2, 3, 2, 2, 2], 'f32'>, { stride: 2 })).toEqualTypeOf<
    Tensor<[B, 3, 8, 8, 8], 'f32'>
  >();
  const layer = nn.convTranspose2d.init(random.key(0), { in: 16, out: 3, kernel: 2 });
  expectTypeOf(layer.w).toEqualTypeOf<Tensor<[16, 3, 2, 2], 'f32'>>();
  expectTypeOf(nn.convTranspose2d(layer, img, { stride: 2 })).toEqualTypeOf<Tensor<[B, 3, 14, 14], 'f32'>>();
}

test('typed parity ops in functions generic in the batch dim', () => {
  expectTypeOf(ops).toBeFunction();
  expectTypeOf(split({} as Tensor<[6], 'f32'>, 6 as number)).toEqualTypeOf<Tensor<number[], 'f32'>[]>();
  expectTypeOf(einsum('ij->ji' as string, {} as Tensor<[2, 3], 'f32'>)).toEqualTypeOf<
    Tensor<number[], 'f32'>
  >();
});
