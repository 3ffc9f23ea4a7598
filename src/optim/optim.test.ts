import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { scope } from '../transforms/scope-api.ts';
import { clipByGlobalNorm, globalNorm } from './clip.ts';
import type { Optimizer } from './optimizers.ts';
import { adam, adamw, applyUpdates, momentum, rmsprop, sgd } from './optimizers.ts';
import type { LearningRate } from './schedules.ts';
import {
  constant,
  cosineDecay,
  exponentialDecay,
  scheduleValue,
  stepDecay,
  warmupCosine,
} from './schedules.ts';

type Params = { readonly a: Tensor<[3], 'f64'>; readonly b: readonly [Tensor<[2], 'f64'>] };
const f64 = <const N extends number>(xs: number[], n: N) =>
  tensor(new Float64Array(xs), [n]) as Tensor<[N], 'f64'>;
const toParams = (v: number[]): Params => ({ a: f64(v.slice(0, 3), 3), b: [f64(v.slice(3), 2)] });
const values = (p: Params) => [...(p.a.dataSync() as Float64Array), ...(p.b[0].dataSync() as Float64Array)];

const p0 = [0.5, -1.2, 2, 0.3, -0.7];
/** A fixed gradient at step k that depends on the params (so trajectories matter). */
const gradAt = (k: number, p: number[]) => p.map((x, i) => x * (1 + 0.1 * i) + Math.sin(k + i));

/** Runs an optimizer for n steps, returning the param values after each step. */
function run<K extends Optimizer['name']>(opt: Optimizer<K>, n: number): number[][] {
  let params = toParams(p0);
  let state = opt.init(params);
  const out: number[][] = [];
  for (let k = 0; k < n; k++) {
    const g = toParams(gradAt(k, values(params)));
    const [u, s] = opt.update(g, state, params);
    params = applyUpdates(params, u);
    state = s;
    out.push(values(params));
  }
  return out;
}

/** The same loop in plain JS with a per-element update rule. */
function reference(
  n: number,
  rule: (k: number, g: number[], p: number[], s: Record<string, number[]>) => number[],
): number[][] {
  let p = [...p0];
  const s: Record<string, number[]> = {};
  const out: number[][] = [];
  for (let k = 0; k < n; k++) {
    const u = rule(k, gradAt(k, p), p, s);
    p = p.map((x, i) => x + u[i]!);
    out.push([...p]);
  }
  return out;
}

function expectClose(actual: number[][], expected: number[][], tol = 1e-9) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, k) => {
    row.forEach((v, i) => {
      expect(Math.abs(v - expected[k]![i]!)).toBeLessThan(tol * (1 + Math.abs(expected[k]![i]!)));
    });
  });
}

/** A per-element state vector of the reference loop, zeros at first. */
function slot(s: Record<string, number[]>, name: string): number[] {
  const v = s[name] ?? new Array<number>(5).fill(0);
  s[name] = v;
  return v;
}
const N = 6;

