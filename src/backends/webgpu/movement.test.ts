import { afterAll, describe, expect, it } from 'vitest';
import { acquireTestBackend, runPrim, t } from './test-helpers.ts';

const backend = await acquireTestBackend();
afterAll(() => backend?.destroy());

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);

describe.skipIf(!backend)('webgpu movement', { timeout: 30_000 }, () => {
  const be = backend!;
  const x = t(range(6), [2, 3]);

  it('reshape aliases and frees correctly', async () => {
    const a = be.upload(Float32Array.from(range(6)), 'f32');
    const r = be.run(
      'reshape',
      [{ buffer: a, shape: [2, 3], dtype: 'f32' }],
      { shape: [3, 2] },
      { shape: [3, 2], dtype: 'f32' },
    );
    be.dispose(a);
    expect(Array.from(await be.read(r, 'f32', 6))).toEqual(range(6));
    be.dispose(r);
  });

  it('broadcast_in_dim', async () => {
    const row = t([1, 2, 3], [3]);
    expect(
      await runPrim(
        be,
        'broadcast_in_dim',
        [row],
        { shape: [2, 3], dims: [1] },
        { shape: [2, 3], dtype: 'f32' },
      ),
    ).toEqual([1, 2, 3, 1, 2, 3]);
    const col = t([1, 2], [2]);
    expect(
      await runPrim(
        be,
        'broadcast_in_dim',
        [col],
        { shape: [2, 3], dims: [0] },
        { shape: [2, 3], dtype: 'f32' },
      ),
    ).toEqual([1, 1, 1, 2, 2, 2]);
    const one = t([5, 6], [2, 1], 'i32');
    expect(
      await runPrim(
        be,
        'broadcast_in_dim',
        [one],
        { shape: [2, 2, 2], dims: [0, 2] },
        { shape: [2, 2, 2], dtype: 'i32' },
      ),
    ).toEqual([5, 5, 5, 5, 6, 6, 6, 6]);
    const scalar = t([7], [], 'bool');
    expect(
      await runPrim(
        be,
        'broadcast_in_dim',
        [scalar],
        { shape: [3], dims: [] },
        { shape: [3], dtype: 'bool' },
      ),
    ).toEqual([1, 1, 1]);
  });

  it('transpose', async () => {
    expect(await runPrim(be, 'transpose', [x], { perm: [1, 0] }, { shape: [3, 2], dtype: 'f32' })).toEqual([
      0, 3, 1, 4, 2, 5,
    ]);
    const y = t(range(24), [2, 3, 4], 'i32');
    const out = await runPrim(be, 'transpose', [y], { perm: [2, 0, 1] }, { shape: [4, 2, 3], dtype: 'i32' });
    // out[k, i, j] = y[i, j, k] = 12 i + 4 j + k
    const expected: number[] = [];
    for (let k = 0; k < 4; k++)
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expected.push(12 * i + 4 * j + k);
    expect(out).toEqual(expected);
  });

  it('slice with strides', async () => {
    const y = t(range(20), [4, 5]);
    expect(
      await runPrim(
        be,
        'slice',
        [y],
        { start: [1, 0], limit: [4, 5], stride: [2, 2] },
        { shape: [2, 3], dtype: 'f32' },
      ),
    ).toEqual([5, 7, 9, 15, 17, 19]);
    expect(
      await runPrim(
        be,
        'slice',
        [y],
        { start: [0, 3], limit: [0, 5], stride: [1, 1] },
        { shape: [0, 2], dtype: 'f32' },
      ),
    ).toEqual([]);
  });

  it('pad with edges and interior', async () => {
    const y = t([1, 2, 3, 4], [2, 2]);
    expect(
      await runPrim(
        be,
        'pad',
        [y],
        { lo: [1, 0], hi: [0, 1], interior: [0, 1] },
        { shape: [3, 4], dtype: 'f32' },
      ),
    ).toEqual([0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0]);
    const v = t([1, 2, 3], [3], 'i32');
    expect(
      await runPrim(be, 'pad', [v], { lo: [2], hi: [1], interior: [2] }, { shape: [10], dtype: 'i32' }),
    ).toEqual([0, 0, 1, 0, 0, 2, 0, 0, 3, 0]);
  });

  it('rev', async () => {
    expect(await runPrim(be, 'rev', [x], { axes: [1] }, { shape: [2, 3], dtype: 'f32' })).toEqual([
      2, 1, 0, 5, 4, 3,
    ]);
    expect(await runPrim(be, 'rev', [x], { axes: [0, 1] }, { shape: [2, 3], dtype: 'f32' })).toEqual([
      5, 4, 3, 2, 1, 0,
    ]);
  });

  it('concatenate, including more than 7 inputs', async () => {
    const a = t([1, 2, 3, 4], [2, 2]);
    const b = t([5, 6], [2, 1]);
    expect(await runPrim(be, 'concatenate', [a, b], { axis: 1 }, { shape: [2, 3], dtype: 'f32' })).toEqual([
      1, 2, 5, 3, 4, 6,
    ]);
    expect(await runPrim(be, 'concatenate', [a, a], { axis: 0 }, { shape: [4, 2], dtype: 'f32' })).toEqual([
      1, 2, 3, 4, 1, 2, 3, 4,
    ]);
    const many = range(17).map((i) => t([i, 100 + i], [2, 1], 'i32'));
    const out = await runPrim(be, 'concatenate', many, { axis: 1 }, { shape: [2, 17], dtype: 'i32' });
    expect(out).toEqual([...range(17), ...range(17, 100)]);
    const live = be.memory();
    expect(live.liveBuffers).toBe(0);
  });
});
