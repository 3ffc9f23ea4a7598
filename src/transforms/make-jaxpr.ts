import { flatten, unflatten } from '../core/pytree.ts';
import { printJaxpr, stage } from './jaxpr.ts';

/** The program `f` stages to for these example arguments, printed (for inspection and docs). */
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
