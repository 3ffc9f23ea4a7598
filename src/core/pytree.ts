import { staticKey } from './static-key.ts';
import { Tensor } from './tensor.ts';

/**
 * Pytrees: nested arrays, tuples and plain records whose leaves are tensors. Transforms
 * flatten their arguments to a list of tensors plus a tree definition, work on the list,
 * and rebuild results of the same structure. Non-tensor leaves (numbers, strings, null)
 * are static: they are part of the tree definition.
 */
export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'static'; readonly value: unknown }
  | { readonly kind: 'array'; readonly children: readonly TreeDef[] }
  | { readonly kind: 'record'; readonly keys: readonly string[]; readonly children: readonly TreeDef[] };

const LEAF: TreeDef = { kind: 'leaf' };

export function flatten(value: unknown): [Tensor[], TreeDef] {
  const leaves: Tensor[] = [];
  const def = flattenInto(value, leaves);
  return [leaves, def];
}

function flattenInto(value: unknown, leaves: Tensor[]): TreeDef {
  if (value instanceof Tensor) {
    leaves.push(value);
    return LEAF;
  }
  if (Array.isArray(value)) return { kind: 'array', children: value.map((v) => flattenInto(v, leaves)) };
  if (isRecord(value)) {
    const keys = Object.keys(value);
    return { kind: 'record', keys, children: keys.map((k) => flattenInto(value[k], leaves)) };
  }
  return { kind: 'static', value };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function unflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        return leaves[i++];
      case 'static':
        return d.value;
      case 'array':
        return d.children.map(build);
      case 'record': {
        const out: Record<string, unknown> = {};
        d.keys.forEach((k, j) => {
          out[k] = build(d.children[j]!);
        });
        return out;
      }
    }
  };
  const out = build(def);
  if (i !== leaves.length) throw new Error(`unflatten: tree has ${i} leaves, got ${leaves.length}`);
  return out as T;
}

export function countLeaves(def: TreeDef): number {
  switch (def.kind) {
    case 'leaf':
      return 1;
    case 'static':
      return 0;
    default:
      return def.children.reduce((n, c) => n + countLeaves(c), 0);
  }
}

/** A stable string for a tree definition (used in jit cache keys). */
export function treeKey(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return '*';
    case 'static':
      return staticKey(def.value, 'jit', 'a non-tensor leaf');
    case 'array':
      return `[${def.children.map(treeKey).join(',')}]`;
    case 'record':
      return `{${def.keys.map((k, i) => `${k}:${treeKey(def.children[i]!)}`).join(',')}}`;
  }
}

export function treeEqual(a: TreeDef, b: TreeDef): boolean {
  return treeKey(a) === treeKey(b);
}
