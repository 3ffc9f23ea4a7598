import { afterAll, describe, expect, it } from 'vitest';
import { acquireTestBackend, expectClose, NONE, runPrim, t } from './test-helpers.ts';

const backend = await acquireTestBackend();
afterAll(() => backend?.destroy());

const F = Math.fround;

describe.skipIf(!backend)('webgpu elementwise', { timeout: 30_000 }, () => {
  const be = backend!;
  const x = t([-2, -0.5, 0, 0.5, 2, 30], [2, 3]);
  const sh = { shape: [2, 3], dtype: 'f32' as const };

  it('unary f32', async () => {
    expectClose(await runPrim(be, 'neg', [x], NONE, sh), [2, 0.5, -0, -0.5, -2, -30]);
    expectClose(await runPrim(be, 'exp', [x], NONE, sh), [-2, -0.5, 0, 0.5, 2, 30].map(Math.exp));
    expectClose(await runPrim(be, 'sin', [x], NONE, sh), [-2, -0.5, 0, 0.5, 2, 30].map(Math.sin), 1e-4, 1e-5);
    expectClose(await runPrim(be, 'cos', [x], NONE, sh), [-2, -0.5, 0, 0.5, 2, 30].map(Math.cos), 1e-4, 1e-5);
    expectClose(await runPrim(be, 'abs', [x], NONE, sh), [2, 0.5, 0, 0.5, 2, 30]);
    expectClose(await runPrim(be, 'sign', [x], NONE, sh), [-1, -1, 0, 1, 1, 1]);
    const pos = t([0, 0.25, 1, 4, -1, Number.NaN], [6]);
    const s6 = { shape: [6], dtype: 'f32' as const };
    expectClose(await runPrim(be, 'sqrt', [pos], NONE, s6), [0, 0.5, 1, 2, Number.NaN, Number.NaN]);
    expectClose(await runPrim(be, 'log', [pos], NONE, s6), [
      Number.NEGATIVE_INFINITY,
      Math.log(0.25),
      0,
      Math.log(4),
      Number.NaN,
      Number.NaN,
    ]);
    expectClose(await runPrim(be, 'sign', [pos], NONE, s6), [0, 1, 1, 1, -1, Number.NaN]);
    const inf = Number.POSITIVE_INFINITY;
    const edge = t([inf, -inf, Number.NaN, 100, -100, 0], [6]);
    expectClose(
      await runPrim(be, 'exp', [edge], NONE, s6),
      [inf, 0, Number.NaN, inf, Math.exp(-100), 1],
      1e-5,
      1e-30,
    );
    expectClose(await runPrim(be, 'log', [edge], NONE, s6), [
      inf,
      Number.NaN,
      Number.NaN,
      Math.log(100),
      Number.NaN,
      -inf,
    ]);
    expectClose(await runPrim(be, 'sqrt', [edge], NONE, s6), [
      inf,
      Number.NaN,
      Number.NaN,
      10,
      Number.NaN,
      0,
    ]);
    expectClose(
      await runPrim(be, 'sin', [edge], NONE, s6),
      [Number.NaN, Number.NaN, Number.NaN, Math.sin(100), -Math.sin(100), 0],
      1e-5,
      1e-6,
    );
    expectClose(
      await runPrim(be, 'cos', [edge], NONE, s6),
      [Number.NaN, Number.NaN, Number.NaN, Math.cos(100), Math.cos(100), 1],
      1e-5,
      1e-6,
    );
    expectClose(await runPrim(be, 'tanh', [edge], NONE, s6), [1, -1, Number.NaN, 1, -1, 0]);
    expectClose(
      await runPrim(be, 'logistic', [edge], NONE, s6),
      [1, 0, Number.NaN, 1, 1 / (1 + Math.exp(100)), 0.5],
      1e-5,
      1e-30,
    );
    expectClose(await runPrim(be, 'abs', [edge], NONE, s6), [inf, inf, Number.NaN, 100, 100, 0]);
  });

  it('tanh and logistic are stable for large |x| and precise for small', async () => {
    const v = [-1000, -20, -1, -1e-6, 0, 1e-7, 0.3, 1, 20, 100, 1000, Number.NaN];
    const a = t(v, [12]);
    const s12 = { shape: [12], dtype: 'f32' as const };
    expectClose(await runPrim(be, 'tanh', [a], NONE, s12), v.map(Math.tanh), 1e-5, 1e-30);
    const logistic = (z: number) => 1 / (1 + Math.exp(-z));
    expectClose(await runPrim(be, 'logistic', [a], NONE, s12), v.map(logistic), 1e-5, 1e-30);
  });

  it('binary f32', async () => {
    const a = t([1, -2, 3, 0, 5, -7], [2, 3]);
    const b = t([4, 5, -6, 2, 0, 2], [2, 3]);
    expectClose(await runPrim(be, 'add', [a, b], NONE, sh), [5, 3, -3, 2, 5, -5]);
    expectClose(await runPrim(be, 'sub', [a, b], NONE, sh), [-3, -7, 9, -2, 5, -9]);
    expectClose(await runPrim(be, 'mul', [a, b], NONE, sh), [4, -10, -18, 0, 0, -14]);
    expectClose(await runPrim(be, 'div', [a, b], NONE, sh), [
      0.25,
      -0.4,
      -0.5,
      0,
      Number.POSITIVE_INFINITY,
      -3.5,
    ]);
    expectClose(await runPrim(be, 'max', [a, b], NONE, sh), [4, 5, 3, 2, 5, 2]);
    expectClose(await runPrim(be, 'min', [a, b], NONE, sh), [1, -2, -6, 0, 0, -7]);
    const nan = t([Number.NaN, 1], [2]);
    const one = t([1, Number.NaN], [2]);
    const s2 = { shape: [2], dtype: 'f32' as const };
    expectClose(await runPrim(be, 'max', [nan, one], NONE, s2), [Number.NaN, Number.NaN]);
    expectClose(await runPrim(be, 'min', [nan, one], NONE, s2), [Number.NaN, Number.NaN]);
  });

  it('pow follows IEEE / C pow', async () => {
    const inf = Number.POSITIVE_INFINITY;
    const base = [2, -2, -2, 0, 0, 3, 9, -8, 1.5, 4, Number.NaN, 2, 1, -1, -0, -0, -0, -0, -3, 0.5];
    const ex = [
      10,
      3,
      0.5,
      2,
      -1,
      0,
      0.5,
      1 / 3,
      -2,
      0.25,
      0,
      Number.NaN,
      Number.NaN,
      -inf,
      -1,
      3,
      0.5,
      -2,
      7,
      inf,
    ];
    // C's pow: JS's ** except pow(1, y) = 1 and pow(-1, ±inf) = 1
    const cpow = (x: number, y: number) => (x === 1 || (x === -1 && Math.abs(y) === inf) ? 1 : x ** y);
    const expected = base.map((b, i) => F(cpow(b, F(ex[i]!))));
    const s = { shape: [base.length], dtype: 'f32' as const };
    const got = await runPrim(be, 'pow', [t(base, [base.length]), t(ex, [base.length])], NONE, s);
    expectClose(got, expected, 1e-5);
    expect(Object.is(got[14], Number.NEGATIVE_INFINITY) && Object.is(got[15], -0)).toBe(true);
  });

  it('i32 arithmetic: division truncates toward zero, x/0 = 0', async () => {
    const a = t([7, -7, 7, -7, 5, 2147483647, 3, -3], [8], 'i32');
    const b = t([2, 2, -2, -2, 0, 1, 4, 3], [8], 'i32');
    const s = { shape: [8], dtype: 'i32' as const };
    expect(await runPrim(be, 'div', [a, b], NONE, s)).toEqual([3, -3, -3, 3, 0, 2147483647, 0, -1]);
    expect(await runPrim(be, 'add', [a, b], NONE, s)).toEqual([9, -5, 5, -9, 5, -2147483648, 7, 0]);
    expect(await runPrim(be, 'mul', [a, b], NONE, s)).toEqual([14, -14, -14, 14, 0, 2147483647, 12, -9]);
    expect(await runPrim(be, 'max', [a, b], NONE, s)).toEqual([7, 2, 7, -2, 5, 2147483647, 4, 3]);
    expect(await runPrim(be, 'pow', [a, b], NONE, s)).toEqual([49, 49, 0, 0, 1, 2147483647, 81, -27]);
    expect(await runPrim(be, 'neg', [a], NONE, s)).toEqual([-7, 7, -7, 7, -5, -2147483647, -3, 3]);
    expect(await runPrim(be, 'abs', [a], NONE, s)).toEqual([7, 7, 7, 7, 5, 2147483647, 3, 3]);
    expect(await runPrim(be, 'sign', [b], NONE, s)).toEqual([1, 1, -1, -1, 0, 1, 1, 1]);
  });

  it('compare gives bool', async () => {
    const a = t([1, 2, 3, Number.NaN], [4]);
    const b = t([2, 2, 2, Number.NaN], [4]);
    const s = { shape: [4], dtype: 'bool' as const };
    expect(await runPrim(be, 'compare', [a, b], { op: 'lt' }, s)).toEqual([1, 0, 0, 0]);
    expect(await runPrim(be, 'compare', [a, b], { op: 'le' }, s)).toEqual([1, 1, 0, 0]);
    expect(await runPrim(be, 'compare', [a, b], { op: 'gt' }, s)).toEqual([0, 0, 1, 0]);
    expect(await runPrim(be, 'compare', [a, b], { op: 'ge' }, s)).toEqual([0, 1, 1, 0]);
    expect(await runPrim(be, 'compare', [a, b], { op: 'eq' }, s)).toEqual([0, 1, 0, 0]);
    expect(await runPrim(be, 'compare', [a, b], { op: 'ne' }, s)).toEqual([1, 0, 1, 1]);
    const i = t([1, -5, 3], [3], 'i32');
    const j = t([1, 5, -3], [3], 'i32');
    expect(await runPrim(be, 'compare', [i, j], { op: 'lt' }, { shape: [3], dtype: 'bool' })).toEqual([
      0, 1, 0,
    ]);
  });

  it('select and bool arithmetic', async () => {
    const c = t([1, 0, 1, 0], [2, 2], 'bool');
    const a = t([1, 2, 3, 4], [2, 2]);
    const b = t([10, 20, 30, 40], [2, 2]);
    expect(await runPrim(be, 'select', [c, a, b], NONE, { shape: [2, 2], dtype: 'f32' })).toEqual([
      1, 20, 3, 40,
    ]);
    const p = t([0, 0, 1, 1], [4], 'bool');
    const q = t([0, 1, 0, 1], [4], 'bool');
    const s = { shape: [4], dtype: 'bool' as const };
    expect(await runPrim(be, 'add', [p, q], NONE, s)).toEqual([0, 1, 1, 1]);
    expect(await runPrim(be, 'mul', [p, q], NONE, s)).toEqual([0, 0, 0, 1]);
    expect(await runPrim(be, 'max', [p, q], NONE, s)).toEqual([0, 1, 1, 1]);
    expect(await runPrim(be, 'min', [p, q], NONE, s)).toEqual([0, 0, 0, 1]);
    expect(await runPrim(be, 'sub', [p, q], NONE, s)).toEqual([0, 1, 1, 0]);
    await expect(runPrim(be, 'div', [p, q], NONE, s)).rejects.toThrow(/not defined for bool/);
    expect(be.memory().liveBuffers).toBe(0);
  });

  it('cast', async () => {
    const f = t([1.7, -1.7, 0, Number.NaN, 3e9, -3e9, 0.5, -0], [8]);
    const s = { shape: [8] };
    expect(await runPrim(be, 'cast', [f], { dtype: 'i32' }, { ...s, dtype: 'i32' })).toEqual([
      1, -1, 0, 0, 2147483647, -2147483648, 0, 0,
    ]);
    expect(await runPrim(be, 'cast', [f], { dtype: 'bool' }, { ...s, dtype: 'bool' })).toEqual([
      1, 1, 0, 1, 1, 1, 1, 0,
    ]);
    const i = t([-3, 0, 16777217, 2], [4], 'i32');
    expect(await runPrim(be, 'cast', [i], { dtype: 'f32' }, { shape: [4], dtype: 'f32' })).toEqual([
      -3, 0, 16777216, 2,
    ]);
    expect(await runPrim(be, 'cast', [i], { dtype: 'bool' }, { shape: [4], dtype: 'bool' })).toEqual([
      1, 0, 1, 1,
    ]);
    const b = t([1, 0, 1], [3], 'bool');
    expect(await runPrim(be, 'cast', [b], { dtype: 'f32' }, { shape: [3], dtype: 'f32' })).toEqual([1, 0, 1]);
    expect(await runPrim(be, 'cast', [b], { dtype: 'i32' }, { shape: [3], dtype: 'i32' })).toEqual([1, 0, 1]);
    expect(await runPrim(be, 'cast', [b], { dtype: 'bool' }, { shape: [3], dtype: 'bool' })).toEqual([
      1, 0, 1,
    ]);
  });
});
