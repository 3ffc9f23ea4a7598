import type { DType } from '../core/dtype.ts';
import { promote } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import { broadcastShapes } from '../shapes/broadcast.ts';
import type { Checked, Shape } from '../shapes/dim.ts';
import type { MatMul, MatMulCheck, MatMulInnerCheck } from '../shapes/matmul.ts';
import { matmulShape } from '../shapes/matmul.ts';
import { broadcastTo, checkArg, range } from './coerce.ts';

type Dims = readonly number[];

/**
 * numpy's `matmul`: `[..., M, K] @ [..., K, N]` → `[..., M, N]`; a 1-d operand is a vector
 * (its axis dropped from the result); batch dims broadcast. A 2-d right operand (a weight) is
 * never broadcast: the left's batch dims become free dims of one `dot_general`. Mismatched
 * inner dims are a compile error on `b`.
 *
 * @param a - The left operand, `[..., M, K]` or `[K]`.
 * @param b - The right operand, `[..., K, N]` or `[K]`.
 * @returns The product, `[..., M, N]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { matmul, tensor, zeros } from 'typegrad';
 * assert.deepEqual(matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray(), [[17], [39]]);
 * assert.deepEqual(matmul(zeros([8, 2, 3]), zeros([3, 4])).shape, [8, 2, 4]);
 * ```
 */
export function matmul<A extends Shape, B extends Shape, D extends DType>(
  a: Tensor<A, D>,
  b: Checked<Tensor<B, D>, MatMulInnerCheck<A, B>, MatMulCheck<A, B>>,
): Tensor<MatMul<A, B>, D> {
  checkArg('matmul', a, 'a');
  checkArg('matmul', b, 'b');
  const bt = b as Tensor;
  const out = matmulShape(a.shape as Dims, bt.shape as Dims);
  const dt = promote(a.dtype, bt.dtype);
  const a1 = lax.cast(a, dt);
  const b1 = lax.cast(b as Tensor, dt);
  const x = a1.ndim === 1 ? lax.reshape(a1, [1, a1.shape[0] as number]) : a1;
  const y = b1.ndim === 1 ? lax.reshape(b1, [b1.shape[0] as number, 1]) : b1;
  let r: Tensor;
  if (y.ndim === 2) {
    r = lax.dotGeneral(x, y, { lhsContract: [x.ndim - 1], rhsContract: [0], lhsBatch: [], rhsBatch: [] });
  } else {
    const xs = x.shape as Dims;
    const ys = y.shape as Dims;
    const batch = broadcastShapes('matmul', xs.slice(0, -2), ys.slice(0, -2));
    const xb = broadcastTo(x, [...batch, ...xs.slice(-2)]);
    const yb = broadcastTo(y, [...batch, ...ys.slice(-2)]);
    const nb = batch.length;
    r = lax.dotGeneral(xb, yb, {
      lhsContract: [nb + 1],
      rhsContract: [nb],
      lhsBatch: range(nb),
      rhsBatch: range(nb),
    });
  }
  return lax.reshape(r, out) as never;
}

export { einsum } from './einsum.ts';
