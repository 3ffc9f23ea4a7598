import { collectTensors, runScoped } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';

/**
 * `scope(fn)` runs fn and frees every tensor created inside that fn does not return.
 * Works with async functions (the scope closes when the promise settles); scopes nest.
 * Concurrent async scopes each own their own tensors where the runtime has an async context
 * (Node: AsyncLocalStorage); in browsers, starting one while another is running is an error.
 *
 * @example
 * const w = scope(() => {
 *   const t = zeros([3]); // freed when the scope ends
 *   return add(t, 1); // returned: kept
 * });
 */
export function scope<T>(fn: () => T): T {
  return runScoped(fn.name ? `scope '${fn.name}'` : 'scope', fn, (value) => {
    const keep = new Set<Tensor>();
    collectTensors(value, keep, isTensor);
    return keep;
  });
}

/** Disposes every tensor in a pytree (params, optimizer state …). Idempotent. */
export function dispose(tree: unknown): void {
  const all = new Set<Tensor>();
  collectTensors(tree, all, isTensor);
  for (const t of all) t.dispose();
}
