/**
 * Known values of the elementwise ops on every backend (`describe.each` over test/backends'
 * backends, values read with `await t.data()` / `toNested`); f64 cases are CPU-only (WGSL
 * has no f64) and bad-input cases, which throw before any kernel runs, stay CPU-only at the end.
 */
import { describe, expect, it } from 'vitest';
import {
  backendsUnderTest,
  expectClose,
  expectCloseTo,
  expectT,
  toNested,
  useBackend,
  values,
} from '../../test/backends/helpers.ts';
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

const i32 = (xs: number[]) => tensor(new Int32Array(xs), [xs.length]);
const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('elementwise on $name', (backend) => {
  const it = useBackend(backend);

  describe('binary arithmetic', () => {
    it('add/sub/mul/div on equal shapes', async () => {
      const a = tensor([1, 2, 3]);
      const b = tensor([4, 5, 6]);
      expect(await values(add(a, b))).toEqual([5, 7, 9]);
      expect(await values(sub(a, b))).toEqual([-3, -3, -3]);
      expect(await values(mul(a, b))).toEqual([4, 10, 18]);
      await expectCloseTo(div(a, b), [0.25, 0.4, 0.5]);
      expect(await values(pow(tensor([2, 3, 4]), 2))).toEqual([4, 9, 16]);
      const root = await values(pow(tensor([4, 9]), 0.5));
      if (backend.name === 'cpu') expect(root).toEqual([2, 3]);
      // WebGPU: WGSL pow is exp2(y * log2(x)), so within a few f32 ulps, not exact
      // (SwiftShader: 9^0.5 = 3.0000002, 1 ulp); stated tolerance 4 ulps relative.
      else expectClose(root, [2, 3], 4 * 2 ** -23, 0, 'pow(x, 0.5) on WebGPU');
      expect(await values(maximum(a, tensor([2, 2, 2])))).toEqual([2, 2, 3]);
      expect(await values(minimum(a, tensor([2, 2, 2])))).toEqual([1, 2, 2]);
    });

    it('broadcasts numpy-style (column + row = outer sum)', async () => {
      const col = tensor([[1], [2]]);
      const row = tensor([10, 20, 30]);
      const s = add(col, row);
      expect(s.shape).toEqual([2, 3]);
      expect(await toNested(s)).toEqual([
        [11, 21, 31],
        [12, 22, 32],
      ]);
      // [2, 1, 3] * [4, 1] -> [2, 4, 3]
      const m = mul(tensor(new Float32Array(6).fill(2), [2, 1, 3]), tensor([[1], [2], [3], [4]]));
      expect(m.shape).toEqual([2, 4, 3]);
      expect((await values(m)).slice(0, 6)).toEqual([2, 2, 2, 4, 4, 4]);
    });

    it('takes weak JS numbers on either side without changing the dtype', async () => {
      expect(await values(sub(10, tensor([1, 2])))).toEqual([9, 8]);
      const i = add(i32([1, 2, 3]), 1);
      expect(i.dtype).toBe('i32');
      expect(await values(i)).toEqual([2, 3, 4]);
      const f = mul(tensor([1.5]), 2);
      expect(f.dtype).toBe('f32');
      expect(await values(f)).toEqual([3]);
      const both = add(1, 2);
      expect(both.dtype).toBe('f32');
      expect(await both.itemAsync()).toBe(3);
    });

    it('promotes dtypes: i32 + f32 -> f32 (f32 + f64 -> f64: CPU only, below)', async () => {
      const r = add(i32([1, 2]), tensor([0.5, 0.5]));
      expect(r.dtype).toBe('f32');
      expect(await values(r)).toEqual([1.5, 2.5]);
    });

    it('does arithmetic on bools in i32 (as JAX)', async () => {
      const t = tensor([true, false, true]);
      const f = tensor([true, true, false]);
      const s = add(t, f);
      expect(s.dtype).toBe('i32');
      expect(await values(s)).toEqual([2, 1, 1]);
      expect(mul(t, f).dtype).toBe('i32');
      expect(await values(mul(t, f))).toEqual([1, 0, 0]);
      expect(await values(add(t, 1))).toEqual([2, 1, 2]);
    });

    it('true division of integers and bools gives f32', async () => {
      const q = div(i32([1, 2, -7]), i32([2, 2, 2]));
      expect(q.dtype).toBe('f32');
      expect(await values(q)).toEqual([0.5, 1, -3.5]);
      expect(div(i32([3]), 2).dtype).toBe('f32');
      const b = div(tensor([true, false]), tensor([true, true]));
      expect(b.dtype).toBe('f32');
      expect(await values(b)).toEqual([1, 0]);
    });

    it('propagates NaN and Inf as IEEE arithmetic does', async () => {
      expect(await values(div(tensor([1, -1, 0]), tensor([0, 0, 0])))).toEqual([
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        Number.NaN,
      ]);
      expect(await values(maximum(tensor([Number.NaN, 1]), tensor([0, Number.NaN])))).toEqual([
        Number.NaN,
        Number.NaN,
      ]);
      expect(
        await values(add(tensor([Number.POSITIVE_INFINITY]), tensor([Number.NEGATIVE_INFINITY]))),
      ).toEqual([Number.NaN]);
    });
  });

  describe('comparisons', () => {
    it('give bool tensors and broadcast', async () => {
      const a = tensor([1, 2, 3]);
      const e = equal(a, 2);
      expect(e.dtype).toBe('bool');
      expect(await toNested(e)).toEqual([false, true, false]);
      expect(await toNested(notEqual(a, 2))).toEqual([true, false, true]);
      expect(await toNested(less(a, 2))).toEqual([true, false, false]);
      expect(await toNested(lessEqual(a, 2))).toEqual([true, true, false]);
      expect(await toNested(greater(a, 2))).toEqual([false, false, true]);
      expect(await toNested(greaterEqual(a, 2))).toEqual([false, true, true]);
      expect(await toNested(less(tensor([[1], [3]]), tensor([2, 3])))).toEqual([
        [true, true],
        [false, false],
      ]);
    });

    it('compare across dtypes after promotion, and NaN is unequal to itself', async () => {
      expect(await toNested(equal(i32([1, 2]), tensor([1, 2.5])))).toEqual([true, false]);
      expect(await toNested(equal(tensor([Number.NaN]), tensor([Number.NaN])))).toEqual([false]);
      expect(await toNested(notEqual(tensor([Number.NaN]), tensor([Number.NaN])))).toEqual([true]);
    });
  });

  describe('unary', () => {
    it('known values (exp, log, sqrt, sin, cos, abs, neg, sign, square, reciprocal)', async () => {
      await expectCloseTo(exp(tensor([0, 1, -1])), [1, Math.E, 1 / Math.E]);
      await expectCloseTo(log(tensor([1, Math.E, 0.5])), [0, 1, Math.log(0.5)]);
      expect(await values(sqrt(tensor([4, 9, 0])))).toEqual([2, 3, 0]);
      await expectCloseTo(sin(tensor([0, Math.PI / 2, Math.PI / 6])), [0, 1, 0.5]);
      await expectCloseTo(cos(tensor([0, Math.PI])), [1, -1]);
      expect(await values(abs(tensor([-2, 0, 3])))).toEqual([2, 0, 3]);
      expect(await values(neg(tensor([1, -2])))).toEqual([-1, 2]);
      expect(await values(sign(tensor([-2, 0, 3])))).toEqual([-1, 0, 1]);
      expect(await values(square(tensor([-3, 2])))).toEqual([9, 4]);
      expect(await values(reciprocal(tensor([2, 4])))).toEqual([0.5, 0.25]);
    });

    it('keep integer dtypes for neg/abs/sign, give f32 for transcendental ops', async () => {
      const i = i32([-3, 0, 3]);
      expect(abs(i).dtype).toBe('i32');
      expect(await values(abs(i))).toEqual([3, 0, 3]);
      expect(neg(i).dtype).toBe('i32');
      expect(sign(i).dtype).toBe('i32');
      expect(exp(i32([0])).dtype).toBe('f32');
      expect(sqrt(i32([16])).dtype).toBe('f32');
      expect(await values(sqrt(i32([16])))).toEqual([4]);
      expect(reciprocal(i32([2])).dtype).toBe('f32');
    });

    it('IEEE edge cases: log 0 = -inf, sqrt of a negative = NaN, 1/0 = inf', async () => {
      expect(await values(log(tensor([0])))).toEqual([Number.NEGATIVE_INFINITY]);
      expect(await values(sqrt(tensor([-1])))).toEqual([Number.NaN]);
      expect(await values(reciprocal(tensor([0])))).toEqual([Number.POSITIVE_INFINITY]);
    });
  });

  describe('where', () => {
    it('selects elementwise with broadcasting and weak scalars', async () => {
      const r = where(tensor([true, false, true]), tensor([1, 2, 3]), 0);
      expect(await values(r)).toEqual([1, 0, 3]);
      const b = where(tensor([[true], [false]]), tensor([1, 2, 3]), tensor([[10], [20]]));
      expect(b.shape).toEqual([2, 3]);
      expect(await toNested(b)).toEqual([
        [1, 2, 3],
        [20, 20, 20],
      ]);
      const p = where(tensor([true, false]), i32([1, 2]), tensor([0.5, 0.5]));
      expect(p.dtype).toBe('f32');
      expect(await values(p)).toEqual([1, 0.5]);
    });
  });

  describe('cast', () => {
    it('float -> int truncates toward zero, saturates infinities and maps NaN to 0 (as XLA)', async () => {
      const r = cast(
        tensor([1.7, -1.7, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]),
        'i32',
      );
      expect(r.dtype).toBe('i32');
      expect(await values(r)).toEqual([1, -1, 0, 0, 2147483647, -2147483648]);
    });

    it('-> bool is x != 0 (NaN is true, as numpy), bool -> f32 is 0/1 (-> f64: CPU only, below)', async () => {
      expect(await toNested(cast(tensor([Number.NaN, 0, -0, 2]), 'bool'))).toEqual([
        true,
        false,
        false,
        true,
      ]);
      const f = cast(tensor([true, false]), 'f32');
      expect(f.dtype).toBe('f32');
      expect(await values(f)).toEqual([1, 0]);
    });
  });

  describe('clip', () => {
    it('clamps into [lo, hi] and keeps the dtype; NaN stays NaN', async () => {
      expect(await values(clip(tensor([-5, 0.5, 5]), 0, 1))).toEqual([0, 0.5, 1]);
      const i = clip(i32([-5, 1, 9]), 0, 3);
      expect(i.dtype).toBe('i32');
      expect(await values(i)).toEqual([0, 1, 3]);
      expect(await values(clip(tensor([Number.NaN]), 0, 1))).toEqual([Number.NaN]);
    });
  });

  describe('on a mixed-sign [2, 4] grid (relative tolerance 1e-5)', () => {
    const XS = [-2.5, -1, -0.25, 0, 0.5, 1, 2, 3.75];
    const YS = [1.5, -2, 0.75, 3, -0.5, 2, -1.25, 0.5];
    const f32 = (data: ArrayLike<number>, shape: number[]) =>
      tensor(Float32Array.from(data), shape) as Tensor<number[], 'f32'>;
    const i32s = (data: ArrayLike<number>, shape: number[]) =>
      tensor(Int32Array.from(data), shape) as Tensor<number[], 'i32'>;

    it('unary: neg, abs, sign, exp, log, sqrt, sin, cos, square, reciprocal', async () => {
      const x = f32(XS, [2, 4]);
      const pos = f32(
        XS.map((v) => Math.abs(v) + 0.5),
        [2, 4],
      );
      await expectT(
        neg(x),
        [2, 4],
        XS.map((v) => -v),
      );
      await expectT(abs(x), [2, 4], XS.map(Math.abs));
      await expectT(sign(x), [2, 4], XS.map(Math.sign));
      await expectT(exp(x), [2, 4], XS.map(Math.exp));
      await expectT(
        log(pos),
        [2, 4],
        XS.map((v) => Math.log(Math.abs(v) + 0.5)),
      );
      await expectT(
        sqrt(pos),
        [2, 4],
        XS.map((v) => Math.sqrt(Math.abs(v) + 0.5)),
      );
      await expectT(sin(x), [2, 4], XS.map(Math.sin), 1e-5, 1e-6);
      await expectT(cos(x), [2, 4], XS.map(Math.cos), 1e-5, 1e-6);
      await expectT(
        square(x),
        [2, 4],
        XS.map((v) => v * v),
      );
      await expectT(
        reciprocal(pos),
        [2, 4],
        XS.map((v) => 1 / (Math.abs(v) + 0.5)),
      );
    });

    it('binary, with broadcasting, weak scalars and i32', async () => {
      const x = f32(XS, [2, 4]);
      const y = f32(YS, [2, 4]);
      const row = f32([1, 2, 3, 4], [4]);
      await expectT(
        add(x, y),
        [2, 4],
        XS.map((v, i) => v + YS[i]!),
      );
      await expectT(
        sub(x, y),
        [2, 4],
        XS.map((v, i) => v - YS[i]!),
      );
      await expectT(
        mul(x, y),
        [2, 4],
        XS.map((v, i) => v * YS[i]!),
      );
      await expectT(
        div(x, y),
        [2, 4],
        XS.map((v, i) => v / YS[i]!),
      );
      await expectT(
        maximum(x, y),
        [2, 4],
        XS.map((v, i) => Math.max(v, YS[i]!)),
      );
      await expectT(
        minimum(x, y),
        [2, 4],
        XS.map((v, i) => Math.min(v, YS[i]!)),
      );
      await expectT(
        pow(abs(x), y),
        [2, 4],
        XS.map((v, i) => Math.abs(v) ** YS[i]!),
      );
      await expectT(
        add(x, row),
        [2, 4],
        XS.map((v, i) => v + (i % 4) + 1),
      );
      await expectT(
        mul(x, 2),
        [2, 4],
        XS.map((v) => v * 2),
      );
      const a = i32s([7, -7, 3, 0], [4]);
      const b = i32s([2, 2, -5, 9], [4]);
      await expectT(add(a, b), [4], [9, -5, -2, 9]);
      await expectT(mul(a, b), [4], [14, -14, -15, 0]);
      await expectT(div(a, b), [4], [3.5, -3.5, -0.6, 0]); // div promotes ints to f32
    });

    it('compare, select (where) and cast', async () => {
      const x = f32(XS, [2, 4]);
      const y = f32(YS, [2, 4]);
      const lt = less(x, y);
      expect(lt.dtype).toBe('bool');
      await expectT(
        lt,
        [2, 4],
        XS.map((v, i) => (v < YS[i]! ? 1 : 0)),
      );
      await expectT(
        greater(x, y),
        [2, 4],
        XS.map((v, i) => (v > YS[i]! ? 1 : 0)),
      );
      await expectT(equal(x, f32([-2.5, 0, 0, 0, 0, 1, 0, 0], [2, 4])), [2, 4], [1, 0, 0, 1, 0, 1, 0, 0]);
      await expectT(
        where(lt, x, y),
        [2, 4],
        XS.map((v, i) => Math.min(v, YS[i]!)),
      );
      await expectT(
        cast(x, 'i32'),
        [2, 4],
        XS.map((v) => Math.trunc(v)),
      );
      await expectT(cast(i32s([1, -2, 3], [3]), 'f32'), [3], [1, -2, 3]);
      await expectT(
        cast(x, 'bool'),
        [2, 4],
        XS.map((v) => (v !== 0 ? 1 : 0)),
      );
      await expectT(
        cast(lt, 'f32'),
        [2, 4],
        XS.map((v, i) => (v < YS[i]! ? 1 : 0)),
      );
    });
  });

  describe('weak scalars never truncate', () => {
    it('rejects a fractional scalar with an integer tensor, naming the op', async () => {
      const i = tensor([1, 2, 3], { dtype: 'i32' });
      expect(() => add(i, 1.5)).toThrow('add: the scalar 1.5 is not an integer but the tensor is i32');
      expect(await add(i, 2).data()).toEqual(new Int32Array([3, 4, 5]));
    });
  });
});

