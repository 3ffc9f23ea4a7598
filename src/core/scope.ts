import type { Tensor } from './tensor.ts';
import { traceDepth } from './trace-depth.ts';

const insideTransform = () => traceDepth() > 0;

/**
 * Scopes own the tensors created while they are current and free those not kept when they
 * close; what a scope keeps moves to the nearest enclosing open scope.
 *
 * Which scope is current follows the async context where one exists (Node's
 * `AsyncLocalStorage`, found without a static `node:` import so the root entry still
 * bundles for browsers): concurrent `scope(async …)` calls then own exactly their own
 * tensors. Without it (browsers) the current scope is one global value, so interleaved
 * async scopes cannot be told apart: opening a scope, or creating a tensor, while another
 * async scope has just returned its promise in the same job is an error naming both, and a
 * scope closing while a later one is still open frees nothing and throws.
 */
export interface ScopeNode {
  readonly label: string;
  readonly tensors: Set<Tensor>;
  readonly parent: ScopeNode | undefined;
  closed: boolean;
  /** its function returned a promise: it closes in a later job */
  isAsync: boolean;
  /** (fallback only) the scope's function returned a promise earlier in the current job */
  pendingInOpeningJob: boolean;
  /** (fallback only) set when interleaving was detected: this scope must not free anything */
  poisoned?: string;
}

interface AsyncContext {
  getStore(): ScopeNode | undefined;
  run<T>(store: ScopeNode | undefined, fn: () => T): T;
}

function findAsyncContext(): AsyncContext | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = proc?.getBuiltinModule?.('node:async_hooks') as
    | { AsyncLocalStorage?: new () => AsyncContext }
    | undefined;
  return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : undefined;
}

let asyncContext: AsyncContext | undefined = findAsyncContext();
/** The current scope when there is no async context. */
let globalCurrent: ScopeNode | undefined;
/**
 * With an async context: the scope whose function is running synchronously right now (a
 * fast path, since reading the async context on every tensor is not free). Restored when
 * that function returns, so continuations, which only run on an empty stack, see
 * `undefined` here and read the async context instead.
 */
let syncCurrent: ScopeNode | undefined;
let scopeCount = 0;
/**
 * Scopes opened and not yet closed. While none is, a new tensor has no owner to join, and
 * registration skips reading the async context (not free, and paid by every eager op).
 */
let openScopes = 0;

/**
 * @internal Tests only: `false` switches to the browser behaviour (no async context), `true`
 * back to AsyncLocalStorage where the runtime has it. Returns whether one is in use.
 */
export function useAsyncContext(enabled: boolean): boolean {
  asyncContext = enabled ? findAsyncContext() : undefined;
  globalCurrent = undefined;
  syncCurrent = undefined;
  return asyncContext !== undefined;
}

function current(): ScopeNode | undefined {
  if (!asyncContext) return globalCurrent;
  return syncCurrent ?? asyncContext.getStore();
}

function openAncestor(node: ScopeNode | undefined): ScopeNode | undefined {
  let n = node;
  while (n?.closed) n = n.parent;
  return n;
}

function interleaved(earlier: ScopeNode, later: string): string {
  return (
    `scope: ${later} started while ${earlier.label} (an async scope) is still running, and this ` +
    'runtime has no async context (AsyncLocalStorage) to tell their tensors apart; await one ' +
    'scope before starting the next, or run them in separate workers'
  );
}

/** Fallback only: code outside a pending async scope is running while it is current. */
function checkNotInterleaved(what: string): void {
  if (asyncContext) return;
  const top = globalCurrent;
  if (top?.pendingInOpeningJob) throw new Error(interleaved(top, what));
}

export function registerInScope(t: Tensor): void {
  if (openScopes === 0) return;
  const s = current();
  if (!s) return;
  if (s.pendingInOpeningJob) checkNotInterleaved(`a tensor (${t.describe()}) was created outside it and`);
  openAncestor(s)?.tensors.add(t);
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

/** Closes a scope: disposes what is not kept, hands the kept ones to the nearest open ancestor. */
function closeScope(s: ScopeNode, keep: ReadonlySet<Tensor>): void {
  if (!s.closed) openScopes--;
  s.closed = true;
  if (!asyncContext && s.isAsync && globalCurrent !== s && !s.poisoned) {
    // A scope opened after this async one is still current, so it ran while this one's
    // continuations did: their tensors are mixed. Free nothing.
    const later = globalCurrent;
    for (let n = later; n && n !== s; n = n.parent) n.poisoned = s.label;
    s.poisoned = later?.label ?? 'another scope';
  }
  if (!asyncContext && globalCurrent === s) globalCurrent = openAncestor(s.parent);
  const parent = openAncestor(s.parent);
  for (const t of s.tensors) {
    if (s.poisoned || keep.has(t)) parent?.tensors.add(t);
    else t.dispose();
  }
  s.tensors.clear();
  if (s.poisoned)
    throw new Error(
      `scope: ${s.label} and ${s.poisoned} interleaved (concurrent async scopes without an async ` +
        'context); no tensor was freed by them. Await one scope before starting the next',
    );
}

/** Removes a tensor from the open scopes: it outlives them (jit's cached constants). */
export function persist(t: Tensor): void {
  for (let n = current(); n; n = n.parent) n.tensors.delete(t);
}

/**
 * Runs `fn` in a new scope (sync, or async: then the scope closes when the promise settles)
 * and keeps only what `keepOf(result, made)` lists, `made` being the tensors the scope
 * owned; everything else it owned is freed, also when `fn` throws or rejects.
 */
export function runScoped<T>(
  label: string,
  fn: () => T,
  keepOf: (result: Awaited<T>, made: ReadonlySet<Tensor>) => Iterable<Tensor>,
): T {
  const name = `${label} #${++scopeCount}`;
  checkNotInterleaved(name);
  const parent = current();
  const node: ScopeNode = {
    label: name,
    tensors: new Set(),
    parent,
    closed: false,
    isAsync: false,
    pendingInOpeningJob: false,
  };
  openScopes++;
  // (fallback) Queued before fn runs, so it fires before fn's own continuations: it marks
  // the end of the job in which the caller's code, not fn's, runs while `node` is current.
  if (!asyncContext)
    queueMicrotask(() => {
      node.pendingInOpeningJob = false;
    });
  const fail = (e: unknown): never => {
    closeScope(node, new Set());
    throw e;
  };
  const finish = (value: Awaited<T>): Awaited<T> => {
    closeScope(node, new Set(keepOf(value, node.tensors)));
    return value;
  };
  let result: T;
  try {
    if (asyncContext) {
      const outer = syncCurrent;
      syncCurrent = node;
      try {
        result = asyncContext.run(node, fn);
      } finally {
        syncCurrent = outer;
      }
    } else {
      globalCurrent = node;
      result = fn();
    }
  } catch (e) {
    return fail(e);
  }
  if (!(result instanceof Promise)) return finish(result as Awaited<T>) as T;
  node.isAsync = true;
  if (!asyncContext) node.pendingInOpeningJob = true;
  return result.then(finish, fail) as T;
}

/**
 * Runs `fn` in a fresh scope and keeps only what `keepOf(result)` lists: how transforms
 * own their intermediates.
 */
export function withOwnedScope<T>(fn: () => T, keepOf: (result: T) => Iterable<Tensor>): T {
  // Inside an enclosing transform, values computed here may be captured by it (as
  // residuals or constants): the outermost transform's scope frees them when it ends.
  if (insideTransform()) return fn();
  return runScoped('a transform', fn, (r) => keepOf(r as T));
}
