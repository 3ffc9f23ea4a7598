import { describe, expect, it } from 'vitest';
import { add, arange, memory, reshape, scope, sum, type Tensor, tensor, zeros } from '../index.ts';

const live = () => memory().cpu?.tensors ?? 0;

describe('Tensor basics', () => {
  it('shape, dtype, ndim, size', () => {
    const t = zeros([2, 3, 4]);
    expect(t.shape).toEqual([2, 3, 4]);
    expect(Object.isFrozen(t.shape)).toBe(true);
    expect(t.dtype).toBe('f32');
    expect(t.ndim).toBe(3);
    expect(t.size).toBe(24);
    expect(tensor(5).ndim).toBe(0);
    expect(tensor(5).size).toBe(1);
  });

  it('data() and dataSync() return copies of the values in the dtype’s typed array', async () => {
    const t = tensor([1, 2, 3]);
    const d = await t.data();
    expect(d).toBeInstanceOf(Float32Array);
    expect(Array.from(d)).toEqual([1, 2, 3]);
    const s = t.dataSync();
    s[0] = 99;
    expect(t.dataSync()[0]).toBe(1);
    expect(tensor([1], { dtype: 'i32' }).dataSync()).toBeInstanceOf(Int32Array);
    expect(tensor([true]).dataSync()).toBeInstanceOf(Uint8Array);
    expect(tensor(new Float64Array([1]), [1]).dataSync()).toBeInstanceOf(Float64Array);
  });

  it('item() of one-element tensors (bool as boolean), itemAsync, and an error naming item otherwise', async () => {
    expect(tensor(2.5).item()).toBe(2.5);
    expect(tensor([[7]]).item()).toBe(7);
    expect(tensor(true).item()).toBe(true);
    expect(await tensor(4).itemAsync()).toBe(4);
    expect(() => tensor([1, 2]).item()).toThrow('item: tensor f32[2] has 2 elements, not 1');
  });

  it('toArray() nests values by shape', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toArray(),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor(3).toArray()).toBe(3);
    expect(tensor([true, false]).toArray()).toEqual([true, false]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });
});

describe('toString (numpy-like)', () => {
  it('prints scalars, vectors, matrices and dtypes', () => {
    expect(tensor(3.5).toString()).toBe('tensor(3.5)');
    expect(tensor([1, 2]).toString()).toBe('tensor([1., 2.])');
    expect(tensor([1, 2], { dtype: 'i32' }).toString()).toBe('tensor([1, 2], dtype=i32)');
    expect(tensor([true, false]).toString()).toBe('tensor([true, false], dtype=bool)');
    expect(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]).toString(),
    ).toBe('tensor([[1., 2., 3.],\n [4., 5., 6.]])');
    expect(zeros([2, 2, 2]).toString()).toBe('tensor([[[0., 0.],\n  [0., 0.]],\n [[0., 0.],\n  [0., 0.]]])');
  });

  it('prints nan, inf, and small or large numbers in exponent form', () => {
    expect(tensor([0.1, 1e-5, 1e9, Number.NaN, Number.NEGATIVE_INFINITY]).toString()).toBe(
      'tensor([0.1, 1.0000e-5, 1000000000., nan, -inf])',
    );
  });

  it('summarises tensors over 1000 elements with 3 items at each end (numpy threshold and edgeitems)', () => {
    expect(arange(0, 2000, { step: 1, dtype: 'f32' }).toString()).toBe(
      'tensor([0., 1., 2., ..., 1997., 1998., 1999.])',
    );
    const m = reshape(arange(0, 2000, { step: 1, dtype: 'f32' }), [40, 50]).toString();
    const lines = m.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('tensor([[0., 1., 2., ..., 47., 48., 49.],');
    expect(lines[3]).toBe(' ...,');
    expect(lines[6]).toBe(' [1950., 1951., 1952., ..., 1997., 1998., 1999.]])');
    expect(arange(0, 1000, { step: 1, dtype: 'f32' }).toString()).not.toContain('...');
  });
});

describe('dispose', () => {
  it('dispose() frees the buffer once (idempotent) and marks the tensor', () => {
    const before = live();
    const t = tensor([1, 2]);
    expect(live()).toBe(before + 1);
    expect(t.isDisposed).toBe(false);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(live()).toBe(before);
    t.dispose();
    expect(live()).toBe(before);
    expect(t.toString()).toBe('Tensor(disposed f32[2])');
  });

  it('use after dispose throws an error naming the op that used it', async () => {
    const t = tensor([1, 2]);
    t.dispose();
    expect(() => t.dataSync()).toThrow('dataSync: tensor f32[2] was disposed');
    await expect(t.data()).rejects.toThrow('data: tensor f32[2] was disposed');
    expect(() => add(t, 1)).toThrow('add: tensor f32[2] was disposed');
    expect(() => sum(t)).toThrow(/was disposed/);
  });

  it('Symbol.dispose: `using` frees at the end of the block', () => {
    const before = live();
    let seen: Tensor | undefined;
    {
      using t = tensor([1, 2, 3]);
      seen = t;
      expect(live()).toBe(before + 1);
    }
    expect(seen.isDisposed).toBe(true);
    expect(live()).toBe(before);
  });

  it('scope() frees intermediates and keeps the result', () => {
    const before = live();
    const out = scope(() => {
      let x = tensor([1, 2, 3]);
      for (let i = 0; i < 100; i++) x = add(x, 1);
      return sum(x);
    });
    expect(out.item()).toBe(306);
    expect(live()).toBe(before + 1);
    out.dispose();
    expect(live()).toBe(before);
  });
});
