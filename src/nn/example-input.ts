/**
 * Initialisation from an example input, as Flax's `init(key, x)` and Keras's build-on-first-call:
 * `layer.initFor(key, x, config)` reads the input size from `x` (its last dim, or its channel
 * axis 1 for convolutions and batch/group norms) and calls `layer.init` with it, so the
 * parameter record's type uses x's literal dims and every later layer stays statically checked.
 * For the same key it gives exactly the parameters of `layer.init(key, { in: <that dim>, ... })`.
 * This file holds what the layers' `initFor` share: the run-time reading of x and the type of
 * its channel dim.
 */
import { isTensor } from '../core/tensor.ts';
import { describeArg } from '../ops/coerce.ts';
import type { FloorDiv } from '../shapes/arith.ts';
import type { Dim, Shape } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';

/** The channel dim (axis 1) of an input `[N, C, ...]`; `number` when the rank is unknown. */
export type ChannelDim<X extends Shape> = X extends readonly [infer _N, infer C extends Dim, ...infer _Rest]
  ? C
  : number;

/**
 * The input channels per group of a grouped convolution's weight: C itself for one group,
 * else C / G (`number` for a named or dynamic C).
 */
export type PerGroup<C extends Dim, G extends number> = G extends 1
  ? C
  : C extends number
    ? FloorDiv<C, G>
    : number;

/**
 * The size of axis `axis` (negative counts from the end) of the example input `x`, checking
 * that it is a tensor (of rank `rank`, when given).
 */
function exampleDim(op: string, x: unknown, axis: number, rank: number | undefined): number {
  if (!isTensor(x)) throw new Error(`${op}: the example input must be a Tensor, got ${describeArg(x)}`);
  const s = x.shape as readonly number[];
  if (rank !== undefined && s.length !== rank)
    throw new ShapeError(`${op}: input rank ${s.length} and expected rank ${rank} differ`);
  const i = axis < 0 ? s.length + axis : axis;
  if (i < 0 || i >= s.length)
    throw new ShapeError(`${op}: the example input ${x.describe()} has no axis ${axis}`);
  return s[i]!;
}

/**
 * The explicit config of a layer's `init`: `config` with `name` set to the size of axis `axis`
 * of the example input `x` (negative counts from the end; `rank`: the rank x must have).
 * A config that also gives `name` (or one of `alsoFromX`) is an error, as it is ambiguous.
 *
 * @example
 * configFromExample('nn.dense.initFor', zeros([32, 784]), { out: 10 }, 'in', -1);
 * // { out: 10, in: 784 }
 */
export function configFromExample(
  op: string,
  x: unknown,
  config: unknown,
  name: string,
  axis: number,
  rank?: number,
  alsoFromX: readonly string[] = [],
): never {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new Error(`${op}: config must be an object, got ${describeArg(config)}`);
  for (const k of [name, ...alsoFromX])
    if (k in config)
      throw new Error(`${op}: config.${k} comes from the example input; leave it out (or use init)`);
  return { ...config, [name]: exampleDim(op, x, axis, rank) } as never;
}
