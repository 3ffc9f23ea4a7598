/**
 * Backend agreement: every primitive on WebGPU against the CPU backend, on deterministic
 * pseudo-random inputs (with NaN, ±inf and zeros for the elementwise ones).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DType, TypedArray } from '../../core/dtype.ts';
import { BINARY_PRIMS, type PrimName, type PrimParams, UNARY_PRIMS } from '../../core/primitives.ts';
import { createCpuBackend } from '../cpu/index.ts';
import { acquireTestBackend, expectClose, NONE } from './test-helpers.ts';

const backend = await acquireTestBackend();
afterAll(() => backend?.destroy());
const cpu = createCpuBackend();

let seed = 12345;
function rand(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
}
function floats(n: number, scale = 4, specials = false): number[] {
  const sp = [0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -1];
  return Array.from({ length: n }, (_, i) =>
    specials && i % 7 === 3 ? sp[((i / 7) % sp.length) | 0]! : (rand() * 2 - 1) * scale,
  );
}
function ints(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => lo + Math.floor(rand() * (hi - lo + 1)));
}

interface In {
  data: number[];
  shape: number[];
  dtype: DType;
}
const f = (data: number[], shape: number[]): In => ({ data, shape, dtype: 'f32' });
const i32 = (data: number[], shape: number[]): In => ({ data, shape, dtype: 'i32' });
const b8 = (data: number[], shape: number[]): In => ({
  data: data.map((x) => (x ? 1 : 0)),
  shape,
  dtype: 'bool',
});

function typed(x: In): TypedArray {
  return x.dtype === 'f32'
    ? Float32Array.from(x.data)
    : x.dtype === 'i32'
      ? Int32Array.from(x.data)
      : Uint8Array.from(x.data);
}

async function both<P extends PrimName>(
  prim: P,
  inputs: In[],
  params: PrimParams[P],
  shape: number[],
  dtype: DType,
  rtol = 2e-6,
  atol = 1e-6,
): Promise<void> {
  const be = backend!;
  const size = shape.reduce((a, b) => a * b, 1);
  const cOps = inputs.map((x) => ({ buffer: cpu.upload(typed(x), x.dtype), shape: x.shape, dtype: x.dtype }));
  const want = Array.from(await cpu.read(cpu.run(prim, cOps, params, { shape, dtype }), dtype, size));
  const gOps = inputs.map((x) => ({ buffer: be.upload(typed(x), x.dtype), shape: x.shape, dtype: x.dtype }));
  const out = be.run(prim, gOps, params, { shape, dtype });
  const got = Array.from(await be.read(out, dtype, size));
  be.dispose(out);
  for (const o of gOps) be.dispose(o.buffer);
  try {
    if (dtype === 'f32') expectClose(got, want, rtol, atol);
    else expect(got).toEqual(want);
  } catch (e) {
    throw new Error(`${prim} ${JSON.stringify(params)}: ${(e as Error).message}`);
  }
}

describe.skipIf(!backend)('webgpu agrees with the CPU backend', { timeout: 60_000 }, () => {
  it('elementwise unary and binary, f32 / i32 / bool', async () => {
    const x = f(floats(48, 6, true), [6, 8]);
    for (const p of UNARY_PRIMS) await both(p, [x], NONE, [6, 8], 'f32', 2e-6, 2e-6);
    const xi = i32(ints(48, -50, 50), [6, 8]);
    for (const p of ['neg', 'abs', 'sign'] as const) await both(p, [xi], NONE, [6, 8], 'i32');
    const y = f(floats(48, 3, true), [6, 8]);
    for (const p of BINARY_PRIMS) await both(p, [x, y], NONE, [6, 8], 'f32', 5e-6, 1e-6);
    // every pair of special values, for the binary float ops
    const sp = [
      0,
      -0,
      1,
      -1,
      2,
      -2,
      0.5,
      -0.5,
      3,
      -3,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    const pa = f(
      sp.flatMap((a) => sp.map(() => a)),
      [sp.length ** 2],
    );
    const pb = f(
      sp.flatMap(() => sp),
      [sp.length ** 2],
    );
    for (const p of BINARY_PRIMS) await both(p, [pa, pb], NONE, [sp.length ** 2], 'f32', 5e-6, 1e-6);
    const yi = i32(ints(48, -6, 6), [6, 8]);
    for (const p of BINARY_PRIMS) await both(p, [xi, yi], NONE, [6, 8], 'i32');
    const bx = b8(ints(48, 0, 1), [48]);
    const by = b8(ints(48, 0, 1), [48]);
    for (const p of BINARY_PRIMS) if (p !== 'div' && p !== 'pow') await both(p, [bx, by], NONE, [48], 'bool');
  });

  it('compare, select, cast', async () => {
    const x = f(
      floats(40, 2, true).map((v, i) => (i % 5 === 0 ? 1 : v)),
      [40],
    );
    const y = f(
      floats(40, 2, true).map((v, i) => (i % 5 === 0 ? 1 : v)),
      [40],
    );
    for (const op of ['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const) {
      await both('compare', [x, y], { op }, [40], 'bool');
      await both('compare', [i32(ints(40, -3, 3), [40]), i32(ints(40, -3, 3), [40])], { op }, [40], 'bool');
    }
    await both('select', [b8(ints(40, 0, 1), [40]), x, y], NONE, [40], 'f32');
    const big = f(
      floats(40, 3e9, true).map((v, i) => (i % 3 === 0 ? v / 1e9 : v)),
      [40],
    );
    for (const to of ['i32', 'bool', 'f32'] as const) await both('cast', [big], { dtype: to }, [40], to);
    const xi = i32(ints(40, -(2 ** 31), 2 ** 31 - 1), [40]);
    for (const to of ['f32', 'bool'] as const) await both('cast', [xi], { dtype: to }, [40], to);
    for (const to of ['f32', 'i32'] as const)
      await both('cast', [b8(ints(40, 0, 1), [40])], { dtype: to }, [40], to);
  });

  it('reductions and argmax', async () => {
    const x = f(floats(2 * 3 * 70), [2, 3, 70]);
    for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2], []]) {
      const shape = [2, 3, 70].filter((_, d) => !axes.includes(d));
      await both('reduce_sum', [x], { axes }, shape, 'f32', 1e-5, 1e-5);
      await both('reduce_max', [x], { axes }, shape, 'f32');
    }
    const xi = i32(ints(60, -1000, 1000), [3, 4, 5]);
    await both('reduce_sum', [xi], { axes: [1] }, [3, 5], 'i32');
    await both('reduce_max', [xi], { axes: [0, 2] }, [4], 'i32');
    const ties = f(ints(2 * 3 * 70, 0, 4), [2, 3, 70]);
    for (const axis of [0, 1, 2]) {
      const shape = [2, 3, 70].filter((_, d) => d !== axis);
      await both('argmax', [ties], { axis }, shape, 'i32');
      await both('argmax', [x], { axis }, shape, 'i32');
    }
    await both('argmax', [f(floats(30, 1, true), [30])], { axis: 0 }, [], 'i32');
  });

  it('movement', async () => {
    const x = f(floats(2 * 3 * 4), [2, 3, 4]);
    await both('reshape', [x], { shape: [6, 4] }, [6, 4], 'f32');
    await both('transpose', [x], { perm: [1, 2, 0] }, [3, 4, 2], 'f32');
    await both(
      'broadcast_in_dim',
      [f(floats(3), [3, 1])],
      { shape: [2, 3, 5], dims: [1, 2] },
      [2, 3, 5],
      'f32',
    );
    await both('slice', [x], { start: [1, 0, 1], limit: [2, 3, 4], stride: [1, 2, 2] }, [1, 2, 2], 'f32');
    await both('pad', [x], { lo: [0, 2, 1], hi: [1, 0, 2], interior: [1, 0, 2] }, [4, 5, 13], 'f32');
    await both('rev', [x], { axes: [0, 2] }, [2, 3, 4], 'f32');
    const parts = [1, 2, 3, 1, 2, 1, 1, 2, 3].map((k) => i32(ints(2 * k * 2, -9, 9), [2, k, 2]));
    await both('concatenate', parts, { axis: 1 }, [2, 16, 2], 'i32');
  });

  it('dot_general and conv_general', async () => {
    const a = f(floats(3 * 20 * 9), [3, 20, 9]);
    const b = f(floats(3 * 9 * 17), [3, 9, 17]);
    const p = { lhsContract: [2], rhsContract: [1], lhsBatch: [0], rhsBatch: [0] };
    await both('dot_general', [a, b], p, [3, 20, 17], 'f32', 1e-5, 1e-5);
    const bt = f(floats(17 * 3 * 9), [17, 3, 9]);
    const p2 = { lhsContract: [2], rhsContract: [2], lhsBatch: [0], rhsBatch: [1] };
    await both('dot_general', [a, bt], p2, [3, 20, 17], 'f32', 1e-5, 1e-5);
    const p3 = { lhsContract: [0, 2], rhsContract: [1, 2], lhsBatch: [], rhsBatch: [] };
    await both('dot_general', [a, bt], p3, [20, 17], 'f32', 1e-5, 1e-5);
    const x = f(floats(2 * 4 * 9 * 8), [2, 4, 9, 8]);
    const w = f(floats(6 * 2 * 3 * 3), [6, 2, 3, 3]);
    const conv = {
      strides: [2, 1],
      padding: [
        [1, 2],
        [-1, 1],
      ] as [number, number][],
      lhsDilation: [1, 2],
      rhsDilation: [2, 1],
      groups: 2,
    };
    // H: dilIn 9, +3, dilWin 5 -> floor(7/2)+1 = 4; W: dilIn 15, +0, dilWin 3 -> 13
    await both('conv_general', [x, w], conv, [2, 6, 4, 13], 'f32', 1e-5, 1e-5);
  });

  it('gather, scatter_add, random_bits', async () => {
    const x = f(floats(4 * 5 * 3), [4, 5, 3]);
    const idx = i32(ints(6, -5, 4), [2, 3]);
    await both('gather', [x, idx], { axis: 1 }, [4, 2, 3, 3], 'f32');
    const upd = f(floats(4 * 6 * 3), [4, 6, 3]);
    await both('scatter_add', [x, i32(ints(6, -5, 4), [6]), upd], { axis: 1 }, [4, 5, 3], 'f32', 1e-5, 1e-5);
    for (const stream of [0, 3]) {
      await both('random_bits', [i32([123, -456], [2])], { shape: [5, 7], stream }, [5, 7], 'i32');
    }
  });
});
