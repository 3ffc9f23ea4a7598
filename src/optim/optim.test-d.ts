/** Type tests: optimizers are generic over the params pytree; updates and state keep its type. */
import { describe, expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import type { DenseParams } from '../nn/dense.ts';
import * as optim from './index.ts';

type Params = {
  readonly l1: DenseParams<784, 512>;
  readonly l2: DenseParams<512, 10>;
  readonly extra: [Tensor<[3]>];
};
declare const params: Params;
declare const grads: Params;

describe('optimizers', () => {
  test('init and update keep the params type', () => {
    const opt = optim.adam(1e-3);
    const state = opt.init(params);
    expectTypeOf(state).toEqualTypeOf<optim.AdamState<Params>>();
    expectTypeOf(state.mu.l1.w).toEqualTypeOf<Tensor<[784, 512], 'f32'>>();
    const [updates, next] = opt.update(grads, state, params);
    expectTypeOf(updates).toEqualTypeOf<Params>();
    expectTypeOf(next).toEqualTypeOf<optim.AdamState<Params>>();
    expectTypeOf(optim.applyUpdates(params, updates)).toEqualTypeOf<Params>();
    expectTypeOf(optim.clipByGlobalNorm(grads, 1)).toEqualTypeOf<Params>();
  });
  test('every optimizer is an Optimizer of its name', () => {
    expectTypeOf(optim.sgd(0.1)).toEqualTypeOf<optim.Optimizer<'sgd'>>();
    expectTypeOf(optim.momentum(0.1, { nesterov: true })).toEqualTypeOf<optim.Optimizer<'momentum'>>();
    expectTypeOf(optim.adamw(optim.cosineDecay(1e-3, 1000))).toEqualTypeOf<optim.Optimizer<'adamw'>>();
    expectTypeOf(optim.rmsprop(0.01).init(params).nu).toEqualTypeOf<Params>();
  });
  test('grads of another structure are rejected', () => {
    const opt = optim.momentum(0.1);
    const state = opt.init(params);
    const other = { ...params, l1: { w: params.l2.w, b: params.l2.b } };
    // @ts-expect-error the state belongs to Params
    opt.update(other, state);
    // @ts-expect-error updates must have the params' type
    optim.applyUpdates(params, other);
    // @ts-expect-error updates must have the params' type (a subtree is not enough)
    optim.applyUpdates(params, { l1: params.l1 });
  });
});
