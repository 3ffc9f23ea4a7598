import { describe, expect, it } from 'vitest';
import { PRIM_NAMES } from '../../core/primitives.ts';
import { cpuBackend, createCpuBackend, KERNELS } from './index.ts';
import { ARITY } from './kernels.ts';

describe('cpu backend', () => {
  it('has a kernel for every primitive in PRIM_NAMES', () => {
    for (const name of PRIM_NAMES) {
      expect(typeof KERNELS[name], name).toBe('function');
      expect(ARITY[name], name).toBeDefined();
    }
    expect(Object.keys(KERNELS).sort()).toEqual([...PRIM_NAMES].sort());
  });

  it('stores each dtype in its typed array and reads back copies', () => {
    const be = createCpuBackend();
    expect(be.name).toBe('cpu');
    for (const d of ['f32', 'f64', 'i32', 'bool'] as const) expect(be.supports(d)).toBe(true);
    const f = be.upload(new Float64Array([0.1, 2]), 'f32');
    expect(f).toBeInstanceOf(Float32Array);
    const r = be.readSync!(f, 'f32', 2);
    expect(Array.from(r)).toEqual([Math.fround(0.1), 2]);
    r[0] = 99;
    expect(be.readSync!(f, 'f32', 2)[0]).toBe(Math.fround(0.1));
    expect(be.upload(new Float32Array([1.7, -1.7, Number.NaN]), 'i32')).toEqual(new Int32Array([1, -1, 0]));
    expect(be.upload(new Float32Array([0, 0.5, -2]), 'bool')).toEqual(new Uint8Array([0, 1, 1]));
    expect(be.upload(new Int32Array([3]), 'f64')).toEqual(new Float64Array([3]));
  });

  it('uploads copy their source', () => {
    const src = new Float32Array([1, 2]);
    const buf = cpuBackend.upload(src, 'f32');
    src[0] = 5;
    expect(Array.from(cpuBackend.readSync!(buf, 'f32', 2))).toEqual([1, 2]);
  });

  it('reads asynchronously too, and sync() resolves', async () => {
    const buf = cpuBackend.upload(new Int32Array([4, 5]), 'i32');
    expect(Array.from(await cpuBackend.read(buf, 'i32', 2))).toEqual([4, 5]);
    await expect(cpuBackend.sync()).resolves.toBeUndefined();
  });

  it('throws on disposed buffers, wrong sizes and wrong dtypes', async () => {
    const be = createCpuBackend();
    const buf = be.upload(new Float32Array([1, 2]), 'f32');
    expect(() => be.readSync!(buf, 'f32', 3)).toThrow(/2 elements, 3 requested/);
    expect(() => be.readSync!(buf, 'i32', 2)).toThrow(/not a i32 CPU buffer/);
    expect(() =>
      be.run('neg', [{ buffer: buf, shape: [3], dtype: 'f32' }], {}, { shape: [3], dtype: 'f32' }),
    ).toThrow('cpu neg: operand 0 has 2 elements but shape [3] needs 3');
    expect(() =>
      be.run('add', [{ buffer: buf, shape: [2], dtype: 'f32' }], {}, { shape: [2], dtype: 'f32' }),
    ).toThrow('cpu add: expected 2 operands, got 1');
    be.dispose(buf);
    expect(() => be.readSync!(buf, 'f32', 2)).toThrow(/disposed/);
    await expect(be.read(buf, 'f32', 2)).rejects.toThrow(/disposed/);
    expect(() =>
      be.run('neg', [{ buffer: buf, shape: [2], dtype: 'f32' }], {}, { shape: [2], dtype: 'f32' }),
    ).toThrow(/disposed/);
  });

  it('runs a primitive into a new buffer, leaving inputs untouched', () => {
    const a = cpuBackend.upload(new Float32Array([1, 2, 3]), 'f32');
    const op = { buffer: a, shape: [3], dtype: 'f32' as const };
    const out = cpuBackend.run('mul', [op, op], {}, { shape: [3], dtype: 'f32' });
    expect(out).not.toBe(a);
    expect(Array.from(cpuBackend.readSync!(out, 'f32', 3))).toEqual([1, 4, 9]);
    expect(Array.from(cpuBackend.readSync!(a, 'f32', 3))).toEqual([1, 2, 3]);
    const r = cpuBackend.run('reshape', [op], { shape: [3, 1] }, { shape: [3, 1], dtype: 'f32' });
    expect(r).not.toBe(a);
  });
});

describe('cpu kernel sets', () => {
  /** A 37×41 · 41×29 f32 product (edge tiles on the wasm kernel) on a backend. */
  function product(be: ReturnType<typeof createCpuBackend>): Float32Array {
    const mk = (n: number, seed: number) =>
      Float32Array.from({ length: n }, (_, i) => Math.sin(i * seed) / 2);
    const A = { buffer: be.upload(mk(37 * 41, 1.3), 'f32'), shape: [37, 41], dtype: 'f32' as const };
    const B = { buffer: be.upload(mk(41 * 29, 0.7), 'f32'), shape: [41, 29], dtype: 'f32' as const };
    const p = { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
    return be.readSync!(
      be.run('dot_general', [A, B], p, { shape: [37, 29], dtype: 'f32' }),
      'f32',
      37 * 29,
    ) as Float32Array;
  }

  it('defaults to wasm where SIMD128 validates (Node ≥ 20), and each set can be forced', () => {
    expect(createCpuBackend().kernels).toBe('wasm');
    expect(cpuBackend.kernels).toBe('wasm');
    const js = createCpuBackend({ kernels: 'js' });
    const wasm = createCpuBackend({ kernels: 'wasm' });
    expect(js.kernels).toBe('js');
    expect(wasm.kernels).toBe('wasm');
    const a = product(js);
    const b = product(wasm);
    // f64 accumulation (js) vs f32 (wasm): equal to f32 rounding of 41-term sums
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5);
    expect(a.some((v, i) => v !== b[i])).toBe(true); // really two different kernels
  });

  it('switches kernel sets between calls and rejects unknown ones', () => {
    const be = createCpuBackend({ kernels: 'js' });
    const before = product(be);
    be.kernels = 'wasm';
    expect(be.kernels).toBe('wasm');
    be.kernels = 'js';
    expect(product(be)).toEqual(before);
    expect(() => createCpuBackend({ kernels: 'simd' as 'js' })).toThrow(
      "createCpuBackend: kernels must be 'wasm' or 'js', got simd",
    );
    expect(() => {
      be.kernels = 'gpu' as 'js';
    }).toThrow("cpu backend kernels: kernels must be 'wasm' or 'js', got gpu");
  });
});
