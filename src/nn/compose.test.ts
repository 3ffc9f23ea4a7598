/**
 * Models composed with fp-ts `pipe`/`flow` are the same functions as the nested calls: equal
 * values, equal gradients, and they go through `jit` and `grad` unchanged, with the composed
 * type the shape rule of the whole model.
 */
import { flow, pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { relu, tanh } from '../ops/activations.ts';
import { tensor } from '../ops/creation.ts';
import { maxPool2d } from '../ops/pool.ts';
import { mean, sum } from '../ops/reductions.ts';
import type { Key } from '../random/index.ts';
import { key, normal, splitKeys } from '../random/index.ts';
import { grad } from '../transforms/api.ts';
import { jit } from '../transforms/jit.ts';
import { conv2d } from './conv.ts';
import { type DenseParams, dense } from './dense.ts';
import { flatten } from './flatten.ts';
import { softmaxCrossEntropy } from './losses.ts';

interface Mlp {
  readonly l1: DenseParams<4, 8>;
  readonly l2: DenseParams<8, 3>;
}

const [k1, k2, kx] = splitKeys(key(3), { num: 3 }) as [Key, Key, Key];
const p: Mlp = { l1: dense.init(k1, { in: 4, out: 8 }), l2: dense.init(k2, { in: 8, out: 3 }) };
const x = normal(kx, [5, 4]);
const labels = tensor([0, 1, 2, 1, 0], { dtype: 'i32' });

const nested = (q: Mlp, v: Tensor<[number, 4]>) => dense(q.l2, tanh(dense(q.l1, v)));
const composed = (q: Mlp) =>
  flow(
    (v: Tensor<[number, 4]>) => dense(q.l1, v),
    tanh,
    (h) => dense(q.l2, h),
  );
const piped = (q: Mlp, v: Tensor<[number, 4]>) =>
  pipe(
    v,
    (u) => dense(q.l1, u),
    tanh,
    (h) => dense(q.l2, h),
  );

const close = (a: Tensor, b: Tensor) => {
  const [u, v] = [a.dataSync(), b.dataSync()];
  expect(u.length).toBe(v.length);
  u.forEach((e, i) => {
    expect(e).toBeCloseTo(v[i]!, 6);
  });
};

describe('models composed with pipe and flow', () => {
  it('equal the nested calls, with the composed type', () => {
    const y: Tensor<[number, 3]> = composed(p)(x);
    close(y, nested(p, x));
    close(piped(p, x), nested(p, x));
    expect(y.shape).toEqual([5, 3]);
  });

  it('have the gradients of the nested calls, under grad and jit', () => {
    const lossOf = (f: (q: Mlp, v: Tensor<[number, 4]>) => Tensor<[number, 3]>) => (q: Mlp) =>
      softmaxCrossEntropy(f(q, x), labels);
    const want = grad(lossOf(nested))(p);
    const got = jit(grad(lossOf((q, v) => composed(q)(v))))(p);
    close(got.l1.w, want.l1.w);
    close(got.l2.b, want.l2.b);
    close(jit(grad(lossOf(piped)))(p).l1.b, want.l1.b);
  });

  it('compose parameter-free stages (activations, pooling, flatten) with layers', () => {
    const c = conv2d.init(key(0), { in: 1, out: 2, kernel: 3 });
    const img = normal(key(1), [2, 1, 6, 6]);
    const model = flow(
      (v: Tensor<[2, 1, 6, 6]>) => conv2d(c, v, { padding: 1 }),
      relu,
      (h) => maxPool2d(h, { window: 2 }),
      flatten,
    );
    const y: Tensor<[2, 18]> = model(img);
    const byHand = flatten(maxPool2d(relu(conv2d(c, img, { padding: 1 })), { window: 2 }));
    close(y, byHand);
    expect(mean(y).item()).toBeCloseTo(sum(byHand).item() / 36, 6);
  });
});
