import { closeScope, collectTensors, openScope } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';

/**
 * `scope(fn)` runs fn and frees every tensor created inside that fn does not return.
 * Works with async functions (the scope closes when the promise settles); scopes nest.
 */
export function scope<T>(fn: () => T): T {
  const s = openScope();
  const finish = (value: unknown) => {
    const keep = new Set<Tensor>();
    collectTensors(value, keep, isTensor);
    closeScope(s, keep);
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    closeScope(s, new Set());
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => {
        finish(v);
        return v;
      },
      (e) => {
        closeScope(s, new Set());
        throw e;
      },
    ) as T;
  }
  finish(result);
  return result;
}

/** Disposes every tensor in a pytree (params, optimizer state …). Idempotent. */
export function dispose(tree: unknown): void {
  const all = new Set<Tensor>();
  collectTensors(tree, all, isTensor);
  for (const t of all) t.dispose();
}
