/**
 * Known values of the reductions on every backend (`describe.each` over test/backends'
 * backends, values read with `await t.data()` / `toNested` / `itemAsync`); bad-input cases,
 * which throw before any kernel runs, stay CPU-only at the end.
 */
import { describe, expect, it } from 'vitest';
import {
  backendsUnderTest,
  expectCloseTo,
  expectT,
  lcg,
  toNested,
  useBackend,
  values,
} from '../../test/backends/helpers.ts';
import {
  arange,
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  reshape,
  ShapeError,
  sum,
  type Tensor,
  tensor,
  variance,
  zeros,
} from '../index.ts';

const m23 = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
/** arange(24).reshape(2, 3, 4): element (a, b, c) = 12a + 4b + c. */
const cube = () => reshape(arange(0, 24, { step: 1, dtype: 'f32' }), [2, 3, 4]);
const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('reductions on $name', (backend) => {
  const it = useBackend(backend);

  describe('sum', () => {
    it('over everything, one axis, negative axes, keepdims', async () => {
      const s = sum(m23());
      expect(s.shape).toEqual([]);
      expect(await s.itemAsync()).toBe(21);
      expect(await values(sum(m23(), { axis: 0 }))).toEqual([5, 7, 9]);
      expect(await values(sum(m23(), { axis: 1 }))).toEqual([6, 15]);
      const k = sum(m23(), { axis: -1, keepdims: true });
      expect(k.shape).toEqual([2, 1]);
      expect(await values(k)).toEqual([6, 15]);
      expect(sum(m23(), { keepdims: true }).shape).toEqual([1, 1]);
    });

    it('over several axes (numpy: arange(24).reshape(2,3,4).sum((0, 2)) = [60, 92, 124])', async () => {
      expect(await values(sum(cube(), { axis: [0, 2] }))).toEqual([60, 92, 124]);
      expect(await values(sum(cube(), { axis: [-1, 0] }))).toEqual([60, 92, 124]);
      const k = sum(cube(), { axis: [0, 2], keepdims: true });
      expect(k.shape).toEqual([1, 3, 1]);
      expect(sum(cube(), { axis: [] }).shape).toEqual([2, 3, 4]);
    });

    it('keeps i32, counts bools as i32', async () => {
      const i = sum(tensor(new Int32Array([1, 2, 3]), [3]));
      expect(i.dtype).toBe('i32');
      expect(await i.itemAsync()).toBe(6);
      const b = sum(tensor([true, true, false]));
      expect(b.dtype).toBe('i32');
      expect(await b.itemAsync()).toBe(2);
    });
  });

  describe('mean / variance', () => {
    it('mean over all, axes, keepdims; ints give f32', async () => {
      expect(await mean(m23()).itemAsync()).toBe(3.5);
      expect(await values(mean(m23(), { axis: 0 }))).toEqual([2.5, 3.5, 4.5]);
      expect(await values(mean(m23(), { axis: -1, keepdims: true }))).toEqual([2, 5]);
      const i = mean(tensor(new Int32Array([1, 2]), [2]));
      expect(i.dtype).toBe('f32');
      expect(await i.itemAsync()).toBe(1.5);
      expect(await values(mean(cube(), { axis: [0, 2] }))).toEqual([7.5, 11.5, 15.5]);
    });

    it('variance is the population variance (ddof = 0, numpy.var)', async () => {
      expect(await variance(tensor([1, 2, 3, 4])).itemAsync()).toBe(1.25);
      expect(
        await values(
          variance(
            tensor([
              [1, 3],
              [2, 6],
            ]),
            { axis: 0 },
          ),
        ),
      ).toEqual([0.25, 2.25]);
      const k = variance(m23(), { axis: 1, keepdims: true });
      expect(k.shape).toEqual([2, 1]);
      await expectCloseTo(k, [2 / 3, 2 / 3]);
      // numpy: np.var(np.arange(24).reshape(2,3,4), axis=(0, 2)) = 37.25 for each b
      await expectCloseTo(variance(cube(), { axis: [0, 2] }), [37.25, 37.25, 37.25]);
    });

    it('mean of an empty tensor is NaN (0 / 0), as numpy', async () => {
      expect(await mean(zeros([0])).itemAsync()).toBeNaN();
    });
  });

  describe('max / min', () => {
    it('over axes with keepdims, dtypes kept', async () => {
      const x = tensor([
        [1, 5],
        [7, 2],
      ]);
      expect(await max(x).itemAsync()).toBe(7);
      expect(await min(x).itemAsync()).toBe(1);
      expect(await values(max(x, { axis: 0 }))).toEqual([7, 5]);
      const mk = min(x, { axis: 1, keepdims: true });
      expect(mk.shape).toEqual([2, 1]);
      expect(await values(mk)).toEqual([1, 2]);
      expect(await values(max(cube(), { axis: [0, 2] }))).toEqual([15, 19, 23]);
      expect(await values(min(cube(), { axis: [-1, -3] }))).toEqual([0, 4, 8]);
      const i = min(tensor(new Int32Array([3, -2]), [2]));
      expect(i.dtype).toBe('i32');
      expect(await i.itemAsync()).toBe(-2);
    });

    it('on bools: max is any, min is all', async () => {
      const b = tensor([
        [true, true],
        [false, true],
      ]);
      expect(await max(b).itemAsync()).toBe(true);
      expect(await min(b).itemAsync()).toBe(false);
      expect(await toNested(min(b, { axis: 1 }))).toEqual([true, false]);
    });

    it('i32 extremes: min and argmin see -2^31 (no overflow from negation)', async () => {
      const x = tensor(new Int32Array([0, -2147483648, 2147483647]), [3]);
      expect(await min(x).itemAsync()).toBe(-2147483648);
      expect(await max(x).itemAsync()).toBe(2147483647);
      expect(await argmin(x).itemAsync()).toBe(1);
      expect(await argmax(x).itemAsync()).toBe(2);
    });

    it('propagates NaN; an empty max is an error (as numpy and JAX, issue 11)', async () => {
      expect(await max(tensor([1, Number.NaN, 3])).itemAsync()).toBeNaN();
      expect(() => max(zeros([0]))).toThrow('max: reducing f32[0] over an axis of size 0 has no identity');
    });
  });

  describe('argmax / argmin', () => {
    it('flattened by default, ties give the first index (numpy)', async () => {
      const a = argmax(tensor([1, 3, 3, 0]));
      expect(a.dtype).toBe('i32');
      expect(a.shape).toEqual([]);
      expect(await a.itemAsync()).toBe(1);
      expect(await argmin(tensor([2, 0, 0, 5])).itemAsync()).toBe(1);
      expect(
        await argmax(
          tensor([
            [1, 9, 9],
            [4, 4, 2],
          ]),
        ).itemAsync(),
      ).toBe(1);
      expect(
        await argmin(
          tensor([
            [1, 9, 9],
            [0, 4, 0],
          ]),
        ).itemAsync(),
      ).toBe(3);
    });

    it('along an axis, negative axes, keepdims', async () => {
      const x = tensor([
        [1, 9, 9],
        [4, 4, 2],
      ]);
      expect(await values(argmax(x, { axis: 1 }))).toEqual([1, 0]);
      expect(await values(argmax(x, { axis: -1 }))).toEqual([1, 0]);
      const k = argmax(x, { axis: 0, keepdims: true });
      expect(k.shape).toEqual([1, 3]);
      expect(await values(k)).toEqual([1, 0, 0]);
      expect(await values(argmin(x, { axis: 0 }))).toEqual([0, 1, 1]);
      expect(argmax(x, { keepdims: true }).shape).toEqual([1, 1]);
    });

    it('works on i32 and bool inputs; NaN counts as the maximum (numpy)', async () => {
      expect(await argmin(tensor([true, false, false])).itemAsync()).toBe(1);
      expect(await argmax(tensor(new Int32Array([-5, 7, 7]), [3])).itemAsync()).toBe(1);
      expect(await argmax(tensor([1, Number.NaN, 3])).itemAsync()).toBe(1);
    });
  });

  describe('on a mixed-sign [2, 4] grid and beyond one workgroup', () => {
    const XS = [-2.5, -1, -0.25, 0, 0.5, 1, 2, 3.75];
    const f32 = (data: ArrayLike<number>, shape: number[]) =>
      tensor(Float32Array.from(data), shape) as Tensor<number[], 'f32'>;

    it('sum, mean, max, min, argmax, logsumexp, variance (relative tolerance 1e-5)', async () => {
      const x = f32(XS, [2, 4]);
      await expectT(sum(x), [], [XS.reduce((a, b) => a + b, 0)]);
      await expectT(sum(x, { axis: 1 }), [2], [-3.75, 7.25]);
      await expectT(sum(x, { axis: 0, keepdims: true }), [1, 4], [-2, 0, 1.75, 3.75]);
      await expectT(mean(x, { axis: 1 }), [2], [-3.75 / 4, 7.25 / 4]);
      await expectT(max(x, { axis: 1 }), [2], [0, 3.75]);
      await expectT(min(x, { axis: 0 }), [4], [-2.5, -1, -0.25, 0]);
      await expectT(argmax(x, { axis: 1 }), [2], [3, 3]);
      await expectT(argmax(f32([3, 9, 9, 1], [4])), [], [1]); // first of ties
      const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
      await expectT(logsumexp(x, { axis: 1 }), [2], [lse(XS.slice(0, 4)), lse(XS.slice(4))]);
      const m = XS.slice(0, 4).reduce((a, b) => a + b) / 4;
      const m2 = XS.slice(4).reduce((a, b) => a + b) / 4;
      await expectT(
        variance(x, { axis: 1 }),
        [2],
        [
          XS.slice(0, 4).reduce((a, v) => a + (v - m) ** 2, 0) / 4,
          XS.slice(4).reduce((a, v) => a + (v - m2) ** 2, 0) / 4,
        ],
      );
    });

    it('a sum bigger than one workgroup (4096 values), and a sum of bools', async () => {
      const big = lcg(4096, 3);
      await expectT(sum(f32(big, [64, 64])), [], [Array.from(big).reduce((a, b) => a + b, 0)], 1e-4, 1e-3);
      await expectT(sum(tensor(Uint8Array.from([1, 0, 1, 1]), [4]) as Tensor), [], [3]);
    });
  });

  describe('logsumexp', () => {
    it('known values and stability: logsumexp([1000, 1000]) = 1000 + ln 2', async () => {
      await expectCloseTo(logsumexp(tensor([0, 0])), [Math.LN2]);
      await expectCloseTo(logsumexp(tensor([1, 2, 3])), [Math.log(Math.E + Math.E ** 2 + Math.E ** 3)]);
      const big = logsumexp(tensor([1000, 1000]));
      expect(await big.itemAsync()).toBeCloseTo(1000 + Math.LN2, 3);
      expect(await logsumexp(tensor([-1000, -1000])).itemAsync()).toBeCloseTo(-1000 + Math.LN2, 3);
    });

    it('over an axis with keepdims; all -inf gives -inf, not NaN', async () => {
      const k = logsumexp(
        tensor([
          [0, 0],
          [1000, 1000],
        ]),
        { axis: 1, keepdims: true },
      );
      expect(k.shape).toEqual([2, 1]);
      await expectCloseTo(k, [Math.LN2, 1000 + Math.LN2], 3);
      expect(await logsumexp(tensor([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).itemAsync()).toBe(
        Number.NEGATIVE_INFINITY,
      );
    });
  });
});

// Bad input: these throw before any kernel runs, so one backend covers them.
describe('reductions: bad input', () => {
  it('sum: bad axes: out of range, repeated, fractional', () => {
    const x = m23() as Tensor<number[], 'f32'>;
    expect(() => sum(x, { axis: 2 })).toThrow(ShapeError);
    expect(() => sum(x, { axis: 2 })).toThrow('sum: axis 2 is out of range for rank 2');
    expect(() => sum(x, { axis: -3 })).toThrow('sum: axis -3 is out of range for rank 2');
    expect(() => sum(x, { axis: [0, -2] })).toThrow('sum: axes 0 and -2 are the same axis');
    expect(() => sum(x, { axis: 0.5 })).toThrow(/sum: axis 0.5/);
  });

  it('mean / variance: bad axes name the op', () => {
    const x = m23() as Tensor<number[], 'f32'>;
    expect(() => mean(x, { axis: 5 })).toThrow('mean: axis 5 is out of range for rank 2');
    expect(() => variance(x, { axis: -3 })).toThrow('variance: axis -3 is out of range for rank 2');
  });

  it('max / min: bad axes name the op', () => {
    const x = m23() as Tensor<number[], 'f32'>;
    expect(() => max(x, { axis: 2 })).toThrow('max: axis 2 is out of range for rank 2');
    expect(() => min(x, { axis: [1, 1] })).toThrow('min: axes 1 and 1 are the same axis');
  });

  it('argmax / argmin: bad input: axis out of range, empty tensor', () => {
    const x = tensor([1, 2]) as Tensor<number[], 'f32'>;
    expect(() => argmax(x, { axis: 3 })).toThrow('argmax: axis 3 is out of range for rank 1');
    expect(() => argmin(x, { axis: -2 })).toThrow('argmin: axis -2 is out of range for rank 1');
    expect(() => argmax(zeros([0]))).toThrow(/argmax: axis 0 has size 0/);
  });

  it('logsumexp: bad axes name the op', () => {
    const x = tensor([1, 2]) as Tensor<number[], 'f32'>;
    expect(() => logsumexp(x, { axis: 1 })).toThrow('logsumexp: axis 1 is out of range for rank 1');
  });
});
