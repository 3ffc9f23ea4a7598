/**
 * Known values of the creation ops on every backend (`describe.each` over test/backends'
 * backends, values read with `await t.data()` / `toNested`); bad-input cases throw before
 * any kernel runs and stay CPU-only, at the end.
 */
import { describe, expect, it } from 'vitest';
import { backendsUnderTest, toNested, useBackend, values } from '../../test/backends/helpers.ts';
import { arange, eye, full, linspace, ones, tensor, zeros } from '../index.ts';

const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('creation on $name', (backend) => {
  const it = useBackend(backend);

  describe('tensor', () => {
    it('infers shape and f32 dtype from nested arrays', async () => {
      const t = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(t.shape).toEqual([2, 3]);
      expect(t.dtype).toBe('f32');
      expect(await values(t)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('infers bool from nested booleans and keeps a scalar rank 0', async () => {
      const b = tensor([
        [true, false],
        [false, true],
      ]);
      expect(b.dtype).toBe('bool');
      expect(await toNested(b)).toEqual([
        [true, false],
        [false, true],
      ]);
      const s = tensor(3.5);
      expect(s.shape).toEqual([]);
      expect(await s.itemAsync()).toBe(3.5);
    });

    it('honours an explicit dtype (a value i32 cannot hold is an error, issue 11)', async () => {
      const t = tensor([1, -1, 2], { dtype: 'i32' });
      expect(t.dtype).toBe('i32');
      expect(await values(t)).toEqual([1, -1, 2]);
      expect(() => tensor([1.7, 2], { dtype: 'i32' })).toThrow(
        'tensor: element 0 is 1.7, which is not an i32',
      );
    });

    it('takes typed arrays with or without a shape, dtype from the array type', async () => {
      const a = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
      expect(a.shape).toEqual([2, 3]);
      expect(a.dtype).toBe('f32');
      expect(tensor(new Int32Array([1, 2]), [2]).dtype).toBe('i32');
      // Float64Array -> f64: CPU only (below), WGSL has no f64
      expect(tensor(new Uint8Array([1, 0]), [2]).dtype).toBe('bool');
      const flat = tensor(new Int32Array([7, 8, 9]));
      expect(flat.shape).toEqual([3]);
      expect(flat.dtype).toBe('i32');
      expect(await toNested(tensor([1, 2, 3, 4], [2, 2]))).toEqual([
        [1, 2],
        [3, 4],
      ]);
    });

    it('copies its input (later writes to the array do not change the tensor)', async () => {
      const src = new Float32Array([1, 2]);
      const t = tensor(src, [2]);
      src[0] = 99;
      expect((await t.data())[0]).toBe(1);
    });
  });

  describe('zeros / ones / full', () => {
    it('fill with the value and dtype', async () => {
      expect(await toNested(zeros([2, 2]))).toEqual([
        [0, 0],
        [0, 0],
      ]);
      const o = ones([3], { dtype: 'i32' });
      expect(o.dtype).toBe('i32');
      expect(await values(o)).toEqual([1, 1, 1]);
      const f = full([2], 7.5);
      expect(f.dtype).toBe('f32');
      expect(await values(f)).toEqual([7.5, 7.5]);
      expect(await full([], 3).itemAsync()).toBe(3);
      expect(zeros([0, 3]).size).toBe(0);
      expect(await toNested(full([2], 1, { dtype: 'bool' }))).toEqual([true, true]);
    });
  });

  describe('arange', () => {
    it('follows numpy: integer arguments give i32, float arguments f32', async () => {
      const a = arange(5);
      expect(a.dtype).toBe('i32');
      expect(await values(a)).toEqual([0, 1, 2, 3, 4]);
      expect(await values(arange(2, 10, { step: 3 }))).toEqual([2, 5, 8]);
      expect(await values(arange(5, 0, { step: -2 }))).toEqual([5, 3, 1]);
      const f = arange(0, 1, { step: 0.25 });
      expect(f.dtype).toBe('f32');
      expect(await values(f)).toEqual([0, 0.25, 0.5, 0.75]);
      expect(arange(3, 1).shape).toEqual([0]);
      expect(arange(0, 3, { step: 1, dtype: 'f32' }).dtype).toBe('f32');
    });
  });

  describe('linspace', () => {
    it('includes both ends (numpy.linspace(0, 1, 5))', async () => {
      expect(await values(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
      expect(await values(linspace(2, 3, 1))).toEqual([2]);
      expect(linspace(0, 1, 0).shape).toEqual([0]);
      expect(await values(linspace(1, -1, 3))).toEqual([1, 0, -1]);
    });
  });

  describe('eye', () => {
    it('square and rectangular identities', async () => {
      expect(await toNested(eye(3))).toEqual([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]);
      expect(await toNested(eye(2, { columns: 3 }))).toEqual([
        [1, 0, 0],
        [0, 1, 0],
      ]);
    });
  });
});

// CPU only: f64 tensors cannot live on WebGPU (WGSL has no f64).
describe('tensor (f64, CPU only)', () => {
  it('takes a Float64Array as f64', () => {
    expect(tensor(new Float64Array([1, 2]), [1, 2]).dtype).toBe('f64');
  });
});

// Bad input: these throw before any kernel runs, so one backend covers them.
describe('tensor: bad input', () => {
  it('rejects data of the wrong length, naming the op, count and shape', () => {
    expect(() => tensor(new Float32Array(5), [2, 3])).toThrow(
      'tensor: data has 5 elements but shape [2, 3] needs 6',
    );
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow('tensor: data has 3 elements but shape [2, 2] needs 4');
  });

  it('rejects ragged nested arrays and bad dims', () => {
    expect(() => tensor([[1, 2], [3]] as unknown as number[][])).toThrow(/tensor: ragged nested array/);
    expect(() => tensor([[1, 2], 3] as unknown as number[][])).toThrow(/tensor: ragged nested array/);
    expect(() => tensor([1, 2], [-1, -2])).toThrow('tensor: bad dim -1 in shape [-1, -2]');
    expect(() => tensor([1, 2], [2.5] as number[])).toThrow(/tensor: bad dim 2.5/);
  });
});

describe('zeros / ones / full: bad input', () => {
  it('reject bad dims naming the op', () => {
    expect(() => zeros([2, -1])).toThrow('zeros: bad dim -1 in shape [2, -1]');
    expect(() => full([1.5], 0)).toThrow(/full: bad dim 1.5/);
  });
});

describe('arange: bad input', () => {
  it('rejects a zero or non-finite step', () => {
    expect(() => arange(0, 5, { step: 0 })).toThrow('arange: step must be finite and non-zero, got 0');
    expect(() => arange(0, 5, { step: Number.NaN })).toThrow(/arange: step must be finite/);
  });
});

describe('linspace: bad input', () => {
  it('rejects a negative or fractional count', () => {
    expect(() => linspace(0, 1, -1)).toThrow('linspace: num must be a non-negative integer, got -1');
    expect(() => linspace(0, 1, 2.5)).toThrow(/linspace: num must be/);
  });
});

describe('eye: bad input', () => {
  it('rejects bad sizes naming the op', () => {
    expect(() => eye(-1)).toThrow('eye: bad dim -1 in shape [-1, -1]');
  });
});