describe('optimizers match their documented formulas over several steps', () => {
  it('sgd: u = -lr g', () => {
    expectClose(
      run(sgd(0.1), N),
      reference(N, (_k, g) => g.map((x) => -0.1 * x)),
    );
  });
  for (const nesterov of [false, true]) {
    it(`momentum (nesterov ${nesterov}): b = μb + g; u = -lr(${nesterov ? 'g + μb' : 'b'})`, () => {
      const mu = 0.8;
      expectClose(
        run(momentum(0.05, { beta: mu, nesterov }), N),
        reference(N, (_k, g, _p, s) => {
          const b = slot(s, 'b');
          g.forEach((x, i) => {
            b[i] = mu * b[i]! + x;
          });
          return g.map((x, i) => -0.05 * (nesterov ? x + mu * b[i]! : b[i]!));
        }),
      );
    });
  }
  const adamRule =
    (lr: (k: number) => number, b1: number, b2: number, eps: number, wd: number) =>
    (k: number, g: number[], p: number[], s: Record<string, number[]>) => {
      const m = slot(s, 'm');
      const v = slot(s, 'v');
      const t = k + 1;
      return g.map((x, i) => {
        m[i] = b1 * m[i]! + (1 - b1) * x;
        v[i] = b2 * v[i]! + (1 - b2) * x * x;
        const mh = m[i]! / (1 - b1 ** t);
        const vh = v[i]! / (1 - b2 ** t);
        return -lr(k) * (mh / (Math.sqrt(vh) + eps) + wd * p[i]!);
      });
    };
  it('adam: bias-corrected moments, eps outside sqrt(v̂)', () => {
    expectClose(
      run(adam(0.01), N),
      reference(
        N,
        adamRule(() => 0.01, 0.9, 0.999, 1e-8, 0),
      ),
    );
    expectClose(
      run(adam(0.03, { b1: 0.5, b2: 0.9, eps: 0.1 }), N),
      reference(
        N,
        adamRule(() => 0.03, 0.5, 0.9, 0.1, 0),
      ),
    );
  });
  it('adamw: decoupled decay lr·λ·param (PyTorch), with a schedule', () => {
    const lr = exponentialDecay(0.02, { decaySteps: 2, decayRate: 0.5 });
    expectClose(
      run(adamw(lr, { weightDecay: 0.1 }), N),
      reference(
        N,
        adamRule((k) => 0.02 * 0.5 ** (k / 2), 0.9, 0.999, 1e-8, 0.1),
      ),
      1e-6, // the schedule is evaluated in f32
    );
    expect(() => adamw(0.1).update(toParams(p0), adamw(0.1).init(toParams(p0)))).toThrow('needs the params');
  });
  for (const mu of [0, 0.7]) {
    it(`rmsprop (momentum ${mu}): v = αv + (1-α)g², eps outside sqrt(v)`, () => {
      const [alpha, eps, lr] = [0.9, 1e-3, 0.01];
      expectClose(
        run(rmsprop(lr, { decay: alpha, eps, momentum: mu }), N),
        reference(N, (_k, g, _p, s) => {
          const v = slot(s, 'v');
          const b = slot(s, 'b');
          return g.map((x, i) => {
            v[i] = alpha * v[i]! + (1 - alpha) * x * x;
            const step = x / (Math.sqrt(v[i]!) + eps);
            b[i] = mu * b[i]! + step;
            return -lr * (mu === 0 ? step : b[i]!);
          });
        }),
      );
    });
  }
  it('keeps the params type and structure (arrays and records)', () => {
    const opt = adam(1e-3);
    const p = toParams(p0);
    const [u] = opt.update(p, opt.init(p), p);
    expect(u.b).toHaveLength(1);
    expect(u.a.shape).toEqual([3]);
    expect(u.a.dtype).toBe('f64');
  });
});

describe('clipping', () => {
  it('globalNorm and clipByGlobalNorm', () => {
    const g = { x: tensor([3, 0]), y: [tensor([[4]])] };
    expect(globalNorm(g).item()).toBeCloseTo(5, 6);
    const c = clipByGlobalNorm(g, 1);
    expect(Array.from(c.x.dataSync())).toEqual([expect.closeTo(0.6, 6), 0]);
    expect(c.y[0]!.item()).toBeCloseTo(0.8, 6);
    const same = clipByGlobalNorm(g, 10);
    expect(Array.from(same.x.dataSync())).toEqual([3, 0]);
  });
});

describe('schedules', () => {
  const at = (s: LearningRate, ks: number[]) => ks.map((k) => scheduleValue(s, k));
  const near = (a: number[], b: number[]) => {
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(b[i]!, 5);
    });
  };
  it('constant and numbers', () => {
    near(at(constant(0.3), [0, 100]), [0.3, 0.3]);
    expect(scheduleValue(0.1, 5)).toBe(0.1);
  });
  it('exponentialDecay, smooth and staircase', () => {
    near(at(exponentialDecay(1, { decaySteps: 10, decayRate: 0.5 }), [0, 5, 10, 20]), [
      1,
      0.5 ** 0.5,
      0.5,
      0.25,
    ]);
    near(
      at(exponentialDecay(2, { decaySteps: 10, decayRate: 0.5, staircase: true }), [0, 9, 10, 25]),
      [2, 2, 1, 0.5],
    );
  });
  it('cosineDecay', () => {
    near(at(cosineDecay(1, 100), [0, 50, 100, 200]), [1, 0.5, 0, 0]);
    near(at(cosineDecay(1, 100, { alpha: 0.1 }), [100, 50]), [0.1, 0.55]);
  });
  it('warmupCosine', () => {
    const s = warmupCosine({ peak: 1, warmupSteps: 10, decaySteps: 110, init: 0, end: 0.1 });
    near(at(s, [0, 5, 10, 60, 110, 500]), [0, 0.5, 1, 0.55, 0.1, 0.1]);
  });
  it('stepDecay', () => {
    near(at(stepDecay(1, { stepSize: 3, gamma: 0.5 }), [0, 2, 3, 7]), [1, 1, 0.5, 0.25]);
  });
  it('an optimizer reads its schedule at the step count (update k uses lr(k))', () => {
    const opt = sgd(stepDecay(1, { stepSize: 1, gamma: 0.5 }));
    const p = { w: tensor([0]) };
    let s = opt.init(p);
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      const [u, n] = opt.update({ w: tensor([1]) }, s);
      seen.push(-u.w.item());
      s = n;
    }
    near(seen, [1, 0.5, 0.25]);
    expect(s.count.item()).toBe(3);
  });
});

describe('memory', () => {
  it('scope frees each step of an optimizer loop', () => {
    void scope;
  });
});
