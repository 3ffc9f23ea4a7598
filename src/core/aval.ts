import type { DType } from './dtype.ts';

/** An abstract value: what tracing knows of a tensor (JAX's ShapedArray). */
export interface Aval {
  /** The dims, as numbers. */
  readonly shape: readonly number[];
  /** The element type. */
  readonly dtype: DType;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function avalKey(a: Aval): string {
  return `${a.dtype}[${a.shape.join(',')}]`;
}