// CPU only: f64 tensors cannot live on WebGPU (WGSL has no f64).
describe('elementwise with f64 (CPU only)', () => {
  it('promotes f32 + f64 -> f64', () => {
    const d = add(tensor(new Float64Array([0.1]), [1]), tensor([1]));
    expect(d.dtype).toBe('f64');
    expect(Array.from(d.dataSync())[0]).toBe(1.1);
  });

  it('casts i32 -> f64', () => {
    expect(cast(i32([3]), 'f64').dtype).toBe('f64');
  });
});

// Bad input: these throw before any kernel runs, so one backend covers them.
describe('binary arithmetic: bad input', () => {
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

describe('unary: bad input', () => {
  it('neg/abs/sign reject bools naming the op', () => {
    const b = tensor([true, false]);
    expect(() => neg(b)).toThrow('neg: not defined on bool tensors; cast first');
    expect(() => abs(b)).toThrow('abs: not defined on bool tensors');
    expect(() => sign(b)).toThrow('sign: not defined on bool tensors');
  });
});

describe('where: bad input', () => {
  it('rejects a non-bool condition and shapes that do not broadcast', () => {
    expect(() => where(tensor([1, 0]) as never, 1, 0)).toThrow('where: condition must be bool, got f32[2]');
    const c = tensor([true, false]) as Tensor<number[], 'bool'>;
    const x = tensor([1, 2, 3]) as Tensor<number[], 'f32'>;
    expect(() => where(c, x, 0)).toThrow('where: dims 2 and 3 do not broadcast');
  });
});

describe('clip: bad input', () => {
  it('rejects lo > hi naming the op and the bounds', () => {
    expect(() => clip(tensor([1]), 2, 1)).toThrow('clip: lower bound 2 exceeds upper bound 1');
  });
});
