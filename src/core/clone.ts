import * as lax from './lax.ts';
import { flatten, unflatten } from './pytree.ts';
import type { Tensor } from './tensor.ts';

/** `select(true, x, x)`: a new buffer with x's bits on any backend and dtype (no arithmetic, so -0 and NaN payloads survive). */
function copyTensor(x: Tensor): Tensor {
  const always = lax.fullLike({ shape: x.shape as readonly number[], dtype: 'bool' }, 1);
  return lax.select(always, x, x);
}

/**
 * An independent copy of a pytree of tensors: same structure and values, new buffers. Needed
 * before donating weights (`jit(f, { donate })`) that are still used elsewhere, since donation
 * frees the donated buffers. Non-tensor leaves are kept as they are.
 *
 * @param tree - A pytree (nested objects and arrays) of tensors.
 * @returns A tree of the same structure with copied tensors.
 *
 * @example
 * ```ts
 * import { clone, tensor } from 'typegrad';
 * const params = { w: tensor([1, 2, 3]), name: 'w' };
 * const copy = clone(params);
 * params.w.dispose();
 * console.log(copy.w.toArray(), copy.name); // [1, 2, 3] w
 * ```
 */
export function clone<T>(tree: T): T {
  const [leaves, def] = flatten(tree);
  for (const [i, x] of leaves.entries()) {
    if (x.isDisposed) throw new Error(`clone: leaf ${i} (${x.describe()}) was disposed`);
  }
  return unflatten<T>(def, leaves.map(copyTensor));
}
