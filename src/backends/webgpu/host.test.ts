/**
 * Host forwarding of tiny ops (host.ts): the forwarded results equal the WGSL kernels' bit for
 * bit, forwarded chains dispatch nothing, and a GPU kernel reading a host-resident buffer
 * gets its values.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DType } from '../../core/dtype.ts';
import type { PrimName, PrimParams } from '../../core/primitives.ts';
import { HOST_MAX_ELEMENTS } from './host.ts';
import { acquireTestBackend, type HostTensor, NONE, runPrim, t } from './test-helpers.ts';

const gpu = await acquireTestBackend({ hostForwarding: false });
const host = await acquireTestBackend({ hostForwarding: true });

const F32_EDGES = [0, -0, 1, -1, 1.5, -2.25, 3.4e38, -3.4e38, 1e-30, Infinity, -Infinity, NaN, 0.1, 7];
const F32_OTHER = [-0, 0, 0.1, 2, -1.5, 3.4e38, 3.4e38, -1e-30, -Infinity, Infinity, 1, 2, NaN, 7];
const I32_EDGES = [0, 1, -1, 2147483647, -2147483648, 65536, -7, 12345, 3, -3];
const I32_OTHER = [5, 2147483647, -2147483648, 1, -1, 65536, 7, -12345, -3, 0];

/** A value as a string that tells -0 from 0. */
const exact = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

/** Runs `prim` on both backends; the results must be identical (NaN == NaN, -0 != 0). */
async function same<P extends PrimName>(
  prim: P,
  inputs: readonly HostTensor[],
  params: PrimParams[P],
  out: { shape: readonly number[]; dtype: DType },
): Promise<number[]> {
  const before = host!.dispatchCount;
  const viaHost = await runPrim(host!, prim, inputs, params, out);
  expect(host!.dispatchCount - before, `${prim} was not forwarded`).toBe(0);
  const viaGpu = await runPrim(gpu!, prim, inputs, params, out);
  expect(viaHost.map(exact), prim).toEqual(viaGpu.map(exact));
  return viaHost;
}

describe.skipIf(!gpu || !host)('webgpu host forwarding of tiny ops', () => {
  afterAll(() => {
    gpu?.destroy();
    host?.destroy();
  });
  const n = F32_EDGES.length;
  const f = t(F32_EDGES, [n]);
  const g = t(F32_OTHER, [n]);
  const m = I32_EDGES.length;
  const i = t(I32_EDGES, [m], 'i32');
  const j = t(I32_OTHER, [m], 'i32');
  const b = t([1, 0, 1, 1, 0, 0, 1, 0, 1, 0], [m], 'bool');
  const c = t([1, 1, 0, 1, 0, 1, 0, 0, 1, 1], [m], 'bool');

  for (const prim of ['add', 'sub', 'mul', 'max', 'min'] as const) {
    it(`${prim}: f32, i32 and bool as the kernels`, async () => {
      await same(prim, [f, g], NONE, { shape: [n], dtype: 'f32' });
      await same(prim, [i, j], NONE, { shape: [m], dtype: 'i32' });
      await same(prim, [b, c], NONE, { shape: [m], dtype: 'bool' });
    });
  }

  it('neg, abs, compare, select and cast as the kernels', async () => {
    for (const prim of ['neg', 'abs'] as const) {
      await same(prim, [f], NONE, { shape: [n], dtype: 'f32' });
      await same(prim, [i], NONE, { shape: [m], dtype: 'i32' });
    }
    for (const op of ['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const) {
      await same('compare', [f, g], { op }, { shape: [n], dtype: 'bool' });
      await same('compare', [i, j], { op }, { shape: [m], dtype: 'bool' });
    }
    expect(await same('select', [b, i, j], NONE, { shape: [m], dtype: 'i32' })).toEqual(
      I32_EDGES.map((x, k) => (b.data[k] ? x : I32_OTHER[k]!)),
    );
    await same('cast', [f], { dtype: 'i32' }, { shape: [n], dtype: 'i32' });
    await same('cast', [f], { dtype: 'bool' }, { shape: [n], dtype: 'bool' });
    await same('cast', [i], { dtype: 'f32' }, { shape: [m], dtype: 'f32' });
    await same('cast', [b], { dtype: 'f32' }, { shape: [m], dtype: 'f32' });
  });

  it('broadcast_in_dim as the kernel, scalars and inner dims', async () => {
    expect(
      await same(
        'broadcast_in_dim',
        [t([2.5], [])],
        { shape: [2, 3], dims: [] },
        { shape: [2, 3], dtype: 'f32' },
      ),
    ).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(
      await same(
        'broadcast_in_dim',
        [t([1, 2, 3], [3, 1])],
        { shape: [2, 3, 4], dims: [1, 2] },
        { shape: [2, 3, 4], dtype: 'f32' },
      ),
    ).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  });

  it('a chain of tiny adds dispatches nothing; a GPU kernel reads a host-resident buffer', async () => {
    const spec = { shape: [4], dtype: 'f32' as const };
    const one = host!.upload(new Float32Array([1, 1, 1, 1]), 'f32');
    let x = host!.upload(new Float32Array([0, 1, 2, 3]), 'f32');
    const d0 = host!.dispatchCount;
    for (let k = 0; k < 50; k++) {
      const y = host!.run(
        'add',
        [
          { buffer: x, ...spec },
          { buffer: one, ...spec },
        ],
        NONE,
        spec,
      );
      host!.dispose(x);
      x = y;
    }
    expect(host!.dispatchCount).toBe(d0);
    // exp is not forwarded: its kernel binds x, which is then copied to the GPU
    const e = host!.run('exp', [{ buffer: x, ...spec }], NONE, spec);
    expect(host!.dispatchCount).toBe(d0 + 1);
    expect(Array.from(await host!.read(x, 'f32', 4))).toEqual([50, 51, 52, 53]);
    const ev = Array.from(await host!.read(e, 'f32', 4));
    expect(ev.map((v) => Math.round(Math.log(v)))).toEqual([50, 51, 52, 53]);
    for (const h of [x, e, one]) host!.dispose(h);
    expect(host!.memory().liveBuffers).toBe(0);
  });

  it('outputs above the threshold run on the GPU', async () => {
    const k = HOST_MAX_ELEMENTS + 1;
    const before = host!.dispatchCount;
    const r = await runPrim(
      host!,
      'broadcast_in_dim',
      [t([3], [])],
      { shape: [k], dims: [] },
      { shape: [k], dtype: 'f32' },
    );
    expect(host!.dispatchCount - before).toBe(1);
    expect(r).toEqual(new Array(k).fill(3));
  });
});
