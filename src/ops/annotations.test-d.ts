/** Issue 13 item 3: a result annotation never changes what an op infers (its defaults stay its defaults). */
import { expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { concat, flatten, stack, take } from './shape.ts';

declare const x: Tensor<[32, 16, 5, 5], 'f32'>;
declare const a: Tensor<[2, 3], 'f32'>;
declare const i: Tensor<[4], 'i32'>;

test('annotated results keep the default axes', () => {
  const f: Tensor<[12800]> = flatten(x);
  const f1: Tensor<[32, 400]> = flatten(x, { startAxis: 1 });
  const c: Tensor<[4, 3]> = concat([a, a]);
  const s: Tensor<[2, 2, 3]> = stack([a, a]);
  const t: Tensor<[4]> = take(a, i);
  expectTypeOf([f, f1, c, s, t]).toBeArray();
});

test('an annotation that does not match the default is an error, not an inference', () => {
  // @ts-expect-error flatten merges every axis by default: [12800], not [32, 400]
  const f: Tensor<[32, 400]> = flatten(x);
  // @ts-expect-error concat joins axis 0 by default: [4, 3], not [2, 6]
  const c: Tensor<[2, 6]> = concat([a, a]);
  // @ts-expect-error stack puts the new axis first by default: [2, 2, 3]
  const s: Tensor<[2, 3, 2]> = stack([a, a]);
  // @ts-expect-error take without an axis indexes the flattened tensor: [4]
  const t: Tensor<[4, 3]> = take(a, i);
  expectTypeOf([f, c, s, t]).toBeArray();
});
