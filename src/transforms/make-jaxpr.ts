import { flatten, unflatten } from '../core/pytree.ts';
import { printJaxpr, stage } from './jaxpr.ts';

/**
 * The program `f` stages to for these example arguments, printed (for inspection and docs):
 * one line per primitive, as `jit` would run it.
 *
 * @param f - A function of tensors.
 * @returns A function of example arguments returning the program's text.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { makeJaxpr, mul, sum, type Tensor, tensor } from 'typegrad';
 * const text = makeJaxpr((x: Tensor<[3]>) => sum(mul(x, x)))(tensor([1, 2, 3]));
 * assert.match(text, /mul/);
 * ```
 */
export function makeJaxpr(f: (...args: never[]) => unknown): (...args: unknown[]) => string {
  return (...args) => {
    const [leaves, def] = flatten(args);
    const closed = stage(
      'makeJaxpr',
      leaves.map((l) => l.aval),
      (xs) => {
        const rebuilt = unflatten<unknown[]>(def, xs);
        return flatten((f as unknown as (...a: unknown[]) => unknown)(...rebuilt))[0];
      },
      { dynamic: true },
    );
    return printJaxpr(closed.jaxpr);
  };
}
