/**
 * The one check behind every public options object: required arguments are positional,
 * everything optional sits in one object, and a key the function does not know is an error
 * (a misspelt `keepDims` would otherwise be silently ignored).
 */

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
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts))
    throw new Error(`${op}: options must be an object like { ${known.join(', ')} }, got ${describe(opts)}`);
  for (const key of Object.keys(opts))
    if (!known.includes(key))
      throw new Error(
        `${op}: unknown option '${key}' (known options: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `the array [${value.join(', ')}]`;
  return typeof value === 'string' ? `'${value}'` : String(value);
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
