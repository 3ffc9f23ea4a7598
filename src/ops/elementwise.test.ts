import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  cast,
  clip,
  cos,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  ShapeError,
  sign,
  sin,
  sqrt,
  square,
  sub,
  type Tensor,
  tensor,
  where,
} from '../index.ts';

const vals = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>);
function expectClose(t: Tensor, expected: readonly number[], digits = 5): void {
  const v = vals(t);
  expect(v.length).toBe(expected.length);
  v.forEach((x, i) => {
    expect(x).toBeCloseTo(expected[i]!, digits);
  });
}
const i32 = (xs: number[]) => tensor(new Int32Array(xs), [xs.length]);

describe('binary arithmetic', () => {
  it('add/sub/mul/div on equal shapes', () => {
    const a = tensor([1, 2, 3]);
    const b = tensor([4, 5, 6]);
    expect(vals(add(a, b))).toEqual([5, 7, 9]);
    expect(vals(sub(a, b))).toEqual([-3, -3, -3]);
    expect(vals(mul(a, b))).toEqual([4, 10, 18]);
    expectClose(div(a, b), [0.25, 0.4, 0.5]);
    expect(vals(pow(tensor([2, 3, 4]), 2))).toEqual([4, 9, 16]);
    expect(vals(pow(tensor([4, 9]), 0.5))).toEqual([2, 3]);
    expect(vals(maximum(a, tensor([2, 2, 2])))).toEqual([2, 2, 3]);
    expect(vals(minimum(a, tensor([2, 2, 2])))).toEqual([1, 2, 2]);
  });

  it('broadcasts numpy-style (column + row = outer sum)', () => {
    const col = tensor([[1], [2]]);
    const row = tensor([10, 20, 30]);
    const s = add(col, row);
    expect(s.shape).toEqual([2, 3]);
    expect(s.toArray()).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
    // [2, 1, 3] * [4, 1] -> [2, 4, 3]
    const m = mul(tensor(new Float32Array(6).fill(2), [2, 1, 3]), tensor([[1], [2], [3], [4]]));
    expect(m.shape).toEqual([2, 4, 3]);
    expect(vals(m).slice(0, 6)).toEqual([2, 2, 2, 4, 4, 4]);
  });

  it('takes weak JS numbers on either side without changing the dtype', () => {
    expect(vals(sub(10, tensor([1, 2])))).toEqual([9, 8]);
    const i = add(i32([1, 2, 3]), 1);
    expect(i.dtype).toBe('i32');
    expect(vals(i)).toEqual([2, 3, 4]);
    const f = mul(tensor([1.5]), 2);
    expect(f.dtype).toBe('f32');
    expect(vals(f)).toEqual([3]);
    const both = add(1, 2);
    expect(both.dtype).toBe('f32');
    expect(both.item()).toBe(3);
  });

  it('promotes dtypes: i32 + f32 -> f32, f32 + f64 -> f64', () => {
    const r = add(i32([1, 2]), tensor([0.5, 0.5]));
    expect(r.dtype).toBe('f32');
    expect(vals(r)).toEqual([1.5, 2.5]);
    const d = add(tensor(new Float64Array([0.1]), [1]), tensor([1]));
    expect(d.dtype).toBe('f64');
    expect(vals(d)[0]).toBe(1.1);
  });

  it('does arithmetic on bools in i32 (as JAX)', () => {
    const t = tensor([true, false, true]);
    const f = tensor([true, true, false]);
    const s = add(t, f);
    expect(s.dtype).toBe('i32');
    expect(vals(s)).toEqual([2, 1, 1]);
    expect(mul(t, f).dtype).toBe('i32');
    expect(vals(mul(t, f))).toEqual([1, 0, 0]);
    expect(vals(add(t, 1))).toEqual([2, 1, 2]);
  });

  it('true division of integers and bools gives f32', () => {
    const q = div(i32([1, 2, -7]), i32([2, 2, 2]));
    expect(q.dtype).toBe('f32');
    expect(vals(q)).toEqual([0.5, 1, -3.5]);
    expect(div(i32([3]), 2).dtype).toBe('f32');
    const b = div(tensor([true, false]), tensor([true, true]));
    expect(b.dtype).toBe('f32');
    expect(vals(b)).toEqual([1, 0]);
  });

  it('propagates NaN and Inf as IEEE arithmetic does', () => {
    expect(vals(div(tensor([1, -1, 0]), tensor([0, 0, 0])))).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
    expect(vals(maximum(tensor([Number.NaN, 1]), tensor([0, Number.NaN])))).toEqual([Number.NaN, Number.NaN]);
    expect(vals(add(tensor([Number.POSITIVE_INFINITY]), tensor([Number.NEGATIVE_INFINITY])))).toEqual([
      Number.NaN,
    ]);
  });

  it('throws the ShapeError the types show when dynamic dims do not broadcast', () => {
    const a = tensor(new Float32Array(3), [3] as number[]);
    const b = tensor(new Float32Array(2), [2] as number[]);
    expect(() => add(a, b)).toThrow(ShapeError);
    expect(() => add(a, b)).toThrow('add: dims 3 and 2 do not broadcast');
    expect(() => mul(a, b)).toThrow('mul: dims 3 and 2 do not broadcast');
    expect(() => sub(a, b)).toThrow('sub: dims 3 and 2 do not broadcast');
    expect(() => div(a, b)).toThrow('div: dims 3 and 2 do not broadcast');
    expect(() => pow(a, b)).toThrow('pow: dims 3 and 2 do not broadcast');
    expect(() => maximum(a, b)).toThrow('maximum: dims 3 and 2 do not broadcast');
    expect(() => minimum(a, b)).toThrow('minimum: dims 3 and 2 do not broadcast');
    expect(() => less(a, b)).toThrow('less: dims 3 and 2 do not broadcast');
    const c = tensor(new Float32Array(6), [2, 3] as number[]);
    const d = tensor(new Float32Array(8), [4, 2] as number[]);
    expect(() => add(c, d)).toThrow('add: dims 3 and 2 do not broadcast');
  });
});

