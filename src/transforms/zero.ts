import type { Aval } from '../core/aval.ts';
import { zerosLike } from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';

/** A symbolic zero: a tangent or cotangent known to be zero, never materialised unless needed. */
export class Zero {
  constructor(readonly aval: Aval) {}
}

export type MaybeZero = Tensor | Zero;

export function isZero(t: MaybeZero | undefined): t is Zero {
  return t instanceof Zero;
}

export function instantiate(t: MaybeZero): Tensor {
  return t instanceof Zero ? zerosLike(t.aval) : t;
}

/** Adds two possibly-zero values without materialising zeros. */
export function addMaybe(
  a: MaybeZero | undefined,
  b: MaybeZero,
  add: (x: Tensor, y: Tensor) => Tensor,
): MaybeZero {
  if (a === undefined || a instanceof Zero) return b;
  if (b instanceof Zero) return a;
  return add(a, b);
}
