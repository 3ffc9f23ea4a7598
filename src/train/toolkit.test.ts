/**
 * The toolkit's pieces together, through the public barrel: a jitted step over `batches`
 * batches with `chain(clipByGlobalNorm, adam)`, trained by `fit`, scored by `evaluate`.
 */
import { describe, expect, it } from 'vitest';
import { data, jit, nn, optim, random, type Tensor, tensor, train, valueAndGrad } from '../index.ts';

// Two separable classes in 2-D: label 1 when x0 + x1 > 0.
const n = 64;
const xs = new Float32Array(2 * n);
const ys = new Int32Array(n);
for (let i = 0; i < n; i++) {
  const a = Math.sin(i * 1.7) * 2;
  const b = Math.cos(i * 0.9) * 2;
  xs[2 * i] = a;
  xs[2 * i + 1] = b;
  ys[i] = a + b > 0 ? 1 : 0;
}
const set = { x: tensor(xs, [n, 2]), y: tensor(ys, [n], { dtype: 'i32' }) };
type Batch = { x: Tensor<[number, 2], 'f32'>; y: Tensor<[number], 'i32'> };
type P = nn.DenseParams<2, 2>;

describe('toolkit end to end', () => {
  it('fits a classifier with a jitted step and evaluates it', async () => {
    const p0: P = nn.dense.init(random.key(1), { in: 2, out: 2 });
    const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam(0.1));
    const lossFn = (p: P, b: Batch) => nn.softmaxCrossEntropy(nn.dense(p, b.x), b.y);
    const step = jit((p: P, s: ReturnType<typeof opt.init>, b: Batch) => {
      const [loss, g] = valueAndGrad(lossFn)(p, b);
      const [u, s2] = opt.update(g, s, p);
      return { params: optim.applyUpdates(p, u), state: s2, loss };
    });
    const forward = (p: P, b: Batch) => ({ logits: nn.dense(p, b.x), labels: b.y });
    const { params, history } = await train.fit({
      params: p0,
      state: opt.init(p0),
      step,
      batches: (e) => data.batches(set, { batchSize: 16, key: [e, 3] }),
      epochs: 15,
      evaluate: {
        batches: () => data.batches(set, { batchSize: 40 }),
        forward,
        metrics: [train.accuracy(), train.crossEntropy()],
      },
      progress: 'silent',
    });
    expect(history).toHaveLength(15);
    expect(history[14]!.train.loss).toBeLessThan(history[0]!.train.loss);
    expect(history[14]!.eval!.accuracy).toBeGreaterThanOrEqual(0.95);
    const again = await train.evaluate(params, data.batches(set, { batchSize: 64 }), {
      forward,
      metrics: [train.accuracy()],
    });
    expect(again.accuracy).toBe(history[14]!.eval!.accuracy);
    expect(nn.summary(params).totalCount).toBe(6);
  });
});
