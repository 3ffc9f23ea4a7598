import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import * as random from '../random/index.ts';
import { grad } from '../transforms/api.ts';
import * as init from './init.ts';
import { accuracy, mse, sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './losses.ts';

const flat = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>);
const lse = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const i32 = (xs: number[]) => tensor(xs, [xs.length], { dtype: 'i32' });

describe('softmaxCrossEntropy', () => {
  it('is the mean negative log-softmax of the labels', () => {
    const l = softmaxCrossEntropy(
      tensor([
        [1, 2, 3],
        [1, 1, 1],
      ]),
      i32([2, 0]),
    );
    expect(l.item()).toBeCloseTo((lse([1, 2, 3]) - 3 + Math.log(3)) / 2, 5);
  });
  it('with label smoothing ε mixes in ε / C of every class', () => {
    const rows = [
      [1, -2, 0.5, 3],
      [0, 0.2, -1, 1],
    ];
    const labels = [3, 1];
    const eps = 0.1;
    const expected =
      rows
        .map((r, b) => {
          const logp = r.map((x) => x - lse(r));
          return -logp.reduce((acc, lp, c) => acc + ((c === labels[b] ? 1 - eps : 0) + eps / 4) * lp, 0);
        })
        .reduce((a, x) => a + x, 0) / 2;
    const l = softmaxCrossEntropy(tensor(rows), i32(labels), { labelSmoothing: eps });
    expect(l.item()).toBeCloseTo(expected, 5);
  });
  it('is finite with finite gradients for logits of 1e4', () => {
    const logits = tensor([[1e4, 0, -1e4]]);
    expect(softmaxCrossEntropy(logits, i32([0])).item()).toBeCloseTo(0, 5);
    expect(softmaxCrossEntropy(logits, i32([1])).item()).toBeCloseTo(1e4, 1);
    const g = grad((x: typeof logits) => softmaxCrossEntropy(x, i32([1])))(logits);
    const gv = flat(g);
    expect(gv.every(Number.isFinite)).toBe(true);
    // softmax - onehot = [1, -1, 0]
    expect(gv[0]).toBeCloseTo(1, 5);
    expect(gv[1]).toBeCloseTo(-1, 5);
    expect(gv[2]).toBeCloseTo(0, 5);
  });
  it('checks shapes and dtypes at run time', () => {
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), i32([0, 1]) as never)).toThrow(
      'nn.softmaxCrossEntropy: batch dims 1 and 2 differ',
    );
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), tensor([0]) as never)).toThrow('i32');
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), i32([0]), { labelSmoothing: 1 })).toThrow('[0, 1)');
  });
});

describe('mse', () => {
  it('is the mean of squared differences', () => {
    expect(mse(tensor([1, 2, 3]), tensor([1, 0, 6])).item()).toBeCloseTo((0 + 4 + 9) / 3, 6);
  });
  it('rejects different shapes', () => {
    expect(() => mse(tensor([1, 2, 3]), tensor([1]) as never)).toThrow('mse');
  });
});

describe('sigmoidBinaryCrossEntropy', () => {
  it('equals -t log σ(x) - (1 - t) log(1 - σ(x)), stably', () => {
    const x = [1e4, -1e4, 0, 2, -3, 1e4];
    const t = [1, 0, 0.5, 0, 1, 0];
    const expected = x.reduce((a, xi, i) => a + softplus(xi) - xi * t[i]!, 0) / x.length;
    const l = sigmoidBinaryCrossEntropy(tensor(x), tensor(t));
    expect(l.item()).toBeCloseTo(expected, 2);
    expect(expected).toBeCloseTo((Math.log(2) + softplus(2) + softplus(3) + 1e4) / 6, 6);
    const g = flat(grad((v: Tensor<[number], 'f32'>) => sigmoidBinaryCrossEntropy(v, tensor(t)))(tensor(x)));
    // d/dx = (σ(x) - t) / n
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    g.forEach((gi, i) => {
      expect(gi).toBeCloseTo((sig(x[i]!) - t[i]!) / 6, 5);
    });
  });
});

describe('accuracy', () => {
  it('is the fraction of correct argmaxes', () => {
    const logits = tensor([
      [0.1, 0.9],
      [2, 1],
      [0, 5],
      [3, 3.5],
    ]);
    expect(accuracy(logits, i32([1, 0, 0, 0])).item()).toBeCloseTo(0.5, 6);
  });
});

describe('initialisers', () => {
  const key = random.key(3);
  const stats = (t: Tensor) => {
    const v = flat(t);
    const m = v.reduce((a, x) => a + x, 0) / v.length;
    const s2 = v.reduce((a, x) => a + (x - m) ** 2, 0) / v.length;
    return { m, sd: Math.sqrt(s2), maxAbs: Math.max(...v.map(Math.abs)) };
  };
  it('computes fans for dense [in, out] and conv OIHW', () => {
    expect(init.fans([784, 512])).toEqual({ fanIn: 784, fanOut: 512 });
    expect(init.fans([16, 6, 5, 5])).toEqual({ fanIn: 150, fanOut: 400 });
    expect(init.fans([7])).toEqual({ fanIn: 7, fanOut: 7 });
  });
  it('draws with the documented bounds and standard deviations', () => {
    const shape = [200, 100] as const;
    const cases: [init.Initializer, 'u' | 'n', number][] = [
      [init.glorotUniform, 'u', Math.sqrt(6 / 300)],
      [init.glorotNormal, 'n', Math.sqrt(2 / 300)],
      [init.heUniform, 'u', Math.sqrt(6 / 200)],
      [init.heNormal, 'n', Math.sqrt(2 / 200)],
      [init.lecunUniform, 'u', Math.sqrt(3 / 200)],
      [init.lecunNormal, 'n', Math.sqrt(1 / 200)],
      [init.uniform({ scale: 0.3 }), 'u', 0.3],
      [init.normal({ std: 0.02 }), 'n', 0.02],
    ];
    for (const [f, kind, p] of cases) {
      const s = stats(f(key, shape));
      expect(Math.abs(s.m)).toBeLessThan(p * 0.05);
      if (kind === 'u') {
        expect(s.maxAbs).toBeLessThanOrEqual(p);
        expect(s.sd).toBeCloseTo(p / Math.sqrt(3), 2);
      } else {
        expect(s.sd / p).toBeGreaterThan(0.97);
        expect(s.sd / p).toBeLessThan(1.03);
      }
    }
  });
  it('zeros, ones, constant and dtype', () => {
    expect(flat(init.zeros(key, [3]))).toEqual([0, 0, 0]);
    expect(flat(init.ones(key, [2]))).toEqual([1, 1]);
    expect(flat(init.constant(0.5)(key, [2]))).toEqual([0.5, 0.5]);
    expect(init.heNormal(key, [3, 3], { dtype: 'f64' }).dtype).toBe('f64');
  });
});
