/**
 * customVjp keeps its backward rule under every composition of transforms, and a correct
 * custom rule passes checkGrads (a wrong one is caught: see src/testing/check-grads.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.ts';
import {
  customVjp,
  exp,
  grad,
  jit,
  log,
  mul,
  scope,
  sin,
  sub,
  sum,
  tanh,
  tensor,
  vmap,
} from '../src/index.ts';
import { checkGrads } from '../src/testing/index.ts';
import { expectClose, values } from './helpers.ts';

/** sin with a recognisably different backward rule (tanh instead of cos). */
const marked = customVjp(
  (a: Tensor) => sin(a),
  (a: Tensor) => [sin(a), a] as const,
  (a: Tensor, ct: Tensor): [Tensor] => [mul(ct, tanh(a))],
);
const scalar = (t: Tensor) => sum(t) as Tensor<[], 'f64'>;
const tanhOf = (x: Tensor) => values(x).map(Math.tanh);

describe('customVjp under transforms', () => {
  it('grad, jit(grad), grad(jit), vmap(grad) use the custom rule', () => {
    scope(() => {
      const x = tensor([0.5, 1, 2], { dtype: 'f64' }) as Tensor;
      const want = tanhOf(x);
      expectClose(values(grad((a: Tensor) => scalar(marked(a)))(x)), want, 1e-15);
      expectClose(values(jit(grad((a: Tensor) => scalar(marked(a))))(x)), want, 1e-15);
      expectClose(values(grad((a: Tensor) => scalar(jit(marked)(a)))(x)), want, 1e-15);
      const xs = tensor(
        [
          [0.5, 1],
          [2, 3],
        ],
        { dtype: 'f64' },
      ) as Tensor;
      expectClose(values(vmap(grad((a: Tensor) => scalar(marked(a))))(xs) as Tensor), tanhOf(xs), 1e-15);
      return 0;
    });
  });

  // BUG (src/transforms/custom-vjp.ts): the batching rule of custom_vjp_call vmaps the primal
  // function `call`, dropping fwd/bwd; under an outer grad the true derivative (cos) is used.
  it('grad(vmap(f)) uses the custom rule', () => {
    scope(() => {
      const x = tensor([0.5, 1, 2], { dtype: 'f64' }) as Tensor;
      expectClose(values(grad((a: Tensor) => scalar(vmap(marked)(a) as Tensor))(x)), tanhOf(x), 1e-15);
      return 0;
    });
  });

  it('a numerically stable custom rule passes checkGrads (pytree input)', () => {
    // log(1 + exp(x)) with the rule sigmoid(x), on inputs where the naive form is fine.
    const softplus = customVjp(
      (p: { x: Tensor }) => log(sub(exp(p.x), -1) as Tensor),
      (p: { x: Tensor }) => [log(sub(exp(p.x), -1) as Tensor), p.x] as const,
      (x: Tensor, ct: Tensor): [{ x: Tensor }] => [{ x: mul(ct, sub(1, oneMinusSigmoid(x))) as Tensor }],
    );
    scope(() => {
      const x = tensor([-1.5, 0.2, 0.9, 2], { dtype: 'f64' }) as Tensor;
      const r = checkGrads((p: { x: Tensor }) => softplus(p), [{ x }], { modes: ['rev'] });
      expect(r.maxRatio).toBeLessThan(1);
      return 0;
    });
  });
});

/** 1 - sigmoid(x) = (1 - tanh(x / 2)) / 2. */
function oneMinusSigmoid(x: Tensor): Tensor {
  return mul(sub(1, tanh(mul(x, 0.5) as Tensor)), 0.5) as Tensor;
}
