/** The run-time twins of the einsum, split, convTranspose, vmap and slice-index rules. */
import { describe, expect, it } from 'vitest';
import { convTransposeShape } from './conv-transpose.ts';
import { einsumPlan } from './einsum.ts';
import { sliceShape } from './slice.ts';
import { splitSizes } from './split.ts';
import { agreeBatch } from './vmap.ts';

describe('run-time twins of the typed-op rules', () => {
  it('einsumPlan: output shapes and the messages the types show', () => {
    expect(
      einsumPlan('ij,jk->ik', [
        [2, 3],
        [3, 4],
      ]).shape,
    ).toEqual([2, 4]);
    expect(
      einsumPlan('ij,jk', [
        [2, 3],
        [3, 4],
      ]).shape,
    ).toEqual([2, 4]);
    expect(einsumPlan('ii->', [[4, 4]]).shape).toEqual([]);
    expect(
      einsumPlan('...ij,...jk', [
        [6, 1, 2, 3],
        [5, 3, 4],
      ]).shape,
    ).toEqual([6, 5, 2, 4]);
    expect(
      einsumPlan('ij,ij->i', [
        [1, 3],
        [5, 3],
      ]).shape,
    ).toEqual([5]);
    expect(() =>
      einsumPlan('ij,jk->ik', [
        [2, 3],
        [4, 5],
      ]),
    ).toThrow('einsum: index j has sizes 3 and 4');
    expect(() => einsumPlan('ii->i', [[3, 4]])).toThrow('einsum: index i has sizes 3 and 4');
    expect(() =>
      einsumPlan('...i,...i', [
        [2, 3],
        [4, 3],
      ]),
    ).toThrow('einsum: index ... has sizes 2 and 4');
  });

  it('splitSizes', () => {
    expect(splitSizes(6, 1, 3)).toEqual([2, 2, 2]);
    expect(splitSizes(5, 0, [2, 3])).toEqual([2, 3]);
    expect(() => splitSizes(10, 1, 3)).toThrow('split: axis 1 of size 10 does not split into 3 equal pieces');
    expect(() => splitSizes(10, 1, [4, 5])).toThrow('split: sizes [4, 5] sum to 9, not the axis size 10');
  });

  it('convTransposeShape: PyTorch output sizes', () => {
    const ct = (x: number[], w: number[], o = {}) => convTransposeShape('convTranspose2d', x, w, o, 2).shape;
    expect(ct([1, 2, 3, 3], [2, 1, 2, 2], { stride: 2 })).toEqual([1, 1, 6, 6]);
    expect(ct([2, 16, 7, 7], [16, 8, 3, 3], { stride: 2, padding: 1, outputPadding: 1 })).toEqual([
      2, 8, 14, 14,
    ]);
    expect(ct([1, 4, 5, 5], [4, 3, 3, 3], { dilation: 2, groups: 2 })).toEqual([1, 6, 9, 9]);
    expect(() => ct([1, 2, 4, 4], [2, 2, 2, 2], { padding: 2 })).toThrow(
      'convTranspose2d: padding 2 exceeds the dilated kernel span 1',
    );
  });

  it('agreeBatch and slice indices', () => {
    expect(agreeBatch([4, 4])).toBe(4);
    expect(() => agreeBatch([32, 16])).toThrow('vmap: mapped axes have different sizes 32 and 16');
    expect(sliceShape([10, 6], [{ index: -1 }])).toEqual([6]);
    expect(sliceShape([10, 6], [null, { index: 2 }])).toEqual([10]);
    expect(() => sliceShape([10, 6], [{ index: 10 }])).toThrow(
      'slice: index 10 out of range for axis 0 of size 10',
    );
  });
});
