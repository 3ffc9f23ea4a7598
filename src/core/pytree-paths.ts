import { Tensor } from './tensor.ts';

/**
 * The tensor leaves of a pytree with their dotted paths (`enc.w`, `layers.0.b`), in
 * `flatten`'s order (arrays and plain records are walked; other values are static). A lone
 * tensor has the path `''`.
 *
 * @example
 * tensorPaths({ a: [x, y] }); // [['a.0', x], ['a.1', y]]
 */
export function tensorPaths(tree: unknown): [path: string, leaf: Tensor][] {
  const out: [string, Tensor][] = [];
  const walk = (v: unknown, path: string): void => {
    if (v instanceof Tensor) out.push([path, v]);
    else if (Array.isArray(v)) for (const [i, c] of v.entries()) walk(c, join(path, String(i)));
    else if (isPlainRecord(v)) for (const k of Object.keys(v)) walk(v[k], join(path, k));
  };
  walk(tree, '');
  return out;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
