import { flatten, unflatten } from '../core/pytree.ts';
import type { Tensor } from '../core/tensor.ts';

/**
 * Maps `f` over the tensor leaves of one or more pytrees of the same structure (records,
 * arrays, tuples of tensors), returning a tree of that structure.
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
