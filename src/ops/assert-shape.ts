import { formatShape } from '../core/aval.ts';
import type { DType } from '../core/dtype.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Dim } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';
import type { Mutable } from './creation.ts';

/**
 * Checks a tensor of unknown shape (from data, a file, a user) against an expected shape at
 * run time and narrows its type. Number dims must match exactly; string dims (`'B'`) match
 * any size but must agree with each other within one call. A mismatch is a `ShapeError`.
 *
 * @param x - Any tensor.
 * @param shape - The expected shape: numbers and dim names.
 * @param opts - `dtype`: also check (and narrow) the dtype.
 * @returns `x`, typed `Tensor<shape, dtype>`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { assertShape, type Tensor, tensor } from 'typegrad';
 * const loaded: Tensor = tensor([[1, 2, 3], [4, 5, 6]]);
 * const x: Tensor<['B', 3], 'f32'> = assertShape(loaded, ['B', 3], { dtype: 'f32' });
 * assert.equal(x.shape[0], 2);
 * assert.throws(() => assertShape(loaded, ['B', 4]), /assertShape/);
 * ```
 */
export function assertShape<const S extends readonly Dim[], D extends DType = DType>(
  x: Tensor,
  shape: S,
  opts?: { readonly dtype?: D },
): Tensor<Mutable<S>, D> {
  checkOptions('assertShape', opts, ['dtype']);
  const dtype = opts?.dtype;
  const actual = x.shape as readonly number[];
  const fail = (what: string) => {
    throw new ShapeError(`assertShape: ${what}`);
  };
  if (actual.length !== shape.length)
    fail(
      `rank ${actual.length} and expected rank ${shape.length} differ (${formatShape(actual)} vs [${shape.join(', ')}])`,
    );
  const named = new Map<string, number>();
  shape.forEach((d, i) => {
    const n = actual[i]!;
    if (typeof d === 'number') {
      if (d !== n) fail(`dim ${i} is ${n}, expected ${d}`);
    } else {
      const seen = named.get(d);
      if (seen !== undefined && seen !== n) fail(`named dim ${d} is ${seen} and ${n}`);
      named.set(d, n);
    }
  });
  if (dtype !== undefined && x.dtype !== dtype) fail(`dtype ${x.dtype} and expected dtype ${dtype} differ`);
  return x as unknown as Tensor<Mutable<S>, D>;
}
