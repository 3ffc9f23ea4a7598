/**
 * Shared by the backends' fusion tests: run a fresh `jit` of a function with fusion on and
 * off and compare values and kernel counts.
 */
import { expect } from 'vitest';
import type { Tensor } from '../../src/core/tensor.ts';
import { jit } from '../../src/index.ts';

/** Every tensor leaf of a result (records in key order): shapes/dtypes and all values, flattened. */
export async function leafValues(out: unknown): Promise<{ v: number[]; shapes: string[] }> {
  const ts: Tensor[] = [];
  const walk = (o: unknown): void => {
    if (o instanceof Object && 'data' in o && typeof o.data === 'function') ts.push(o as Tensor);
    else if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object')
      for (const k of Object.keys(o).sort()) walk((o as Record<string, unknown>)[k]);
  };
  walk(out);
  const v: number[] = [];
  for (const t of ts) v.push(...Array.from((await t.data()) as ArrayLike<number>));
  return { v, shapes: ts.map((t) => t.describe()) };
}

/** Equal bit for bit: -0 and NaN are told apart from 0 and from each other's absence. */
export function expectSameBits(a: readonly number[], b: readonly number[]): void {
  const key = (x: number) => (Object.is(x, -0) ? '-0' : String(x));
  expect(a.map(key)).toEqual(b.map(key));
}

export interface FusionRun {
  readonly v: number[];
  readonly shapes: string[];
  /** kernels (dispatches) run by the second call, after tracing and planning */
  readonly kernels: number;
}

/**
 * `target()` is the backend whose `fusion` flag is switched, `count()` its kernel counter.
 * `compare` checks fused against unfused (bit for bit, or with `check`) and that fewer
 * kernels ran.
 */
export function fusionHarness(target: () => { fusion: boolean }, count: () => number) {
  async function jitRun<A extends unknown[]>(
    f: (...a: A) => unknown,
    args: A,
    fusion: boolean,
  ): Promise<FusionRun> {
    target().fusion = fusion;
    const jf = jit(f);
    await leafValues(jf(...args)); // the first call traces and plans
    const before = count();
    const out = jf(...args);
    const kernels = count() - before;
    return { ...(await leafValues(out)), kernels };
  }

  async function compare<A extends unknown[]>(
    f: (...a: A) => unknown,
    args: A,
    check: (fused: number[], plain: number[]) => void = expectSameBits,
  ): Promise<{ fused: number; plain: number; v: number[] }> {
    const fused = await jitRun(f, args, true);
    const plain = await jitRun(f, args, false);
    expect(fused.shapes).toEqual(plain.shapes);
    check(fused.v, plain.v);
    expect(fused.kernels).toBeLessThan(plain.kernels);
    return { fused: fused.kernels, plain: plain.kernels, v: fused.v };
  }

  return { jitRun, compare };
}
