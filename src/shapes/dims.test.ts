import { describe, expect, it } from 'vitest';
import * as dims from './dims.ts';

describe('dims', () => {
  it('computes the values', () => {
    expect(dims.mul(64, 3, 3)).toBe(576);
    expect(dims.mul()).toBe(1);
    expect(dims.add(128, 128)).toBe(256);
    expect(dims.sub(28, 4)).toBe(24);
    expect(dims.floorDiv(-7, 2)).toBe(-4);
  });
  it('rejects non-integers and division by zero', () => {
    expect(() => dims.mul(2, 1.5)).toThrow('dims.mul: argument 1 must be an integer, got 1.5');
    expect(() => dims.floorDiv(3, 0)).toThrow('dims.floorDiv: division by 0');
  });
});
