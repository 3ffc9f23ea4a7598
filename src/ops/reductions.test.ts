import { describe, expect, it } from 'vitest';
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

const vals = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>);
function expectClose(t: Tensor, expected: readonly number[], digits = 5): void {
  const v = vals(t);
  expect(v.length).toBe(expected.length);
  v.forEach((x, i) => {
    expect(x).toBeCloseTo(expected[i]!, digits);
  });
}
const m23 = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
/** arange(24).reshape(2, 3, 4): element (a, b, c) = 12a + 4b + c. */
const cube = () => reshape(arange(0, 24, 1, 'f32'), [2, 3, 4]);

describe('sum', () => {
  it('over everything, one axis, negative axes, keepdims', () => {
    const s = sum(m23());
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(21);
    expect(vals(sum(m23(), { axis: 0 }))).toEqual([5, 7, 9]);
    expect(vals(sum(m23(), { axis: 1 }))).toEqual([6, 15]);
    const k = sum(m23(), { axis: -1, keepdims: true });
    expect(k.shape).toEqual([2, 1]);
    expect(vals(k)).toEqual([6, 15]);
    expect(sum(m23(), { keepdims: true }).shape).toEqual([1, 1]);
  });

  it('over several axes (numpy: arange(24).reshape(2,3,4).sum((0, 2)) = [60, 92, 124])', () => {
    expect(vals(sum(cube(), { axis: [0, 2] }))).toEqual([60, 92, 124]);
    expect(vals(sum(cube(), { axis: [-1, 0] }))).toEqual([60, 92, 124]);
    const k = sum(cube(), { axis: [0, 2], keepdims: true });
    expect(k.shape).toEqual([1, 3, 1]);
    expect(sum(cube(), { axis: [] }).shape).toEqual([2, 3, 4]);
  });

  it('keeps i32, counts bools as i32', () => {
    const i = sum(tensor(new Int32Array([1, 2, 3]), [3]));
    expect(i.dtype).toBe('i32');
    expect(i.item()).toBe(6);
    const b = sum(tensor([true, true, false]));
    expect(b.dtype).toBe('i32');
    expect(b.item()).toBe(2);
  });

  it('bad axes: out of range, repeated, fractional', () => {
    const x = m23() as Tensor<number[], 'f32'>;
    expect(() => sum(x, { axis: 2 })).toThrow(ShapeError);
    expect(() => sum(x, { axis: 2 })).toThrow('sum: axis 2 is out of range for rank 2');
    expect(() => sum(x, { axis: -3 })).toThrow('sum: axis -3 is out of range for rank 2');
    expect(() => sum(x, { axis: [0, -2] })).toThrow('sum: axes 0 and -2 are the same axis');
    expect(() => sum(x, { axis: 0.5 })).toThrow(/sum: axis 0.5/);
  });
});

