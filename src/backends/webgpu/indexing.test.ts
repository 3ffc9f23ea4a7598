import { afterAll, describe, expect, it } from 'vitest';
import { threefry2x32, threefryBits } from '../../random/threefry.ts';
import { acquireTestBackend, runPrim, t } from './test-helpers.ts';

const backend = await acquireTestBackend();
afterAll(() => backend?.destroy());

describe.skipIf(!backend)('webgpu gather / scatter_add', { timeout: 30_000 }, () => {
  const be = backend!;
  const x = t([1, 2, 3, 4, 5, 6], [3, 2]);

  it('gather is numpy take, negative indices wrap, out-of-range ones clamp', async () => {
    const idx = t([2, 0, -1], [3], 'i32');
    expect(await runPrim(be, 'gather', [x, idx], { axis: 0 }, { shape: [3, 2], dtype: 'f32' })).toEqual([
      5, 6, 1, 2, 5, 6,
    ]);
    const idx2 = t([1, 0], [2, 1], 'i32');
    expect(await runPrim(be, 'gather', [x, idx2], { axis: 1 }, { shape: [3, 2, 1], dtype: 'f32' })).toEqual([
      2, 1, 4, 3, 6, 5,
    ]);
    const far = t([7, -9], [2], 'i32');
    expect(await runPrim(be, 'gather', [x, far], { axis: 0 }, { shape: [2, 2], dtype: 'f32' })).toEqual([
      5, 6, 1, 2,
    ]);
    const xi = t([10, 20, 30], [3], 'i32');
    expect(
      await runPrim(be, 'gather', [xi, t([2, 2, 1], [3], 'i32')], { axis: 0 }, { shape: [3], dtype: 'i32' }),
    ).toEqual([30, 30, 20]);
  });

  it('scatter_add accumulates repeated indices', async () => {
    const z = t([0, 0, 0, 0, 0, 0], [3, 2]);
    const idx = t([0, 2, 0], [3], 'i32');
    const upd = t([1, 2, 3, 4, 5, 6], [3, 2]);
    expect(
      await runPrim(be, 'scatter_add', [z, idx, upd], { axis: 0 }, { shape: [3, 2], dtype: 'f32' }),
    ).toEqual([6, 8, 0, 0, 3, 4]);
    // axis 1, onto a non-zero operand, negative index
    const idx1 = t([-1, 0, 1], [3], 'i32');
    const upd1 = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);
    expect(
      await runPrim(be, 'scatter_add', [x, idx1, upd1], { axis: 1 }, { shape: [3, 2], dtype: 'f32' }),
    ).toEqual([1 + 2, 2 + 1 + 3, 3 + 5, 4 + 4 + 6, 5 + 8, 6 + 7 + 9]);
  });

  it('scatter_add: 64 f32 and i32 updates onto one element (atomics)', async () => {
    const idx = t(new Array(64).fill(1), [64], 'i32');
    const f = await runPrim(
      be,
      'scatter_add',
      [t([0, 0.5], [2]), idx, t(new Array(64).fill(0.25), [64])],
      { axis: 0 },
      {
        shape: [2],
        dtype: 'f32',
      },
    );
    expect(f).toEqual([0, 16.5]);
    const i = await runPrim(
      be,
      'scatter_add',
      [t([3, 0], [2], 'i32'), idx, t(new Array(64).fill(-2), [64], 'i32')],
      { axis: 0 },
      { shape: [2], dtype: 'i32' },
    );
    expect(i).toEqual([3, -128]);
    const b = await runPrim(
      be,
      'scatter_add',
      [t([0, 0, 1], [3], 'bool'), t([0, 0, 1], [3], 'i32'), t([0, 1, 0], [3], 'bool')],
      { axis: 0 },
      { shape: [3], dtype: 'bool' },
    );
    expect(b).toEqual([1, 0, 1]);
  });
});

describe.skipIf(!backend)('webgpu random_bits', { timeout: 30_000 }, () => {
  const be = backend!;

  it('matches the Random123 known answer for threefry2x32_20', async () => {
    // Random123 kat_vectors: threefry2x32_20, key (0, 0), counter (0, 0) -> 6b200159 99ba4efe
    const out = await runPrim(
      be,
      'random_bits',
      [t([0, 0], [2], 'i32')],
      { shape: [2], stream: 0 },
      { shape: [2], dtype: 'i32' },
    );
    expect(out.map((v) => v >>> 0)).toEqual([0x6b200159, 0x99ba4efe]);
  });

  it('is bit-identical to src/random/threefry.ts', async () => {
    const keys: [number, number][] = [
      [0, 0],
      [42, -7],
      [-1, 2147483647],
      [0x13198a2e, 0x03707344],
    ];
    for (const [k0, k1] of keys) {
      for (const stream of [0, 1, 0xdeadbeef]) {
        const n = 37;
        const out = await runPrim(
          be,
          'random_bits',
          [t([k0, k1], [2], 'i32')],
          { shape: [37], stream },
          {
            shape: [37],
            dtype: 'i32',
          },
        );
        expect(out.map((v) => v >>> 0)).toEqual(Array.from(threefryBits(k0, k1, n, stream)));
        const [y0, y1] = threefry2x32(k0, k1, 5, stream);
        expect([out[10]! >>> 0, out[11]! >>> 0]).toEqual([y0, y1]);
      }
    }
    const shaped = await runPrim(
      be,
      'random_bits',
      [t([1, 2], [2], 'i32')],
      { shape: [2, 3], stream: 4 },
      {
        shape: [2, 3],
        dtype: 'i32',
      },
    );
    expect(shaped.map((v) => v >>> 0)).toEqual(Array.from(threefryBits(1, 2, 6, 4)));
  });
});
