import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { clipByGlobalNorm } from './clip.ts';
import {
  addDecayedWeights,
  chain,
  masked,
  multiTransform,
  scaleBySchedule,
  setToZero,
} from './combinators.ts';
import { adam, applyUpdates, sgd } from './optimizers.ts';

type Params = { readonly w: Tensor<[2, 2], 'f64'>; readonly b: Tensor<[2], 'f64'> };
const f64 = (xs: readonly number[], shape: readonly number[]) => tensor(new Float64Array(xs), shape) as never;
const params = (v: readonly number[]): Params => ({
  w: f64(v.slice(0, 4), [2, 2]),
  b: f64(v.slice(4, 6), [2]),
});
const values = (p: Params) => [...(p.w.dataSync() as Float64Array), ...(p.b.dataSync() as Float64Array)];
const vec = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 6, maxLength: 6 });

describe('optim.chain', () => {
  it('property: equals the manual composition clip → adam over several steps', () => {
    fc.assert(
      fc.property(vec, vec, vec, (p0, g0, g1) => {
        const opt = chain(clipByGlobalNorm(1), adam(0.1));
        const inner = adam(0.1);
        let pa = params(p0);
        let pb = params(p0);
        let sa = opt.init(pa);
        let sb = inner.init(pb);
        for (const g of [g0, g1]) {
          const [ua, na] = opt.update(params(g), sa, pa);
          const [ub, nb] = inner.update(clipByGlobalNorm(params(g), 1), sb, pb);
          pa = applyUpdates(pa, ua);
          pb = applyUpdates(pb, ub);
          sa = na;
          sb = nb;
        }
        expect(values(pa)).toEqual(values(pb));
      }),
      { numRuns: 20 },
    );
  });

  it('rejects a non-transform argument', () => {
    expect(() => chain(sgd(1), 3 as never)).toThrow(
      'optim.chain: argument 1 is not a transform (no init/update), got 3',
    );
    expect(() => chain()).toThrow('optim.chain: give at least one transform');
  });
});

describe('optim.masked / addDecayedWeights', () => {
  it('decays matrices only, leaving biases to the optimizer alone', () => {
    const p = params([1, 2, 3, 4, 10, 20]);
    const g = params([0, 0, 0, 0, 0, 0]);
    const opt = chain(
      sgd(1),
      masked(addDecayedWeights(0.5), (_path, leaf) => leaf.ndim >= 2),
    );
    const [u] = opt.update(g, opt.init(p), p);
    expect(values(u)).toEqual([-0.5, -1, -1.5, -2, -0, -0]); // sgd: -1 · 0
  });

  it('masks by path', () => {
    const p = params([1, 1, 1, 1, 1, 1]);
    const g = params([1, 2, 3, 4, 5, 6]);
    const opt = masked(sgd(0.5), (path) => path === 'b');
    const [u] = opt.update(g, opt.init(p), p);
    expect(values(u)).toEqual([1, 2, 3, 4, -2.5, -3]);
  });
});

describe('optim.multiTransform', () => {
  it('uses a learning rate per group and freezes a group', () => {
    const p = params([0, 0, 0, 0, 0, 0]);
    const g = params([1, 2, 3, 4, 5, 6]);
    const opt = multiTransform({ fast: sgd(1), frozen: setToZero() }, (path) =>
      path === 'w' ? 'fast' : 'frozen',
    );
    const [u, s] = opt.update(g, opt.init(p), p);
    expect(values(u)).toEqual([-1, -2, -3, -4, 0, 0]);
    expect(Object.keys(s)).toEqual(['fast', 'frozen']);
  });

  it('names a parameter whose label has no transform', () => {
    const opt = multiTransform({ a: sgd(1) }, () => 'b' as 'a');
    expect(() => opt.init(params([0, 0, 0, 0, 0, 0]))).toThrow(
      'optim.multiTransform: parameter "w" got label "b", which has no transform (have "a")',
    );
  });
});

describe('optim.scaleBySchedule', () => {
  it('multiplies by the schedule at counts 0, 1, 2', () => {
    const p = { x: tensor([1]) };
    const opt = chain(
      sgd(1),
      scaleBySchedule((count) => count.item() + 1),
    );
    let state = opt.init(p);
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      const [u, s] = opt.update(p, state, p);
      seen.push(u.x.item());
      state = s;
    }
    expect(seen).toEqual([-1, -2, -3]);
  });
});