describe('mean / variance', () => {
  it('mean over all, axes, keepdims; ints give f32', () => {
    expect(mean(m23()).item()).toBe(3.5);
    expect(vals(mean(m23(), { axis: 0 }))).toEqual([2.5, 3.5, 4.5]);
    expect(vals(mean(m23(), { axis: -1, keepdims: true }))).toEqual([2, 5]);
    const i = mean(tensor(new Int32Array([1, 2]), [2]));
    expect(i.dtype).toBe('f32');
    expect(i.item()).toBe(1.5);
    expect(vals(mean(cube(), { axis: [0, 2] }))).toEqual([7.5, 11.5, 15.5]);
  });

  it('variance is the population variance (ddof = 0, numpy.var)', () => {
    expect(variance(tensor([1, 2, 3, 4])).item()).toBe(1.25);
    expect(
      vals(
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
    expectClose(k, [2 / 3, 2 / 3]);
    // numpy: np.var(np.arange(24).reshape(2,3,4), axis=(0, 2)) = 37.25 for each b
    expectClose(variance(cube(), { axis: [0, 2] }), [37.25, 37.25, 37.25]);
  });

  it('mean of an empty tensor is NaN (0 / 0), as numpy', () => {
    expect(mean(zeros([0])).item()).toBeNaN();
  });

  it('bad axes name the op', () => {
    const x = m23() as Tensor<number[], 'f32'>;
    expect(() => mean(x, { axis: 5 })).toThrow('mean: axis 5 is out of range for rank 2');
    expect(() => variance(x, { axis: -3 })).toThrow('variance: axis -3 is out of range for rank 2');
  });
});

describe('max / min', () => {
  it('over axes with keepdims, dtypes kept', () => {
    const x = tensor([
      [1, 5],
      [7, 2],
    ]);
    expect(max(x).item()).toBe(7);
    expect(min(x).item()).toBe(1);
    expect(vals(max(x, { axis: 0 }))).toEqual([7, 5]);
    const mk = min(x, { axis: 1, keepdims: true });
    expect(mk.shape).toEqual([2, 1]);
    expect(vals(mk)).toEqual([1, 2]);
    expect(vals(max(cube(), { axis: [0, 2] }))).toEqual([15, 19, 23]);
    expect(vals(min(cube(), { axis: [-1, -3] }))).toEqual([0, 4, 8]);
    const i = min(tensor(new Int32Array([3, -2]), [2]));
    expect(i.dtype).toBe('i32');
    expect(i.item()).toBe(-2);
  });

  it('on bools: max is any, min is all', () => {
    const b = tensor([
      [true, true],
      [false, true],
    ]);
    expect(max(b).item()).toBe(true);
    expect(min(b).item()).toBe(false);
    expect(min(b, { axis: 1 }).toArray()).toEqual([true, false]);
  });

  it('i32 extremes: min and argmin see -2^31 (no overflow from negation)', () => {
    const x = tensor(new Int32Array([0, -2147483648, 2147483647]), [3]);
    expect(min(x).item()).toBe(-2147483648);
    expect(max(x).item()).toBe(2147483647);
    expect(argmin(x).item()).toBe(1);
    expect(argmax(x).item()).toBe(2);
  });

  it('propagates NaN; an empty max is -inf', () => {
    expect(max(tensor([1, Number.NaN, 3])).item()).toBeNaN();
    expect(max(zeros([0])).item()).toBe(Number.NEGATIVE_INFINITY);
  });

  it('bad axes name the op', () => {
    const x = m23() as Tensor<number[], 'f32'>;
    expect(() => max(x, { axis: 2 })).toThrow('max: axis 2 is out of range for rank 2');
    expect(() => min(x, { axis: [1, 1] })).toThrow('min: axes 1 and 1 are the same axis');
  });
});

describe('argmax / argmin', () => {
  it('flattened by default, ties give the first index (numpy)', () => {
    const a = argmax(tensor([1, 3, 3, 0]));
    expect(a.dtype).toBe('i32');
    expect(a.shape).toEqual([]);
    expect(a.item()).toBe(1);
    expect(argmin(tensor([2, 0, 0, 5])).item()).toBe(1);
    expect(
      argmax(
        tensor([
          [1, 9, 9],
          [4, 4, 2],
        ]),
      ).item(),
    ).toBe(1);
    expect(
      argmin(
        tensor([
          [1, 9, 9],
          [0, 4, 0],
        ]),
      ).item(),
    ).toBe(3);
  });

  it('along an axis, negative axes, keepdims', () => {
    const x = tensor([
      [1, 9, 9],
      [4, 4, 2],
    ]);
    expect(vals(argmax(x, { axis: 1 }))).toEqual([1, 0]);
    expect(vals(argmax(x, { axis: -1 }))).toEqual([1, 0]);
    const k = argmax(x, { axis: 0, keepdims: true });
    expect(k.shape).toEqual([1, 3]);
    expect(vals(k)).toEqual([1, 0, 0]);
    expect(vals(argmin(x, { axis: 0 }))).toEqual([0, 1, 1]);
    expect(argmax(x, { keepdims: true }).shape).toEqual([1, 1]);
  });

  it('works on i32 and bool inputs; NaN counts as the maximum (numpy)', () => {
    expect(argmin(tensor([true, false, false])).item()).toBe(1);
    expect(argmax(tensor(new Int32Array([-5, 7, 7]), [3])).item()).toBe(1);
    expect(argmax(tensor([1, Number.NaN, 3])).item()).toBe(1);
  });

  it('bad input: axis out of range, empty tensor', () => {
    const x = tensor([1, 2]) as Tensor<number[], 'f32'>;
    expect(() => argmax(x, { axis: 3 })).toThrow('argmax: axis 3 is out of range for rank 1');
    expect(() => argmin(x, { axis: -2 })).toThrow('argmin: axis -2 is out of range for rank 1');
    expect(() => argmax(zeros([0]))).toThrow(/argmax: axis 0 has size 0/);
  });
});

describe('logsumexp', () => {
  it('known values and stability: logsumexp([1000, 1000]) = 1000 + ln 2', () => {
    expectClose(logsumexp(tensor([0, 0])), [Math.LN2]);
    expectClose(logsumexp(tensor([1, 2, 3])), [Math.log(Math.E + Math.E ** 2 + Math.E ** 3)]);
    const big = logsumexp(tensor([1000, 1000]));
    expect(big.item()).toBeCloseTo(1000 + Math.LN2, 3);
    expect(logsumexp(tensor([-1000, -1000])).item()).toBeCloseTo(-1000 + Math.LN2, 3);
  });

  it('over an axis with keepdims; all -inf gives -inf, not NaN', () => {
    const k = logsumexp(
      tensor([
        [0, 0],
        [1000, 1000],
      ]),
      { axis: 1, keepdims: true },
    );
    expect(k.shape).toEqual([2, 1]);
    expectClose(k, [Math.LN2, 1000 + Math.LN2], 3);
    expect(logsumexp(tensor([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).item()).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });

  it('bad axes name the op', () => {
    const x = tensor([1, 2]) as Tensor<number[], 'f32'>;
    expect(() => logsumexp(x, { axis: 1 })).toThrow('logsumexp: axis 1 is out of range for rank 1');
  });
});