describe('comparisons', () => {
  it('give bool tensors and broadcast', () => {
    const a = tensor([1, 2, 3]);
    const e = equal(a, 2);
    expect(e.dtype).toBe('bool');
    expect(e.toArray()).toEqual([false, true, false]);
    expect(notEqual(a, 2).toArray()).toEqual([true, false, true]);
    expect(less(a, 2).toArray()).toEqual([true, false, false]);
    expect(lessEqual(a, 2).toArray()).toEqual([true, true, false]);
    expect(greater(a, 2).toArray()).toEqual([false, false, true]);
    expect(greaterEqual(a, 2).toArray()).toEqual([false, true, true]);
    expect(less(tensor([[1], [3]]), tensor([2, 3])).toArray()).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it('compare across dtypes after promotion, and NaN is unequal to itself', () => {
    expect(equal(i32([1, 2]), tensor([1, 2.5])).toArray()).toEqual([true, false]);
    expect(equal(tensor([Number.NaN]), tensor([Number.NaN])).toArray()).toEqual([false]);
    expect(notEqual(tensor([Number.NaN]), tensor([Number.NaN])).toArray()).toEqual([true]);
  });
});

describe('unary', () => {
  it('known values (exp, log, sqrt, sin, cos, abs, neg, sign, square, reciprocal)', () => {
    expectClose(exp(tensor([0, 1, -1])), [1, Math.E, 1 / Math.E]);
    expectClose(log(tensor([1, Math.E, 0.5])), [0, 1, Math.log(0.5)]);
    expect(vals(sqrt(tensor([4, 9, 0])))).toEqual([2, 3, 0]);
    expectClose(sin(tensor([0, Math.PI / 2, Math.PI / 6])), [0, 1, 0.5]);
    expectClose(cos(tensor([0, Math.PI])), [1, -1]);
    expect(vals(abs(tensor([-2, 0, 3])))).toEqual([2, 0, 3]);
    expect(vals(neg(tensor([1, -2])))).toEqual([-1, 2]);
    expect(vals(sign(tensor([-2, 0, 3])))).toEqual([-1, 0, 1]);
    expect(vals(square(tensor([-3, 2])))).toEqual([9, 4]);
    expect(vals(reciprocal(tensor([2, 4])))).toEqual([0.5, 0.25]);
  });

  it('keep integer dtypes for neg/abs/sign, give f32 for transcendental ops', () => {
    const i = i32([-3, 0, 3]);
    expect(abs(i).dtype).toBe('i32');
    expect(vals(abs(i))).toEqual([3, 0, 3]);
    expect(neg(i).dtype).toBe('i32');
    expect(sign(i).dtype).toBe('i32');
    expect(exp(i32([0])).dtype).toBe('f32');
    expect(sqrt(i32([16])).dtype).toBe('f32');
    expect(vals(sqrt(i32([16])))).toEqual([4]);
    expect(reciprocal(i32([2])).dtype).toBe('f32');
  });

  it('IEEE edge cases: log 0 = -inf, sqrt of a negative = NaN, 1/0 = inf', () => {
    expect(vals(log(tensor([0])))).toEqual([Number.NEGATIVE_INFINITY]);
    expect(vals(sqrt(tensor([-1])))).toEqual([Number.NaN]);
    expect(vals(reciprocal(tensor([0])))).toEqual([Number.POSITIVE_INFINITY]);
  });

  it('neg/abs/sign reject bools naming the op', () => {
    const b = tensor([true, false]);
    expect(() => neg(b)).toThrow('neg: not defined on bool tensors; cast first');
    expect(() => abs(b)).toThrow('abs: not defined on bool tensors');
    expect(() => sign(b)).toThrow('sign: not defined on bool tensors');
  });
});

describe('where', () => {
  it('selects elementwise with broadcasting and weak scalars', () => {
    const r = where(tensor([true, false, true]), tensor([1, 2, 3]), 0);
    expect(vals(r)).toEqual([1, 0, 3]);
    const b = where(tensor([[true], [false]]), tensor([1, 2, 3]), tensor([[10], [20]]));
    expect(b.shape).toEqual([2, 3]);
    expect(b.toArray()).toEqual([
      [1, 2, 3],
      [20, 20, 20],
    ]);
    const p = where(tensor([true, false]), i32([1, 2]), tensor([0.5, 0.5]));
    expect(p.dtype).toBe('f32');
    expect(vals(p)).toEqual([1, 0.5]);
  });

  it('rejects a non-bool condition and shapes that do not broadcast', () => {
    expect(() => where(tensor([1, 0]) as never, 1, 0)).toThrow('where: condition must be bool, got f32[2]');
    const c = tensor([true, false]) as Tensor<number[], 'bool'>;
    const x = tensor([1, 2, 3]) as Tensor<number[], 'f32'>;
    expect(() => where(c, x, 0)).toThrow('where: dims 2 and 3 do not broadcast');
  });
});

describe('cast', () => {
  it('float -> int truncates toward zero, saturates infinities and maps NaN to 0 (as XLA)', () => {
    const r = cast(
      tensor([1.7, -1.7, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]),
      'i32',
    );
    expect(r.dtype).toBe('i32');
    expect(vals(r)).toEqual([1, -1, 0, 0, 2147483647, -2147483648]);
  });

  it('-> bool is x != 0 (NaN is true, as numpy), bool -> f32 is 0/1', () => {
    expect(cast(tensor([Number.NaN, 0, -0, 2]), 'bool').toArray()).toEqual([true, false, false, true]);
    const f = cast(tensor([true, false]), 'f32');
    expect(f.dtype).toBe('f32');
    expect(vals(f)).toEqual([1, 0]);
    expect(cast(i32([3]), 'f64').dtype).toBe('f64');
  });
});

describe('clip', () => {
  it('clamps into [lo, hi] and keeps the dtype; NaN stays NaN', () => {
    expect(vals(clip(tensor([-5, 0.5, 5]), 0, 1))).toEqual([0, 0.5, 1]);
    const i = clip(i32([-5, 1, 9]), 0, 3);
    expect(i.dtype).toBe('i32');
    expect(vals(i)).toEqual([0, 1, 3]);
    expect(vals(clip(tensor([Number.NaN]), 0, 1))).toEqual([Number.NaN]);
  });

  it('rejects lo > hi naming the op and the bounds', () => {
    expect(() => clip(tensor([1]), 2, 1)).toThrow('clip: lower bound 2 exceeds upper bound 1');
  });
});

describe('weak scalars never truncate', () => {
  it('rejects a fractional scalar with an integer tensor, naming the op', () => {
    const i = tensor([1, 2, 3], { dtype: 'i32' });
    expect(() => add(i, 1.5)).toThrow('add: the scalar 1.5 is not an integer but the tensor is i32');
    expect(add(i, 2).dataSync()).toEqual(new Int32Array([3, 4, 5]));
  });
});
