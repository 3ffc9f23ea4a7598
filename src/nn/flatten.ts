import type { DType } from '../core/dtype.ts';
import type { Tensor } from '../core/tensor.ts';
import { flatten as flattenOp } from '../ops/shape.ts';
import type { Checked, Shape } from '../shapes/dim.ts';
import type { Flatten, FlattenCheck } from '../shapes/flatten.ts';

/**
 * Flattens every axis after the batch axis: `[B, C, H, W] -> [B, C*H*W]` (typed).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, type Tensor, zeros } from 'typegrad';
 * const y: Tensor<[2, 48]> = nn.flatten(zeros([2, 3, 4, 4]));
 * assert.deepEqual(y.shape, [2, 48]);
 * ```
 */
export function flatten<S extends Shape, D extends DType>(
  x: Checked<Tensor<S, D>, FlattenCheck<S, 1, -1>>,
): Tensor<Flatten<S, 1, -1>, D> {
  const t = x as Tensor;
  if (t.ndim < 2)
    throw new Error(`nn.flatten: input ${t.describe()} needs a batch axis and at least one more`);
  return flattenOp(t, { startAxis: 1 }) as never;
}
