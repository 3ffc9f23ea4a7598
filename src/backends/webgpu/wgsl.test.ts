import { describe, expect, it } from 'vitest';
import { sizeClass } from './pool.ts';
import { grid, grid1d, MAX_GROUPS_PER_DIM, storageType, stridesOf } from './wgsl.ts';

describe('webgpu helpers (no device needed)', () => {
  it('grids split over x and y within the per-dimension limit', () => {
    expect(grid(0)).toEqual([0, 1, 1]);
    expect(grid(5)).toEqual([5, 1, 1]);
    expect(grid(MAX_GROUPS_PER_DIM)).toEqual([MAX_GROUPS_PER_DIM, 1, 1]);
    const [x, y] = grid(MAX_GROUPS_PER_DIM * 3 + 1);
    expect(x).toBe(MAX_GROUPS_PER_DIM);
    expect(y).toBe(4);
    expect(grid1d(64 * 10 + 1)).toEqual([11, 1, 1]);
    expect(() => grid(MAX_GROUPS_PER_DIM * MAX_GROUPS_PER_DIM + 1)).toThrow(/workgroups/);
  });

  it('size classes waste at most a third', () => {
    expect(sizeClass(1)).toBe(256);
    expect(sizeClass(256)).toBe(256);
    expect(sizeClass(257)).toBe(384);
    expect(sizeClass(385)).toBe(512);
    for (let b = 257; b < 1e6; b = Math.ceil(b * 1.37)) {
      const c = sizeClass(b);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c / b).toBeLessThanOrEqual(1.5);
    }
  });

  it('dtypes and strides', () => {
    expect(storageType('f32')).toBe('f32');
    expect(storageType('i32')).toBe('i32');
    expect(storageType('bool')).toBe('u32');
    expect(() => storageType('f64')).toThrow(/f64/);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });
});
