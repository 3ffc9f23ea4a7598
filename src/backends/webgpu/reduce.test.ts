import { afterAll, describe, expect, it } from 'vitest';
import { acquireTestBackend, expectClose, runPrim, t } from './test-helpers.ts';

const backend = await acquireTestBackend();
afterAll(() => backend?.destroy());

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
const NEG_INF = Number.NEGATIVE_INFINITY;

describe.skipIf(!backend)('webgpu reductions', { timeout: 30_000 }, () => {
  const be = backend!;
  const x = t([1, 2, 3, 4, 5, 6], [2, 3]);

  it('reduce_sum over axes', async () => {
    expect(await runPrim(be, 'reduce_sum', [x], { axes: [0] }, { shape: [3], dtype: 'f32' })).toEqual([
      5, 7, 9,
    ]);
    expect(await runPrim(be, 'reduce_sum', [x], { axes: [1] }, { shape: [2], dtype: 'f32' })).toEqual([
      6, 15,
    ]);
    expect(await runPrim(be, 'reduce_sum', [x], { axes: [0, 1] }, { shape: [], dtype: 'f32' })).toEqual([21]);
    expect(await runPrim(be, 'reduce_sum', [x], { axes: [] }, { shape: [2, 3], dtype: 'f32' })).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    // non-adjacent axes of a [3, 4, 5] tensor: out[j] = Σ_{i,k} (20 i + 5 j + k) = 15·(20+ ... )
    const y = t(range(60), [3, 4, 5], 'i32');
    const expected = range(4).map((j) => {
      let s = 0;
      for (let i = 0; i < 3; i++) for (let k = 0; k < 5; k++) s += 20 * i + 5 * j + k;
      return s;
    });
    expect(await runPrim(be, 'reduce_sum', [y], { axes: [0, 2] }, { shape: [4], dtype: 'i32' })).toEqual(
      expected,
    );
  });

  it('long reductions use the workgroup tree', async () => {
    const y = t(range(200), [2, 100]);
    expect(await runPrim(be, 'reduce_sum', [y], { axes: [1] }, { shape: [2], dtype: 'f32' })).toEqual([
      4950, 14950,
    ]);
    expect(await runPrim(be, 'reduce_max', [y], { axes: [1] }, { shape: [2], dtype: 'f32' })).toEqual([
      99, 199,
    ]);
    const z = t(range(64 * 40), [64, 40], 'i32');
    const colSums = range(40).map((j) => {
      let s = 0;
      for (let i = 0; i < 64; i++) s += 40 * i + j;
      return s;
    });
    expect(await runPrim(be, 'reduce_sum', [z], { axes: [0] }, { shape: [40], dtype: 'i32' })).toEqual(
      colSums,
    );
  });

  it('empty reductions give the identity', async () => {
    const e = t([], [2, 0]);
    expect(await runPrim(be, 'reduce_sum', [e], { axes: [1] }, { shape: [2], dtype: 'f32' })).toEqual([0, 0]);
    expect(await runPrim(be, 'reduce_max', [e], { axes: [1] }, { shape: [2], dtype: 'f32' })).toEqual([
      NEG_INF,
      NEG_INF,
    ]);
    const ei = t([], [3, 0], 'i32');
    expect(await runPrim(be, 'reduce_max', [ei], { axes: [1] }, { shape: [3], dtype: 'i32' })).toEqual([
      -2147483648, -2147483648, -2147483648,
    ]);
  });

  it('reduce_max propagates NaN; bool reductions are any/or', async () => {
    const y = t([1, Number.NaN, 3, -1, -2, -3], [2, 3]);
    expectClose(await runPrim(be, 'reduce_max', [y], { axes: [1] }, { shape: [2], dtype: 'f32' }), [
      Number.NaN,
      -1,
    ]);
    const b = t([0, 1, 0, 0], [2, 2], 'bool');
    expect(await runPrim(be, 'reduce_sum', [b], { axes: [1] }, { shape: [2], dtype: 'bool' })).toEqual([
      1, 0,
    ]);
    expect(await runPrim(be, 'reduce_max', [b], { axes: [0] }, { shape: [2], dtype: 'bool' })).toEqual([
      0, 1,
    ]);
  });

  it('argmax: first maximum, NaN counts as maximum', async () => {
    const y = t([1, 3, 3, Number.NaN, 5, Number.NaN], [2, 3]);
    expect(await runPrim(be, 'argmax', [y], { axis: 1 }, { shape: [2], dtype: 'i32' })).toEqual([1, 0]);
    const z = t([1, 5, 2, 5], [2, 2]);
    expect(await runPrim(be, 'argmax', [z], { axis: 0 }, { shape: [2], dtype: 'i32' })).toEqual([1, 0]);
    const i = t([-5, -2, -2, -7], [4], 'i32');
    expect(await runPrim(be, 'argmax', [i], { axis: 0 }, { shape: [], dtype: 'i32' })).toEqual([1]);
    // tree path: 300 values, maxima at 70 and 250
    const long = range(300).map((k) => (k === 70 || k === 250 ? 1000 : k % 17));
    expect(await runPrim(be, 'argmax', [t(long, [300])], { axis: 0 }, { shape: [], dtype: 'i32' })).toEqual([
      70,
    ]);
    const withNaN = long.map((v, k) => (k === 200 || k === 280 ? Number.NaN : v));
    expect(
      await runPrim(be, 'argmax', [t(withNaN, [300])], { axis: 0 }, { shape: [], dtype: 'i32' }),
    ).toEqual([200]);
  });
});
