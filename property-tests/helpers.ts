/** Small host-side helpers shared by the property tests. */
import type { DType } from '../src/core/dtype.ts';
import type { Tensor } from '../src/index.ts';
import { tensor } from '../src/index.ts';
import type { Host } from './prim-cases.ts';

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32). */
export function randomValues(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** A random tensor shaped like `like` (float dtypes only). */
export function randomLike(like: Tensor, seed: number): Tensor {
  return tensor(randomValues(like.size, seed), like.shape as number[], {
    dtype: like.dtype as DType,
  }) as Tensor;
}

export const values = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);

export function dot(a: Tensor, b: Tensor): { value: number; scale: number } {
  const x = values(a);
  const y = values(b);
  let value = 0;
  let scale = 0;
  x.forEach((v, i) => {
    value += v * y[i]!;
    scale += Math.abs(v * y[i]!);
  });
  return { value, scale };
}

/** Host tensors of one shape stacked along a new axis `axis`. */
export function stackHost(parts: readonly Host[], axis: number): Tensor {
  const first = parts[0]!;
  const shape = first.shape as number[];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis).reduce((a, b) => a * b, 1);
  const B = parts.length;
  const data = new (first.data.constructor as new (n: number) => Float64Array)(outer * B * inner);
  for (let o = 0; o < outer; o++)
    for (let b = 0; b < B; b++)
      for (let i = 0; i < inner; i++) data[(o * B + b) * inner + i] = parts[b]!.data[o * inner + i] as number;
  const out = [...shape.slice(0, axis), B, ...shape.slice(axis)];
  return tensor(data, out, { dtype: first.dtype }) as Tensor;
}

/** Tensors of one shape stacked along a new axis `axis`, on the host. */
export function stackValues(ts: readonly Tensor[], axis: number): { shape: number[]; data: number[] } {
  const shape = ts[0]!.shape as number[];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis).reduce((a, b) => a * b, 1);
  const vs = ts.map(values);
  const data: number[] = [];
  for (let o = 0; o < outer; o++)
    for (const v of vs) for (let i = 0; i < inner; i++) data.push(v[o * inner + i]!);
  return { shape: [...shape.slice(0, axis), ts.length, ...shape.slice(axis)], data };
}

/** Element-wise closeness with a relative-and-absolute tolerance; exact for integer dtypes. */
export function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-10): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (Object.is(a, e) || a === e) return;
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e))))
      throw new Error(`element ${i}: got ${a}, expected ${e} (tol ${tol})`);
  });
}
