/** Type tests of the PyTorch-parity optimizer options (issue 10). */
import { describe, expectTypeOf, test } from 'vitest';
import { optim, type Tensor } from '../index.ts';

declare const params: { w: Tensor<[2, 3], 'f32'>; b: Tensor<[3], 'f32'> };

describe('optimizer options', () => {
  test('states carry the optional buffers typed like the params', () => {
    const s = optim.sgd(0.1, { momentum: 0.9, nesterov: true }).init(params);
    expectTypeOf(s).toEqualTypeOf<optim.SgdState<typeof params>>();
    expectTypeOf(s.trace).toEqualTypeOf<typeof params | undefined>();
    const a = optim.adam(1e-3, { amsgrad: true, weightDecay: 1e-4 }).init(params);
    expectTypeOf(a.nuMax).toEqualTypeOf<typeof params | undefined>();
    const r = optim.rmsprop(1e-3, { centered: true, momentum: 0.9 }).init(params);
    expectTypeOf(r.gradAvg).toEqualTypeOf<typeof params | undefined>();
    // @ts-expect-error nesterov is a boolean
    optim.sgd(0.1, { momentum: 0.9, nesterov: 1 });
    // @ts-expect-error amsgrad is a boolean
    optim.adamw(0.1, { amsgrad: 'yes' });
  });
});
