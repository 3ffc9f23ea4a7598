/**
 * The one check behind every public options object: required arguments are positional,
 * everything optional sits in one object, and a key the function does not know is an error
 * (a misspelt `keepDims` would otherwise be silently ignored).
 */
import { describeValue, dtypeAlias } from './guards.ts';
import { isTensor } from './tensor.ts';

/**
 * Throws unless `opts` is `undefined` or a plain object whose keys are all in `known`.
 *
 * @example
 * checkOptions('sum', { keepdims: true }, ['axis', 'keepdims']); // fine
 * checkOptions('sum', { keepDims: true }, ['axis', 'keepdims']);
 * // Error: sum: unknown option 'keepDims' (known options: axis, keepdims)
 */
export function checkOptions(op: string, opts: unknown, known: readonly string[]): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts) || isTensor(opts))
    throw new Error(
      `${op}: options must be an object like { ${known.join(', ')} }, got ${describeValue(opts)}${positionalHint(known[0], opts)}`,
    );
  for (const key of Object.keys(opts))
    if (!known.includes(key))
      throw new Error(
        `${op}: unknown option '${key}' (known options: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
}

/**
 * A positional value where the options belong (`sum(x, 1)`, `tensor(v, shape, 'i32')`): the
 * options form it most likely meant, with `key` (the function's first option) filled in.
 */
function positionalHint(key: string | undefined, value: unknown): string {
  if (key === undefined || value === null || (typeof value === 'object' && !Array.isArray(value))) return '';
  const meant = key === 'dtype' ? (dtypeAlias(value) ?? value) : value;
  const literal = typeof meant === 'string' ? `'${meant}'` : (JSON.stringify(meant) ?? String(meant));
  return `; did you mean { ${key}: ${literal} }?`;
}

/**
 * The key list of an options type, written as a record so the compiler checks it is exactly
 * the type's keys (an option added to the type but not here is a compile error).
 *
 * @example
 * const CONV_KEYS = optionKeys<ConvOptions>({ stride: true, padding: true, dilation: true, groups: true });
 * checkOptions('conv2d', opts, CONV_KEYS);
 */
export function optionKeys<T>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(keys);
}
