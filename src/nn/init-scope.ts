/**
 * What every layer `init` shares: its sizes are checked before any tensor is made, and its
 * body runs in an owned scope, so only the returned parameters stay alive (split keys and
 * intermediate draws are freed at once, also when the body throws).
 */
import { collectTensors, withOwnedScope } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';
import { describeArg } from '../ops/coerce.ts';

/**
 * Runs a layer initialiser's body keeping only the tensors of its result.
 *
 * @example
 * const params = ownedInit(() => {
 *   const [kw] = splitKeys(key, { num: 2 });
 *   return { w: glorotUniform(kw, [784, 512]) };
 * }); // the split keys are already freed
 */
export function ownedInit<T>(fn: () => T): T {
  return withOwnedScope(fn, (result) => {
    const keep = new Set<Tensor>();
    collectTensors(result, keep, isTensor);
    return keep;
  });
}

/**
 * Throws unless each named entry of `config` is a positive integer (a layer size).
 *
 * @example
 * checkSizes('nn.dense.init', { in: 784, out: 0 }, ['in', 'out']);
 * // Error: nn.dense.init: out must be a positive integer, got 0
 */
export function checkSizes<C extends object>(
  op: string,
  config: C,
  names: readonly (keyof C & string)[],
): void {
  for (const name of names) checkSize(op, name, config[name]);
}

/**
 * Throws unless `value` (the config entry `name`) is a positive integer.
 *
 * @example
 * checkSize('nn.conv2d.init', 'kernel', 0);
 * // Error: nn.conv2d.init: kernel must be a positive integer, got 0
 */
export function checkSize(op: string, name: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 0))
    throw new Error(
      `${op}: ${name} must be a positive integer, got ${typeof value === 'number' ? value : describeArg(value)}`,
    );
}
