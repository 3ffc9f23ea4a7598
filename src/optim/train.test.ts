/** Training loops end to end: memory stays flat, and an MLP learns two moons. */
import { describe, expect, it } from 'vitest';
import { memory } from '../core/memory.ts';
import type { Tensor } from '../core/tensor.ts';
import { dense } from '../nn/dense.ts';
import { accuracy, softmaxCrossEntropy } from '../nn/losses.ts';
import { relu, tanh } from '../ops/activations.ts';
import { full, zeros } from '../ops/creation.ts';
import { add, cos, mul, sin, sub } from '../ops/elementwise.ts';
import { concat } from '../ops/shape.ts';
import * as random from '../random/index.ts';
import { valueAndGrad } from '../transforms/api.ts';
import { scope } from '../transforms/scope-api.ts';
import type { Optimizer } from './optimizers.ts';
import { adam, applyUpdates } from './optimizers.ts';
import { leavesOf } from './tree.ts';

const key = random.key(0);
const [k1, k2, k3, k4, k5] = random.splitKeys(key, { num: 5 }) as [
  random.Key,
  random.Key,
  random.Key,
  random.Key,
  random.Key,
];

function mlpInit(k: random.Key, hidden: number) {
  const [a, b, c] = random.splitKeys(k, { num: 3 }) as [random.Key, random.Key, random.Key];
  return {
    l1: dense.init(a, { in: 2, out: hidden }),
    l2: dense.init(b, { in: hidden, out: hidden }),
    l3: dense.init(c, { in: hidden, out: 2 }),
  };
}
type Mlp = ReturnType<typeof mlpInit>;
const mlp = (p: Mlp, x: Tensor<[number, 2], 'f32'>) => dense(p.l3, relu(dense(p.l2, tanh(dense(p.l1, x)))));
const lossFn = (p: Mlp, x: Tensor<[number, 2], 'f32'>, y: Tensor<[number], 'i32'>) =>
  softmaxCrossEntropy(mlp(p, x), y);

/** Frees the tensors of `old` that `next` does not hold. */
function disposeStale(old: unknown, next: unknown) {
  const keep = new Set(leavesOf(next));
  for (const t of leavesOf(old)) if (!keep.has(t)) t.dispose();
}

function trainStep<K extends Optimizer['name']>(
  opt: Optimizer<K>,
  params: Mlp,
  state: ReturnType<Optimizer<K>['init']>,
  x: Tensor<[number, 2], 'f32'>,
  y: Tensor<[number], 'i32'>,
) {
  return scope(() => {
    const [loss, g] = valueAndGrad(lossFn)(params, x, y);
    const [u, s] = opt.update(g, state as never, params);
    return { loss, params: applyUpdates(params, u), state: s };
  });
}

/** Two interleaving half circles with noise, labels 0 and 1 (made with keys). */
function twoMoons(n: number) {
  const t0 = random.uniform(k1, [n, 1], { maxval: Math.PI });
  const t1 = random.uniform(k2, [n, 1], { maxval: Math.PI });
  const upper = concat([cos(t0), sin(t0)], { axis: 1 });
  const lower = concat([sub(1, cos(t1)), sub(0.5, sin(t1))], { axis: 1 });
  const noise = mul(random.normal(k3, [2 * n, 2]), 0.1);
  const x = add(concat([upper, lower], { axis: 0 }), noise) as Tensor<[number, 2], 'f32'>;
  const y = concat([zeros([n], { dtype: 'i32' }), full([n], 1, { dtype: 'i32' })], { axis: 0 }) as Tensor<
    [number],
    'i32'
  >;
  return { x, y };
}

describe('training loops', () => {
  it('keep memory() flat over 1000 Adam steps (scope per step, old params disposed)', () => {
    const opt = adam(1e-2);
    const { x, y } = twoMoons(16);
    let params = mlpInit(k4, 8);
    let state = opt.init(params);
    let after10 = memory().cpu;
    for (let step = 1; step <= 1000; step++) {
      const next = trainStep(opt, params, state, x, y);
      next.loss.dispose();
      disposeStale({ params, state }, next);
      params = next.params;
      state = next.state;
      if (step === 10) after10 = memory().cpu;
    }
    expect(memory().cpu).toEqual(after10);
    expect(state.count.item()).toBe(1000);
  });

  it('an MLP learns two moons to > 95% accuracy with a few hundred Adam steps', () => {
    const { x, y } = twoMoons(200);
    const opt = adam(0.02);
    let params = mlpInit(k5, 16);
    let state = opt.init(params);
    const t0 = Date.now();
    for (let step = 0; step < 300; step++) {
      const next = trainStep(opt, params, state, x, y);
      disposeStale({ params, state }, next);
      params = next.params;
      state = next.state;
    }
    const acc = accuracy(mlp(params, x), y).item();
    expect(acc).toBeGreaterThan(0.95);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
