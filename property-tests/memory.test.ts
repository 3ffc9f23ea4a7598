/**
 * Transforms own their intermediates: grad of a 1000-op function leaves no live tensors
 * but its results; 10,000 eager ops inside `scope` leave memory where it started.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.ts';
import {
  add,
  grad,
  jit,
  memory,
  mul,
  scope,
  sin,
  sum,
  tanh,
  tensor,
  valueAndGrad,
  vjp,
} from '../src/index.ts';

const live = () => memory().cpu?.tensors ?? 0;
const bytes = () => memory().cpu?.bytes ?? 0;

/** 1000 primitive applications (250 rounds of 4 ops). */
function longChain(x: Tensor): Tensor<[], 'f64'> {
  let h = x;
  for (let i = 0; i < 250; i++) h = add(mul(tanh(h), 0.9), mul(sin(h), 0.1)) as Tensor;
  return sum(h) as Tensor<[], 'f64'>;
}

describe('memory', () => {
  // BUG (src/transforms/api.ts + vjp.ts): grad discards the primal output but
  // valueAndGradImpl keeps it alive (it is collected into the keep set), so every top-level
  // grad call leaves one extra live tensor (freed only by the FinalizationRegistry).
  // Marked as an expected failure until fixed; remove `.fails` then.
  it('grad of a 1000-op function leaves only its result alive', () => {
    const x = tensor([0.1, -0.2, 0.3, 0.4], { dtype: 'f64' }) as Tensor;
    const before = live();
    const g = grad(longChain)(x);
    try {
      expect(live()).toBe(before + 1);
    } finally {
      g.dispose();
    }
  });

  it('valueAndGrad of a 1000-op function leaves only its results alive (and grad does inside a scope)', () => {
    const x = tensor([0.1, -0.2, 0.3, 0.4], { dtype: 'f64' }) as Tensor;
    const before = live();
    const [v, g] = valueAndGrad(longChain)(x);
    expect(live()).toBe(before + 2);
    v.dispose();
    g.dispose();
    expect(live()).toBe(before);
    const r = scope(() => grad(longChain)(x));
    expect(live()).toBe(before + 1);
    r.dispose();
  });

  it('vjp keeps its residuals only while the pullback is used; jit keeps only its constants', () => {
    const x = tensor([0.1, -0.2, 0.3], { dtype: 'f64' }) as Tensor;
    const before = live();
    scope(() => {
      const [y, pullback] = vjp(longChain, x);
      const [ct] = pullback(tensor([1], [], { dtype: 'f64' }) as never);
      expect(ct.shape).toEqual([3]);
      expect(y.shape).toEqual([]);
      return 0;
    });
    expect(live()).toBe(before);
    const f = jit(longChain);
    const y1 = f(x);
    const afterFirst = live();
    for (let i = 0; i < 5; i++) f(x).dispose();
    expect(live()).toBe(afterFirst);
    y1.dispose();
  });

  it('10,000 eager ops inside scope leave memory where it started', () => {
    const before = { n: live(), b: bytes() };
    const out = scope(() => {
      let h = tensor([1, 2, 3, 4], { dtype: 'f64' }) as Tensor;
      for (let i = 0; i < 5000; i++) h = add(mul(h, 0.999), 0.001) as Tensor;
      return h.toArray();
    });
    expect((out as number[]).length).toBe(4);
    expect(live()).toBe(before.n);
    expect(bytes()).toBe(before.b);
  });

  it('a training loop keeps live tensors flat (scope + dispose, and jit with donation)', () => {
    const x = tensor([1, 2], { dtype: 'f64' }) as Tensor;
    const lossOf = (w: Tensor) => sum(mul(tanh(mul(w, x)), tanh(mul(w, x)))) as Tensor<[], 'f64'>;
    let w = tensor([0.5, -0.5], { dtype: 'f64' }) as Tensor;
    const start = live();
    for (let i = 0; i < 200; i++) {
      const next = scope(() => add(w, mul(grad(lossOf)(w), -0.1)) as Tensor);
      w.dispose();
      w = next;
    }
    expect(live()).toBe(start);
    const step = jit((w: Tensor) => add(w, mul(grad(lossOf)(w), -0.1)) as Tensor, { donate: [0] });
    w = step(w);
    const afterCompile = live();
    for (let i = 0; i < 200; i++) w = step(w);
    expect(live()).toBe(afterCompile);
    expect(w.isDisposed).toBe(false);
  });
});

describe('donation', () => {
  it('using a donated input is an error that says it was donated', () => {
    const step = jit((w: Tensor) => mul(w, 2) as Tensor, { donate: [0] });
    const w = tensor([1, 2], { dtype: 'f64' }) as Tensor;
    const w2 = step(w);
    expect(w.isDisposed).toBe(true);
    expect(() => add(w, 1)).toThrow(
      'add: tensor f64[2] was donated to a jitted function (jit donate) and freed',
    );
    expect(Array.from(w2.dataSync() as Float64Array)).toEqual([2, 4]);
  });
});

describe('jit cache', () => {
  it('clearCache frees the constants made while tracing, never the captured tensors', () => {
    const captured = tensor([1, 2], { dtype: 'f64' }) as Tensor;
    const f = jit((x: Tensor) => mul(add(x, captured), 3) as Tensor);
    const x = tensor([1, 1], { dtype: 'f64' }) as Tensor;
    const before = live();
    const y = f(x);
    expect(Array.from(y.dataSync() as Float64Array)).toEqual([6, 9]);
    y.dispose();
    expect(live()).toBeGreaterThan(before); // the traced constant 3 is cached
    f.clearCache();
    expect(live()).toBe(before);
    expect(captured.isDisposed).toBe(false);
    expect(f.cacheSize).toBe(0);
  });
});
