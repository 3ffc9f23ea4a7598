import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor } from '../ops/creation.ts';
import { clone } from './clone.ts';

describe('clone', () => {
  it('copies every leaf into a new buffer that outlives the original', () => {
    const params = {
      w: tensor([
        [1, 2],
        [3, 4],
      ]),
      b: [tensor([-0, Number.NaN]), tensor([7], { dtype: 'i32' })],
      tag: 'x',
    };
    const copy = clone(params);
    params.w.dispose();
    params.b[0]!.dispose();
    expect(copy.w.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const bits = copy.b[0]!.dataSync();
    expect(Object.is(bits[0], -0)).toBe(true);
    expect(Number.isNaN(bits[1])).toBe(true);
    expect(copy.b[1]!.dtype).toBe('i32');
    expect(copy.b[1]!.toArray()).toEqual([7]);
    expect(copy.tag).toBe('x');
  });

  it('copies bool tensors and scalars', () => {
    const copy = clone([tensor([true, false]), tensor(3)]);
    expect(copy[0]!.toArray()).toEqual([true, false]);
    expect(copy[1]!.toArray()).toBe(3);
  });

  it('names a disposed leaf', () => {
    const t = tensor([1]);
    t.dispose();
    expect(() => clone({ t })).toThrow(/clone: leaf 0 \(f32\[1\]\) was disposed/);
  });

  it('property: the copy has the same values and fresh storage', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 8 }), (xs) => {
        const t = tensor(new Float32Array(xs));
        const c = clone(t);
        expect(c._storage).not.toBe(t._storage);
        expect([...c.dataSync()]).toEqual([...t.dataSync()]);
      }),
      { numRuns: 30 },
    );
  });
});
