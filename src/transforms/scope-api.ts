import { collectTensors, runScoped } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';

/**
 * `scope(fn)` runs `fn` and frees every tensor created inside that `fn` does not return.
 * Works with async functions (the scope closes when the promise settles); scopes nest.
 * Concurrent async scopes each own their own tensors where the runtime has an async context
 * (Node: AsyncLocalStorage); in browsers, starting one while another is running is an error.
 *
 * @param fn - The function; what it returns (tensors in any pytree) is kept.
 * @returns `fn`'s result.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { add, scope, type Tensor, zeros } from 'typegrad';
 * let inner: Tensor | undefined;
 * const w = scope(() => {
 *   inner = zeros([3]); // freed when the scope ends
 *   return add(inner, 1); // returned: kept
 * });
 * assert.ok(inner!.isDisposed);
 * assert.deepEqual(w.toArray(), [1, 1, 1]);
 * ```
 */
export function scope<T>(fn: () => T): T {
  return runScoped(fn.name ? `scope '${fn.name}'` : 'scope', fn, (value) => {
    const keep = new Set<Tensor>();
    collectTensors(value, keep, isTensor);
    return keep;
  });
}

/**
 * Disposes every tensor in a pytree (params, optimizer state …). Idempotent.
 *
 * @param tree - Any pytree; non-tensor leaves are ignored.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { dispose, zeros } from 'typegrad';
 * const params = { w: zeros([2]), layers: [zeros([1])], name: 'net' };
 * dispose(params);
 * assert.ok(params.w.isDisposed && params.layers[0]!.isDisposed);
 * ```
 */
export function dispose(tree: unknown): void {
  const all = new Set<Tensor>();
  collectTensors(tree, all, isTensor);
  for (const t of all) t.dispose();
}
