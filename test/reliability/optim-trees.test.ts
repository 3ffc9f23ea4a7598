/**
 * Issue 11 item 3: optimizers check the structure, keys, shapes and dtypes of params, grads
 * and state before any work, naming the optimizer and the path, and leak nothing.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.ts';

const { optim } = tg;
const params = () => ({ w: tg.zeros([2, 3]), b: tg.zeros([2, 3]) });
const live = () => tg.memory().cpu?.tensors ?? 0;

describe('optimizer tree checks', () => {
  const optimizers = [
    optim.sgd(0.1),
    optim.momentum(0.1),
    optim.adam(0.1),
    optim.adamw(0.1),
    optim.rmsprop(0.1, { momentum: 0.5 }),
  ];

  it.each(optimizers.map((o) => [o.name, o] as const))(
    '%s names the path at fault and frees nothing',
    (name, opt) => {
      const p = params();
      const state = opt.init(p) as never;
      const before = live();
      const renamed = { bias: tg.zeros([2, 3]), weight: tg.zeros([2, 3]) } as never;
      expect(() => opt.update(renamed, state, p as never)).toThrow(
        `optim.${name}: grads has keys {bias, weight} but params has {w, b}; unexpected: bias, weight; missing: w, b`,
      );
      const narrow = { w: tg.zeros([2, 3]), b: tg.zeros([3]) } as never;
      expect(() => opt.update(narrow, state, p as never)).toThrow(
        `optim.${name}: grads.b is f32[3] but params.b is f32[2, 3]`,
      );
      const extra = { w: tg.zeros([2, 3]), b: tg.zeros([2, 3]), c: tg.zeros([1]) } as never;
      expect(() => opt.update(extra, state, p as never)).toThrow(`optim.${name}: grads has keys {w, b, c}`);
      const f64 = { w: tg.zeros([2, 3], { dtype: 'f64' }), b: tg.zeros([2, 3]) } as never;
      expect(() => opt.update(f64, state, p as never)).toThrow(
        `optim.${name}: grads.w is f64[2, 3] but params.w is f32[2, 3]`,
      );
      expect(live()).toBe(before + 9); // only the grads this test made
    },
  );

  it('checks the state against the grads when no params are given', () => {
    const opt = optim.adam(0.1);
    const state = opt.init(params());
    expect(() => opt.update({ w: tg.zeros([2, 3]), b: tg.zeros([2]) } as never, state)).toThrow(
      'optim.adam: grads.b is f32[2] but state.mu.b is f32[2, 3]',
    );
    expect(() => opt.update(params(), { ...state, count: tg.zeros([]) } as never)).toThrow(
      'optim.adam: state.count must be the i32 scalar init() made, got a tensor f32[]',
    );
    expect(() => opt.update(params(), optim.sgd(0.1).init(params()) as never, params())).toThrow(
      'optim.adam: state.mu is missing; pass the state this optimizer',
    );
  });

  it('keeps working for matching trees, in any leaf order the params have', () => {
    const opt = optim.sgd(0.5);
    const p = { b: tg.tensor([1, 2]), w: tg.tensor([[3]]) };
    const [u] = opt.update({ b: tg.tensor([2, 2]), w: tg.tensor([[4]]) }, opt.init(p), p);
    const next = optim.applyUpdates(p, u);
    expect(Array.from(next.b.dataSync())).toEqual([0, 1]);
    expect(Array.from(next.w.dataSync())).toEqual([1]);
    expect(() => optim.applyUpdates(p, { w: u.w, b: u.b })).toThrow(
      'optim.applyUpdates: updates has keys in the order {w, b} but params in {b, w}',
    );
  });
});
