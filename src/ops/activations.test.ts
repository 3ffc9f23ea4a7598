/**
 * Known values of the activations on every backend (`describe.each` over test/backends'
 * backends, values read with `await t.data()`); bad-input cases, which throw before any
 * kernel runs, stay CPU-only at the end.
 */
import { describe, expect, it } from 'vitest';
import {
  backendsUnderTest,
  expectCloseTo,
  expectT,
  useBackend,
  values,
} from '../../test/backends/helpers.ts';
import {
  elu,
  gelu,
  leakyRelu,
  logSoftmax,
  relu,
  ShapeError,
  sigmoid,
  softmax,
  softplus,
  type Tensor,
  tanh,
  tensor,
} from '../index.ts';

const allFinite = async (t: Tensor) => (await values(t)).every(Number.isFinite);
const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('activations on $name', (backend) => {
  const it = useBackend(backend);

  describe('pointwise activations', () => {
    it('relu, and ints become f32', async () => {
      expect(await values(relu(tensor([-2, 0, 3])))).toEqual([0, 0, 3]);
      const r = relu(tensor(new Int32Array([-1, 2]), [2]));
      expect(r.dtype).toBe('f32');
      expect(await values(r)).toEqual([0, 2]);
    });

    it('sigmoid: known values and saturation at +-1000 without NaN', async () => {
      await expectCloseTo(sigmoid(tensor([0, 1, -1])), [0.5, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.E)]);
      expect(await values(sigmoid(tensor([1000, -1000])))).toEqual([1, 0]);
    });

    it('tanh: known values and saturation', async () => {
      await expectCloseTo(tanh(tensor([0, 0.5, -0.5])), [0, Math.tanh(0.5), -Math.tanh(0.5)]);
      expect(await values(tanh(tensor([1000, -1000])))).toEqual([1, -1]);
    });

    it('softplus: log(1 + e^x), softplus(1000) = 1000, softplus(-1000) = 0, no NaN', async () => {
      await expectCloseTo(softplus(tensor([0, 1, -1])), [
        Math.LN2,
        Math.log1p(Math.E),
        Math.log1p(1 / Math.E),
      ]);
      expect(await values(softplus(tensor([1000, -1000])))).toEqual([1000, 0]);
    });

    it('gelu (tanh approximation, as PyTorch approximate="tanh")', async () => {
      const g = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
      const xs = [-3, -1, 0, 1, 3];
      await expectCloseTo(gelu(tensor(xs), { approximate: 'tanh' }), xs.map(g));
      // PyTorch: F.gelu(torch.tensor(1.), approximate='tanh') = 0.8412
      expect((await values(gelu(tensor([1]), { approximate: 'tanh' })))[0]).toBeCloseTo(0.8412, 4);
      await expectCloseTo(gelu(tensor([1000, -1000]), { approximate: 'tanh' }), [1000, 0]);
    });

    it('leakyRelu with the default and a given slope', async () => {
      await expectCloseTo(leakyRelu(tensor([-10, 0, 5])), [-0.1, 0, 5]);
      await expectCloseTo(leakyRelu(tensor([-10, 0, 5]), { slope: 0.2 }), [-2, 0, 5]);
    });

    it('elu: alpha * (e^x - 1) below zero, finite at -1000', async () => {
      await expectCloseTo(elu(tensor([-1, 0, 2])), [Math.exp(-1) - 1, 0, 2]);
      await expectCloseTo(elu(tensor([-1]), { alpha: 2 }), [2 * (Math.exp(-1) - 1)]);
      expect(await values(elu(tensor([-1000, 1000])))).toEqual([-1, 1000]);
    });
  });

  describe('pointwise activations on a mixed-sign [2, 4] grid (relative tolerance 1e-5)', () => {
    const XS = [-2.5, -1, -0.25, 0, 0.5, 1, 2, 3.75];

    it('tanh, sigmoid, relu, softplus', async () => {
      const x = tensor(Float32Array.from(XS), [2, 4]) as Tensor<number[], 'f32'>;
      const sig = (v: number) => 1 / (1 + Math.exp(-v));
      await expectT(tanh(x), [2, 4], XS.map(Math.tanh));
      await expectT(sigmoid(x), [2, 4], XS.map(sig));
      await expectT(
        relu(x),
        [2, 4],
        XS.map((v) => Math.max(v, 0)),
      );
      await expectT(
        softplus(x),
        [2, 4],
        XS.map((v) => Math.log1p(Math.exp(v))),
      );
    });
  });

  describe('softmax / logSoftmax', () => {
    it('softmax known values along the last axis by default', async () => {
      const e = [1, Math.E, Math.E ** 2];
      const z = e[0]! + e[1]! + e[2]!;
      await expectCloseTo(
        softmax(tensor([0, 1, 2])),
        e.map((v) => v / z),
      );
      const rows = softmax(
        tensor([
          [1, 1],
          [0, Math.log(3)],
        ]),
      );
      await expectCloseTo(rows, [0.5, 0.5, 0.25, 0.75]);
    });

    it('softmax along a given (negative or positive) axis', async () => {
      const x = tensor([
        [1, 2],
        [1, 4],
      ]);
      const s0 = softmax(x, { axis: 0 });
      await expectCloseTo(s0, [0.5, 1 / (1 + Math.E ** 2), 0.5, Math.E ** 2 / (1 + Math.E ** 2)]);
      await expectCloseTo(softmax(x, { axis: -2 }), await values(s0));
    });

    it('is stable: softmax([1000, 0]) = [1, 0], softmax([-1000, -1000]) = [0.5, 0.5]', async () => {
      expect(await values(softmax(tensor([1000, 0])))).toEqual([1, 0]);
      expect(await values(softmax(tensor([-1000, -1000])))).toEqual([0.5, 0.5]);
      expect(await values(softmax(tensor([Number.NEGATIVE_INFINITY, 0])))).toEqual([0, 1]);
    });

    it('logSoftmax = x - logsumexp(x), finite for large inputs', async () => {
      const ls = logSoftmax(tensor([0, Math.log(3)]));
      await expectCloseTo(ls, [Math.log(0.25), Math.log(0.75)]);
      const big = logSoftmax(tensor([1000, 0, -1000]));
      expect(await allFinite(big)).toBe(true);
      await expectCloseTo(big, [0, -1000, -2000], 3);
      await expectCloseTo(logSoftmax(tensor([1000, 1000])), [-Math.LN2, -Math.LN2]);
    });
  });
});

// Bad input: these throw before any kernel runs, so one backend covers them.
describe('softmax / logSoftmax: bad input', () => {
  it('reject an axis out of range with the ShapeError the types show', () => {
    const x = tensor([1, 2]) as Tensor<number[], 'f32'>;
    expect(() => softmax(x, { axis: 1 })).toThrow(ShapeError);
    expect(() => softmax(x, { axis: 1 })).toThrow('softmax: axis 1 is out of range for rank 1');
    expect(() => logSoftmax(x, { axis: -2 })).toThrow('logSoftmax: axis -2 is out of range for rank 1');
  });
});
