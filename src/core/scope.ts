import type { Tensor } from './tensor.ts';
import { traceDepth } from './trace-depth.ts';

const insideTransform = () => traceDepth() > 0;

/**
 * `scope(fn)` frees every tensor created while `fn` runs that `fn` does not return.
 * Scopes nest; what a scope returns moves to the enclosing scope.
 */
const scopes: Set<Tensor>[] = [];

export function registerInScope(t: Tensor): void {
  scopes[scopes.length - 1]?.add(t);
}

/** Collects the tensors reachable from a value (arrays, plain objects, Maps). */
export function collectTensors(
  value: unknown,
  into: Set<Tensor>,
  isTensor: (x: unknown) => x is Tensor,
): void {
  if (isTensor(value)) {
    into.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, into, isTensor);
  } else if (value instanceof Map) {
    for (const v of value.values()) collectTensors(v, into, isTensor);
  } else if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const v of Object.values(value)) collectTensors(v, into, isTensor);
  }
}

export function openScope(): Set<Tensor> {
  const s = new Set<Tensor>();
  scopes.push(s);
  return s;
}

/** Closes the innermost scope: disposes what is not kept, hands the kept ones to the parent. */
export function closeScope(s: Set<Tensor>, keep: ReadonlySet<Tensor>): void {
  const i = scopes.lastIndexOf(s);
  if (i >= 0) scopes.splice(i, 1);
  const parent = scopes[scopes.length - 1];
  for (const t of s) {
    if (keep.has(t)) parent?.add(t);
    else t.dispose();
  }
}

/** Removes a tensor from every open scope: it outlives them (jit's cached constants). */
export function persist(t: Tensor): void {
  for (const s of scopes) s.delete(t);
}

/**
 * Runs `fn` in a fresh scope and keeps only what `keepOf(result)` lists: how transforms
 * own their intermediates.
 */
export function withOwnedScope<T>(fn: () => T, keepOf: (result: T) => Iterable<Tensor>): T {
  // Inside an enclosing transform, values computed here may be captured by it (as
  // residuals or constants): the outermost transform's scope frees them when it ends.
  if (insideTransform()) return fn();
  const s = openScope();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    closeScope(s, new Set());
    throw e;
  }
  closeScope(s, new Set(keepOf(result)));
  return result;
}
