/**
 * Issue 11: transform options that used to be ignored, clamped or pass vacuously are errors:
 * scan length, vmap outAxes, checkGrads args/modes/directions and a check comparing nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { checkGrads } from '../../src/testing/check-grads.ts';

type V = Tensor<[3], 'f32'>;

describe('transform options', () => {
  it('scan length must be a non-negative integer', () => {
    const body = (c: Tensor) => [tg.add(c, 1), c] as [Tensor, Tensor];
    for (const length of [-1, 2.5, Number.NaN])
      expect(() => tg.scan(body as never, tg.zeros([]), undefined, { length } as never)).toThrow(
        `scan: length must be a non-negative integer, got ${length}`,
      );
  });

  it('vmap outAxes out of range (no silent clamp) or not an integer', () => {
    const xs = tg.ones([2, 3]);
    expect(() => tg.vmap((x: V) => tg.mul(x, 2), { outAxes: 5 })(xs)).toThrow(
      'vmap: outAxes 5 is out of range for output 0 of rank 1 (use an axis in [-2, 1])',
    );
    expect(() => tg.vmap((x: V) => x, { outAxes: 0.5 })).toThrow(
      'vmap: outAxes must be an integer or null, got 0.5',
    );
    const moved = tg.vmap((x: V) => tg.mul(x, 2), { outAxes: -1 })(xs) as Tensor;
    expect(moved.shape).toEqual([3, 2]);
  });

  it('checkGrads rejects non-array args, unknown modes, zero directions and checks of nothing', () => {
    const f = (x: Tensor) => tg.sum(tg.square(x));
    const x = tg.tensor([1, 2], { dtype: 'f64' });
    expect(() => checkGrads(f, x as never)).toThrow("checkGrads: args must be an array of f's arguments");
    expect(() => checkGrads(f, [x], { modes: ['bogus'] as never })).toThrow(
      `checkGrads: modes must be a non-empty list of 'fwd' and 'rev', got ["bogus"]`,
    );
    expect(() => checkGrads(f, [x], { directions: 0 })).toThrow(
      'checkGrads: directions must be a positive integer, got 0',
    );
    const ints = tg.tensor([1, 2], { dtype: 'i32' });
    expect(() => checkGrads((i: Tensor) => tg.sum(tg.cast(i, 'f64')), [ints])).toThrow(
      'checkGrads: nothing was compared',
    );
    expect(checkGrads(f, [x]).compared).toBeGreaterThan(0);
  });
});

describe('error paths free their intermediates', () => {
  const boom = (x: Tensor) => {
    tg.exp(tg.mul(x, 2)); // intermediates, then user code fails
    throw new Error('user code failed');
  };
  const cases: [string, () => Tensor[], (...ins: Tensor[]) => unknown][] = [
    ['vmap', () => [tg.ones([2, 3])], (x) => tg.vmap(boom)(x)],
    ['jvp', () => [tg.ones([3]), tg.ones([3])], (x, t) => tg.jvp(boom, [x!], [t!])],
    ['grad', () => [tg.ones([3])], (x) => tg.grad(boom as never)(x)],
    [
      'random.uniform',
      () => [tg.random.key(0)],
      (k) => tg.random.uniform(k as never, [3], { minval: 2, maxval: 1 }),
    ],
  ];
  it.each(cases)('%s', (_, make, call) => {
    const ins = make();
    const before = JSON.stringify(tg.memory());
    expect(() => call(...ins)).toThrow();
    expect(JSON.stringify(tg.memory())).toBe(before);
    for (const t of ins) t.dispose();
  });
});

describe('checkGrads and f32 constants made inside f', () => {
  it('says what happened and how to write it', () => {
    const f = (x: Tensor) => {
      const [c] = tg.scan((h: Tensor, xi: Tensor) => [tg.add(h, xi), h] as const, tg.zeros([2]), x);
      return tg.sum(c as Tensor);
    };
    expect(() => checkGrads(f as never, [tg.ones([3, 2])])).toThrow(
      /f runs on f64 copies of its float inputs, but a tensor f makes itself/,
    );
  });
});
