import { describe, expectTypeOf, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { clipByGlobalNorm } from './clip.ts';
import { addDecayedWeights, chain, masked } from './combinators.ts';
import type { AdamState } from './optimizers.ts';
import { adam } from './optimizers.ts';

declare const params: { w: Tensor<[3, 4], 'f32'>; b: Tensor<[4], 'f32'> };

describe('combinator types', () => {
  it('updates have the params type; chain state is a tuple', () => {
    const opt = chain(
      clipByGlobalNorm(1),
      adam(1e-3),
      masked(addDecayedWeights(1e-4), () => true),
    );
    const state = opt.init(params);
    const [updates, next] = opt.update(params, state, params);
    expectTypeOf(updates).toEqualTypeOf(params);
    expectTypeOf(next).toEqualTypeOf(state);
    expectTypeOf(state[1]).toMatchTypeOf<AdamState<unknown>>();
  });
});
