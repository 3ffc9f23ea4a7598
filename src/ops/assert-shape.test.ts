/**
 * assertShape on every backend (`describe.each` over test/backends' backends); its errors are
 * thrown before any kernel runs and stay CPU-only.
 */
import { describe, expect, it } from 'vitest';
import { backendsUnderTest, useBackend } from '../../test/backends/helpers.ts';
import { assertShape, ShapeError, type Tensor, tensor, zeros } from '../index.ts';

const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('assertShape on $name', (backend) => {
  const it = useBackend(backend);

  it('passes matching shapes through (the same tensor, narrowed)', () => {
    const x = zeros([2, 3]) as Tensor;
    const y = assertShape(x, ['B', 3]);
    expect(y).toBe(x);
    expect(assertShape(x, [2, 3], { dtype: 'f32' }).shape).toEqual([2, 3]);
    expect(assertShape(tensor(new Int32Array(4), [2, 2]), ['N', 'N'], { dtype: 'i32' }).dtype).toBe('i32');
  });
});

// Bad input: these throw before any kernel runs, so one backend covers them.
describe('assertShape: bad input', () => {
  it('throws ShapeErrors naming the dim, rank, named dim or dtype at fault', () => {
    const x = zeros([2, 3]) as Tensor;
    expect(() => assertShape(x, [2, 4])).toThrow(ShapeError);
    expect(() => assertShape(x, [2, 4])).toThrow('assertShape: dim 1 is 3, expected 4');
    expect(() => assertShape(x, [2])).toThrow(
      'assertShape: rank 2 and expected rank 1 differ ([2, 3] vs [2])',
    );
    expect(() => assertShape(x, ['N', 'N'])).toThrow('assertShape: named dim N is 2 and 3');
    expect(() => assertShape(x, [2, 3], { dtype: 'i32' })).toThrow(
      'assertShape: dtype f32 and expected dtype i32 differ',
    );
  });
});
