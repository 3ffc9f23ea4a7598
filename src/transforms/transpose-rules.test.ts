import { describe, expect, it } from 'vitest';
import { einsum, grad, makeJaxpr, reshape, type Scalar, sum, type Tensor, tensor } from '../index.ts';
import { checkGrads } from '../testing/index.ts';

/** Deterministic f64 values in [-1, 1) of the given shape (an LCG). */
function f64(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return reshape(tensor(out, { dtype: 'f64' }) as Tensor, shape) as Tensor;
}

describe('dot_general transpose rule', () => {
  // each spec with shapes for both operands; the gradient of both goes through the rule
  const cases: [string, number[], number[]][] = [
    ['ij,jk->ik', [3, 4], [4, 5]],
    ['ij,kj->ik', [3, 4], [5, 4]],
    ['ji,jk->ik', [4, 3], [4, 5]],
    ['ji,kj->ik', [4, 3], [5, 4]],
    ['bij,bjk->bik', [2, 3, 4], [2, 4, 5]],
    ['bij,bkj->bik', [2, 3, 4], [2, 5, 4]],
    ['ijk,jkl->il', [2, 3, 4], [3, 4, 5]],
    ['ijk,kjl->li', [2, 3, 4], [4, 3, 5]],
    ['bij,jbk->kbi', [2, 3, 4], [4, 2, 5]],
    ['abj,jk->abk', [2, 3, 4], [4, 5]],
    ['abj,jk->bak', [2, 3, 4], [4, 5]],
    ['ab,abk->k', [2, 3], [2, 3, 4]],
  ];
  it.each(cases)('%s: reverse-mode gradients match finite differences', (spec, sa, sb) => {
    const r = checkGrads((a: Tensor, b: Tensor) => einsum(spec, a, b) as Tensor, [f64(sa, 1), f64(sb, 2)], {
      modes: ['rev'],
    });
    expect(r.maxRatio).toBeLessThan(1e-2);
  });

  it('gives the weight gradient of x·W as xᵀ·ct, with no transpose', () => {
    const x = f64([3, 4], 3);
    const w = f64([4, 5], 4);
    const jaxpr = makeJaxpr((v: Tensor) =>
      grad((u: Tensor) => sum(einsum('ij,jk->ik', x, u) as Tensor) as Scalar)(v),
    )(w);
    expect(jaxpr).toContain('dot_general');
    expect(jaxpr).not.toContain('transpose');
  });
});
