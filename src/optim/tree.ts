import { flatten, unflatten } from '../core/pytree.ts';
import type { Tensor } from '../core/tensor.ts';

/**
 * Maps `f` over the tensor leaves of one or more pytrees of the same structure (records,
 * arrays, tuples of tensors), returning a tree of that structure.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { add, optim, tensor } from 'typegrad';
 * const sum = optim.mapTree((a, b) => add(a, b), { w: tensor([1]), b: [tensor([2])] }, { w: tensor([10]), b: [tensor([20])] });
 * assert.deepEqual([sum.w.toArray(), sum.b[0]!.toArray()], [[11], [22]]);
 * ```
 */
export function mapTree<P>(f: (...leaves: Tensor[]) => Tensor, tree: P, ...rest: readonly P[]): P {
  const [leaves, def] = flatten(tree);
  const others = rest.map((r, k) => {
    const [l] = flatten(r);
    if (l.length !== leaves.length)
      throw new Error(`optim: tree ${k + 1} has ${l.length} tensors but the first has ${leaves.length}`);
    return l;
  });
  return unflatten<P>(
    def,
    leaves.map((x, i) => f(x, ...others.map((o) => o[i]!))),
  );
}

/** The tensor leaves of a pytree. */
export function leavesOf(tree: unknown): Tensor[] {
  return flatten(tree)[0];
}
