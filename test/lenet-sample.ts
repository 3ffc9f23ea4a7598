/**
 * LeNet-5 (LeCun et al. 1998) written once, generic in its batch dim B, against the typed op
 * declarations. Used by the LeNet type test and by the type-cost budget.
 */
import type { Dim } from '../src/shapes/index.ts';
import { add, conv2d, flatten, matmul, maxPool2d, relu, type Tensor } from './shape-mocks.ts';

export interface LeNetParams {
  readonly c1: Tensor<[6, 1, 5, 5]>;
  readonly c1b: Tensor<[6, 1, 1]>;
  readonly c3: Tensor<[16, 6, 5, 5]>;
  readonly c3b: Tensor<[16, 1, 1]>;
  readonly f5: Tensor<[400, 120]>;
  readonly f5b: Tensor<[120]>;
  readonly f6: Tensor<[120, 84]>;
  readonly f6b: Tensor<[84]>;
  readonly f7: Tensor<[84, 10]>;
  readonly f7b: Tensor<[10]>;
}

export function lenet<B extends Dim>(p: LeNetParams, x: Tensor<[B, 1, 28, 28]>): Tensor<[B, 10]> {
  const c1 = relu(add(conv2d(x, p.c1, { padding: 2 }), p.c1b)); // [B, 6, 28, 28]
  const s2 = maxPool2d(c1, { window: 2 }); // [B, 6, 14, 14]
  const c3 = relu(add(conv2d(s2, p.c3), p.c3b)); // [B, 16, 10, 10]
  const s4 = maxPool2d(c3, { window: 2 }); // [B, 16, 5, 5]
  const f = flatten(s4, { startAxis: 1 }); // [B, 400]
  const f5 = relu(add(matmul(f, p.f5), p.f5b)); // [B, 120]
  const f6 = relu(add(matmul(f5, p.f6), p.f6b)); // [B, 84]
  return add(matmul(f6, p.f7), p.f7b);
}
