import type { Tensor } from '../core/tensor.ts';
import { add, div, maximum, mul, sqrt, square } from '../ops/elementwise.ts';
import { sum } from '../ops/reductions.ts';
import type { GradientTransform } from './combinators.ts';
import { leavesOf, mapTree } from './tree.ts';

/**
 * sqrt(Σ over every leaf of Σ g²): the L2 norm of the whole tree as one vector.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * assert.equal(optim.globalNorm({ a: tensor([3]), b: { c: tensor([4]) } }).item(), 5);
 * ```
 */
export function globalNorm(tree: unknown): Tensor<[], 'f32' | 'f64'> {
  const leaves = leavesOf(tree);
  if (leaves.length === 0) throw new Error('optim.globalNorm: the tree has no tensors');
  const total = leaves.map((g): Tensor => sum(square(g)) as Tensor).reduce((a, b) => add(a, b));
  return sqrt(total) as never;
}

/**
 * Rescales the gradients so their global norm is at most `maxNorm`:
 * `g · maxNorm / max(‖g‖, maxNorm)` (Pascanu et al. 2013; optax's `clip_by_global_norm`).
 * PyTorch's `clip_grad_norm_` uses `maxNorm / (‖g‖ + 1e-6)` clamped to 1, which differs by
 * that 1e-6. With only `maxNorm`, returns the same clipping as a transform for `optim.chain`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const clipped = optim.clipByGlobalNorm({ a: tensor([3]), b: tensor([4]) }, 1);
 * assert.ok(Math.abs(clipped.a.item() - 0.6) < 1e-6 && Math.abs(clipped.b.item() - 0.8) < 1e-6);
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam(1e-3)); // as a transform
 * assert.equal(opt.init({ a: tensor([0]) }).length, 2);
 * ```
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransform<Record<string, never>>;
/** The gradients `grads` rescaled so their global norm is at most `maxNorm` (see above). */
export function clipByGlobalNorm<P>(grads: P, maxNorm: number): P;
export function clipByGlobalNorm(gradsOrMax: unknown, maxNorm?: number): unknown {
  if (typeof gradsOrMax === 'number' && maxNorm === undefined) {
    checkMaxNorm(gradsOrMax);
    return { init: () => ({}), update: (grads: unknown) => [clipTree(grads, gradsOrMax), {}] };
  }
  checkMaxNorm(maxNorm!);
  return clipTree(gradsOrMax, maxNorm!);
}

function checkMaxNorm(maxNorm: number): void {
  if (!(maxNorm > 0)) throw new Error(`optim.clipByGlobalNorm: maxNorm must be positive, got ${maxNorm}`);
}

function clipTree<P>(grads: P, maxNorm: number): P {
  const norm = globalNorm(grads);
  const scale = div(maxNorm, maximum(norm, maxNorm));
  return mapTree((g) => mul(g, scale), grads);
}
