import { expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { add, mul } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import { sum } from '../ops/reductions.ts';
import { vmap } from './batching.ts';

declare const w: Tensor<[4, 3], 'f32'>;
const dense = (x: Tensor<[4], 'f32'>) => matmul(x, w);
const pair = (a: Tensor<[3], 'f32'>, b: Tensor<[3], 'f32'>) => add(a, b);

test('mapped inputs and outputs gain the batch dim at axis 0 by default', () => {
  expectTypeOf(vmap(dense)({} as Tensor<[32, 4], 'f32'>)).toEqualTypeOf<Tensor<[32, 3], 'f32'>>();
  expectTypeOf(vmap(dense)({} as Tensor<['N', 4], 'f32'>)).toEqualTypeOf<Tensor<['N', 3], 'f32'>>();
  expectTypeOf(vmap(dense)({} as Tensor<[number, 4], 'f32'>)).toEqualTypeOf<Tensor<[number, 3], 'f32'>>();
  expectTypeOf(vmap(pair)({} as Tensor<[8, 3], 'f32'>, {} as Tensor<[8, 3], 'f32'>)).toEqualTypeOf<
    Tensor<[8, 3], 'f32'>
  >();
});

test('inAxes and outAxes place the batch dim; null leaves an argument unmapped', () => {
  const cols = vmap(dense, { inAxes: 1, outAxes: 1 })({} as Tensor<[4, 5], 'f32'>);
  expectTypeOf(cols).toEqualTypeOf<Tensor<[3, 5], 'f32'>>();
  const last = vmap(dense, { inAxes: -1, outAxes: -1 })({} as Tensor<[4, 7], 'f32'>);
  expectTypeOf(last).toEqualTypeOf<Tensor<[3, 7], 'f32'>>();
  const shared = vmap(pair, { inAxes: [0, null] })({} as Tensor<[6, 3], 'f32'>, {} as Tensor<[3], 'f32'>);
  expectTypeOf(shared).toEqualTypeOf<Tensor<[6, 3], 'f32'>>();
  const scalarOut = vmap((a: Tensor<[3], 'f32'>) => sum(a), { outAxes: 0 })({} as Tensor<[5, 3], 'f32'>);
  expectTypeOf(scalarOut).toEqualTypeOf<Tensor<[5], 'f32'>>();
});

test('pytrees: records and tuples of tensors are batched leaf by leaf', () => {
  type P = { readonly w: Tensor<[3], 'f32'>; readonly b: Tensor<[], 'f32'> };
  const f = (p: P, x: Tensor<[3], 'f32'>) => [mul(p.w, x), p.b] as const;
  const out = vmap(f)({} as { w: Tensor<[2, 3], 'f32'>; b: Tensor<[2], 'f32'> }, {} as Tensor<[2, 3], 'f32'>);
  expectTypeOf(out).toEqualTypeOf<readonly [Tensor<[2, 3], 'f32'>, Tensor<[2], 'f32'>]>();
});

test('a wide tensor type stays wide', () => {
  const f = (a: Tensor) => a;
  expectTypeOf(vmap(f)({} as Tensor)).toEqualTypeOf<Tensor>();
});

// Inside functions generic in the batch dim, the batch dim is copied, never tested.
function generic<B extends number, N extends string>(xb: Tensor<[B, 4], 'f32'>, xn: Tensor<[N, 4], 'f32'>) {
  expectTypeOf(vmap(dense)(xb)).toEqualTypeOf<Tensor<[B, 3], 'f32'>>();
  expectTypeOf(vmap(dense)(xn)).toEqualTypeOf<Tensor<[N, 3], 'f32'>>();
  const two = vmap(pair)({} as Tensor<[B, 3], 'f32'>, {} as Tensor<[B, 3], 'f32'>);
  expectTypeOf(two).toEqualTypeOf<Tensor<[B, 3], 'f32'>>();
  const moved = vmap(dense, { inAxes: 1, outAxes: 1 })({} as Tensor<[4, B], 'f32'>);
  expectTypeOf(moved).toEqualTypeOf<Tensor<[3, B], 'f32'>>();
  const shared = vmap(pair, { inAxes: [null, 0] })({} as Tensor<[3], 'f32'>, {} as Tensor<[N, 3], 'f32'>);
  expectTypeOf(shared).toEqualTypeOf<Tensor<[N, 3], 'f32'>>();
}

test('mismatched literal batch sizes and wrong per-example shapes do not compile', () => {
  // @ts-expect-error vmap: mapped axes have different sizes 32 and 16
  vmap(pair)({} as Tensor<[32, 3], 'f32'>, {} as Tensor<[16, 3], 'f32'>);
  // @ts-expect-error the per-example shape [5] is not dense's [4]
  vmap(dense)({} as Tensor<[32, 5], 'f32'>);
  expectTypeOf(generic).toBeFunction();
});
