import { Tensor } from './tensor.ts';

/**
 * Cache keys for static (non-tensor) values, as jit needs them: two values get the same
 * key only when a program traced with one is valid for the other.
 *
 * - numbers by `Object.is` (so `0` and `-0` differ, `NaN` equals `NaN`, `±Infinity` differ),
 *   strings, booleans, bigints, `null` and `undefined` by value;
 * - arrays and plain records structurally (their keys and entries);
 * - functions, symbols and every other object (a `Map`, a class instance) by identity: the
 *   same object is the same key, even if it was mutated in between;
 * - a tensor, or a cyclic array/record, is unhashable: an error naming `op` and `what`.
 */
export function staticKey(value: unknown, op: string, what: string): string {
  return keyOf(value, op, what, new Set());
}

const identities = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextId = 0;

function identity(v: object): string {
  let id = identities.get(v);
  if (id === undefined) {
    id = nextId++;
    identities.set(v, id);
  }
  return `#${id}`;
}

function keyOf(v: unknown, op: string, what: string, open: Set<object>): string {
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? 'n-0' : `n${v}`;
    case 'string':
      return `s${JSON.stringify(v)}`;
    case 'boolean':
      return v ? 'T' : 'F';
    case 'bigint':
      return `b${v}`;
    case 'undefined':
      return 'u';
    case 'symbol': {
      let id = symbolIds.get(v);
      if (id === undefined) {
        id = nextId++;
        symbolIds.set(v, id);
      }
      return `y${id}`;
    }
    case 'function':
      return `f${identity(v)}`;
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (obj instanceof Tensor)
    throw new Error(`${op}: ${what} is a tensor (${obj.describe()}); a static argument must not be a tensor`);
  const proto = Object.getPrototypeOf(obj);
  const structural = Array.isArray(obj) || proto === Object.prototype || proto === null;
  if (!structural) return `o${identity(obj)}`;
  if (open.has(obj)) throw new Error(`${op}: ${what} is cyclic, so it cannot be a cache key`);
  open.add(obj);
  const key = Array.isArray(obj)
    ? `[${obj.map((e, i) => keyOf(e, op, `${what}[${i}]`, open)).join(',')}]`
    : `{${Object.entries(obj)
        .map(([k, e]) => `${JSON.stringify(k)}:${keyOf(e, op, `${what}.${k}`, open)}`)
        .join(',')}}`;
  open.delete(obj);
  return key;
}
