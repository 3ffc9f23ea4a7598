/**
 * Second derivatives: grad-of-grad of smooth ops against finite differences of grad;
 * grad(grad(tanh)) against its closed form; the hessian of a quadratic form is exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.ts';
import {
  exp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  matmul,
  mul,
  scope,
  sigmoid,
  sin,
  softmax,
  sum,
  tanh,
  tensor,
  transpose,
} from '../src/index.ts';
import { arbHostTensor, checkGrads } from '../src/testing/index.ts';
import { values } from './helpers.ts';

type T = Tensor<number[], 'f64'>;
const smooth: Record<string, (x: T) => Tensor> = {
  tanh: (x) => tanh(x),
  sin: (x) => sin(x),
  exp: (x) => exp(x),
  logistic: (x) => sigmoid(x),
  softmax: (x) => mul(softmax(x), tensor([1, -2, 3, 0.5], { dtype: 'f64' }) as T),
};

describe('grad of grad of smooth ops matches finite differences of grad', () => {
  for (const [name, f] of Object.entries(smooth)) {
    it(name, () => {
      fc.assert(
        fc.property(arbHostTensor([4] as const, { min: -2, max: 2 }), (h) => {
          scope(() => {
            const x = h.toTensor() as T;
            const scalar = (x: T) => sum(f(x)) as Tensor<[], 'f64'>;
            // The gradient function itself is checked in both modes (jvp of grad, vjp of grad) …
            checkGrads((x: T) => grad(scalar)(x), [x]);
            // … and f to second order in every combination of modes.
            checkGrads(f, [x], { order: 2 });
            // grad(grad(.)) of a scalar function of a scalar.
            const g1 = (s: Tensor<[], 'f64'>) =>
              sum(f(mul(s, tensor([1, 0.5, -1, 2], { dtype: 'f64' })) as T));
            checkGrads(grad(grad(g1 as (s: Tensor<[], 'f64'>) => Tensor<[], 'f64'>)), [
              tensor([0.3 * (values(x)[0] ?? 0)], [], { dtype: 'f64' }),
            ]);
            return 0;
          });
        }),
        { numRuns: 5, seed: 3 },
      );
    });
  }
});

describe('exact second derivatives (f64)', () => {
  it('grad(grad(tanh)) equals -2 tanh(x) (1 - tanh(x)^2)', () => {
    scope(() => {
      const d2 = grad(grad((x: Tensor<[], 'f64'>) => tanh(x) as Tensor<[], 'f64'>));
      for (const v of [-3, -1.25, -0.5, 0, 0.1, 0.7, 2, 4.5]) {
        const got = d2(tensor([v], [], { dtype: 'f64' })).item();
        const t = Math.tanh(v);
        const want = -2 * t * (1 - t * t);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, Math.abs(want)));
      }
      return 0;
    });
  });

  it('the hessian of x^T A x equals A + A^T exactly', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.integer({ min: -9, max: 9 }), { minLength: n * n, maxLength: n * n }),
              fc.array(fc.integer({ min: -9, max: 9 }), { minLength: n, maxLength: n }),
              fc.constant(n),
            ),
          ),
        ([a, x, n]) => {
          scope(() => {
            const A = tensor(a, [n, n], { dtype: 'f64' }) as Tensor<[number, number], 'f64'>;
            const quad = (v: Tensor) => {
              const vv = v as Tensor<[number], 'f64'>;
              return sum(mul(vv, matmul(A, vv))) as Tensor;
            };
            const H = hessian(quad)(tensor(x, [n], { dtype: 'f64' }) as Tensor);
            const expected = values(A).map((v, k) => v + values(transpose(A))[k]!);
            expect(H.shape).toEqual([n, n]);
            expect(values(H)).toEqual(expected);
            // jacrev(jacrev) and jacfwd(jacfwd) agree as well.
            expect(values(jacrev(jacrev(quad))(tensor(x, [n], { dtype: 'f64' }) as Tensor))).toEqual(
              expected,
            );
            expect(values(jacfwd(jacfwd(quad))(tensor(x, [n], { dtype: 'f64' }) as Tensor))).toEqual(
              expected,
            );
            return 0;
          });
        },
      ),
      { numRuns: 15, seed: 9 },
    );
  });
});
