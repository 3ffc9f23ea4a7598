import { formatShape } from '../core/aval.ts';
import { isTensor, type Tensor } from '../core/tensor.ts';

/**
 * Optimizers pair leaves by position, so before any work every tree an update reads must
 * have the structure, keys, shapes and dtypes of the reference tree (the params when given,
 * else the state's first tree, else the grads). Errors name the optimizer and the path:
 * `optim.adam: grads.b is f32[3] but params.b is f32[2, 3]`. `stateTrees` are the keys of
 * the state that hold one tree like the params each (adam: mu, nu).
 */
export function checkUpdateTrees(
  op: string,
  grads: unknown,
  state: unknown,
  params: unknown,
  stateTrees: readonly string[] = [],
): void {
  if (state === null || typeof state !== 'object')
    throw new Error(`${op}: state must be the object init() returned, got ${describeValue(state)}`);
  for (const k of stateTrees)
    if (!(k in state))
      throw new Error(`${op}: state.${k} is missing; pass the state this optimizer's init() returned`);
  const entries = Object.entries(state as Record<string, unknown>);
  const count = (state as { count?: unknown }).count;
  if (!isTensor(count) || count.shape.length !== 0 || count.dtype !== 'i32')
    throw new Error(`${op}: state.count must be the i32 scalar init() made, got ${describeValue(count)}`);
  const trees: [string, unknown][] = [
    ['grads', grads],
    ...entries.filter(([k]) => k !== 'count').map(([k, v]): [string, unknown] => [`state.${k}`, v]),
  ];
  const reference: [string, unknown] = params !== undefined ? ['params', params] : (trees[1] ?? trees[0]!);
  for (const [path, tree] of trees)
    if (tree !== reference[1]) sameTree(op, path, tree, reference[0], reference[1]);
}

/** Checks that `tree` (at `path`) matches `ref` (at `refPath`) leaf for leaf. */
export function sameTree(op: string, path: string, tree: unknown, refPath: string, ref: unknown): void {
  const fail: (what: string) => never = (what) => {
    throw new Error(`${op}: ${path} ${what}`);
  };
  if (isTensor(ref)) {
    if (!isTensor(tree)) fail(`is ${describeValue(tree)} but ${refPath} is a tensor ${ref.describe()}`);
    if (tree.dtype !== ref.dtype || formatShape(tree.shape) !== formatShape(ref.shape))
      fail(`is ${tree.describe()} but ${refPath} is ${ref.describe()}`);
    return;
  }
  if (Array.isArray(ref)) {
    if (!Array.isArray(tree)) fail(`is ${describeValue(tree)} but ${refPath} is an array`);
    if (tree.length !== ref.length) fail(`has ${tree.length} entries but ${refPath} has ${ref.length}`);
    ref.forEach((r, i) => {
      sameTree(op, `${path}[${i}]`, tree[i], `${refPath}[${i}]`, r);
    });
    return;
  }
  if (ref !== null && typeof ref === 'object') {
    if (tree === null || typeof tree !== 'object' || Array.isArray(tree) || isTensor(tree))
      fail(`is ${describeValue(tree)} but ${refPath} is a record`);
    const keys = Object.keys(ref);
    const got = Object.keys(tree);
    const extra = got.filter((k) => !(k in ref));
    const missing = keys.filter((k) => !(k in tree));
    if (extra.length > 0 || missing.length > 0)
      fail(
        `has keys {${got.join(', ')}} but ${refPath} has {${keys.join(', ')}}` +
          `${extra.length ? `; unexpected: ${extra.join(', ')}` : ''}${missing.length ? `; missing: ${missing.join(', ')}` : ''}`,
      );
    if (got.join('\0') !== keys.join('\0'))
      fail(
        `has keys in the order {${got.join(', ')}} but ${refPath} in {${keys.join(', ')}} (leaves pair by position)`,
      );
    for (const k of keys)
      sameTree(
        op,
        `${path}.${k}`,
        (tree as Record<string, unknown>)[k],
        `${refPath}.${k}`,
        (ref as Record<string, unknown>)[k],
      );
    return;
  }
  if (isTensor(tree))
    fail(`is a tensor ${(tree as Tensor).describe()} but ${refPath} is ${describeValue(ref)}`);
}

function describeValue(v: unknown): string {
  if (isTensor(v)) return `a tensor ${v.describe()}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'a record';
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${typeof v} ${String(v)}`;
}
