/**
 * End-to-end: a 2-2-1 sigmoid network trained with grad and plain SGD separates XOR; a
 * jitted MLP training step returns the same numbers as the eager one.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.ts';
import {
  add,
  grad,
  jit,
  log,
  logSoftmax,
  matmul,
  mean,
  mul,
  neg,
  oneHot,
  random,
  scope,
  sigmoid,
  sub,
  sum,
  tanh,
  tensor,
  valueAndGrad,
} from '../src/index.ts';
import { values } from './helpers.ts';

type M = Tensor<[number, number], 'f64'>;
type V = Tensor<[number], 'f64'>;
interface Params {
  w1: M;
  b1: V;
  w2: M;
  b2: V;
}

const sgd = (p: Params, g: Params, lr: number): Params => ({
  w1: sub(p.w1, mul(g.w1, lr)) as M,
  b1: sub(p.b1, mul(g.b1, lr)) as V,
  w2: sub(p.w2, mul(g.w2, lr)) as M,
  b2: sub(p.b2, mul(g.b2, lr)) as V,
});

const dispose = (p: Params) => {
  for (const t of Object.values(p)) t.dispose();
};

describe('training', () => {
  it('a 2-2-1 sigmoid network trained with grad and SGD separates XOR', () => {
    const X = tensor([0, 0, 0, 1, 1, 0, 1, 1], [4, 2], { dtype: 'f64' }) as M;
    const Y = tensor([0, 1, 1, 0], [4, 1], { dtype: 'f64' }) as M;
    const forward = (p: Params, x: M) =>
      sigmoid(add(matmul(sigmoid(add(matmul(x, p.w1), p.b1)) as M, p.w2), p.b2)) as M;
    // Binary cross-entropy.
    const loss = (p: Params) => {
      const y = forward(p, X);
      const ll = add(mul(Y, log(y)), mul(sub(1, Y), log(sub(1, y) as M)));
      return neg(mean(ll)) as Tensor<[], 'f64'>;
    };
    const k = random.splitKeys(random.key(0), { num: 2 });
    let p: Params = {
      w1: random.normal(k[0]!, [2, 2], { dtype: 'f64' }) as unknown as M,
      b1: tensor([0, 0], { dtype: 'f64' }) as V,
      w2: random.normal(k[1]!, [2, 1], { dtype: 'f64' }) as unknown as M,
      b2: tensor([0], { dtype: 'f64' }) as V,
    };
    let last = Number.POSITIVE_INFINITY;
    for (let step = 0; step < 800; step++) {
      const next = scope(() => {
        const [l, g] = valueAndGrad(loss)(p);
        if (step === 799) last = l.item();
        return sgd(p, g, 4);
      });
      dispose(p);
      p = next;
    }
    const pred = values(forward(p, X));
    expect(pred.map((v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    expect(last).toBeLessThan(0.1);
  });

  it('jit of an MLP training step returns the same numbers as the eager step', () => {
    scope(() => {
      const k = random.splitKeys(random.key(7), { num: 3 });
      const x = random.normal(k[0]!, [8, 4], { dtype: 'f64' }) as unknown as M;
      const labels = tensor([0, 1, 2, 1, 0, 2, 2, 1], { dtype: 'i32' });
      const y = oneHot(labels, 3, { dtype: 'f64' }) as unknown as M;
      const init: Params = {
        w1: mul(random.normal(k[1]!, [4, 6], { dtype: 'f64' }), 0.5) as unknown as M,
        b1: tensor([0, 0.1, 0, -0.1, 0.2, 0], { dtype: 'f64' }) as V,
        w2: mul(random.normal(k[2]!, [6, 3], { dtype: 'f64' }), 0.5) as unknown as M,
        b2: tensor([0, 0, 0], { dtype: 'f64' }) as V,
      };
      const lossFn = (p: Params, x: M, y: M) => {
        const h = tanh(add(matmul(x, p.w1), p.b1)) as M;
        const logits = add(matmul(h, p.w2), p.b2) as M;
        return neg(mean(sum(mul(y, logSoftmax(logits)), { axis: 1 }))) as Tensor<[], 'f64'>;
      };
      const step = (p: Params, x: M, y: M): [Tensor, Params] => {
        const [l, g] = valueAndGrad(lossFn)(p, x, y);
        return [l, sgd(p, g, 0.3)];
      };
      const jitted = jit(step);
      let pe = init;
      let pj = init;
      for (let i = 0; i < 5; i++) {
        const [le, nextE] = step(pe, x, y);
        const [lj, nextJ] = jitted(pj, x, y);
        expect(values(lj)).toEqual(values(le));
        for (const key of ['w1', 'b1', 'w2', 'b2'] as const)
          expect(values(nextJ[key])).toEqual(values(nextE[key]));
        pe = nextE;
        pj = nextJ;
      }
      expect(jitted.cacheSize).toBe(1);
      // grad of the jitted loss agrees too.
      const ge = grad(lossFn)(init, x, y);
      const gj = grad(jit(lossFn))(init, x, y);
      for (const key of ['w1', 'b1', 'w2', 'b2'] as const) expect(values(gj[key])).toEqual(values(ge[key]));
      return 0;
    });
  });
});
