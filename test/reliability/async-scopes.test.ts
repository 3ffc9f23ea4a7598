/**
 * Issue 11 item 1: concurrent async scopes own their own tensors (Node: AsyncLocalStorage);
 * without an async context (browsers) interleaving them is an error naming both scopes and
 * nothing is freed wrongly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useAsyncContext } from '../../src/core/scope.ts';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';

type M = Tensor<[8, 16], 'f32'>;
const tick = () => new Promise<void>((r) => setTimeout(r, 1));

/** A few "training steps" with awaits between ops; returns the final parameters. */
async function train(seed: number): Promise<M> {
  let w = tg.full([8, 16], seed) as M;
  for (let i = 0; i < 5; i++) {
    await tick();
    const g = tg.mul(w, 0.5) as M;
    await tick();
    w = tg.sub(w, tg.mul(g, 0.1)) as M;
  }
  return w;
}

const live = () => tg.memory().cpu?.tensors ?? 0;

describe('concurrent async scopes', () => {
  afterEach(() => {
    useAsyncContext(true);
  });

  it('with AsyncLocalStorage each scope frees only its own tensors', async () => {
    expect(useAsyncContext(true)).toBe(true);
    const before = live();
    const [a, b] = await Promise.all([tg.scope(async () => train(1)), tg.scope(async () => train(2))]);
    const factor = 0.95 ** 5;
    expect(Array.from(a.dataSync()).every((v) => Math.abs(v - factor) < 1e-5)).toBe(true);
    expect(Array.from(b.dataSync()).every((v) => Math.abs(v - 2 * factor) < 1e-5)).toBe(true);
    expect(live()).toBe(before + 2);
    a.dispose();
    b.dispose();
    expect(live()).toBe(before);
  });

  it('a tensor made by the caller while an async scope runs is not that scope’s', async () => {
    const before = live();
    const p = tg.scope(async () => train(1));
    const mine = tg.zeros([2]);
    const w = await p;
    expect(mine.dataSync()).toEqual(new Float32Array(2));
    w.dispose();
    mine.dispose();
    expect(live()).toBe(before);
  });

  it('without an async context, interleaving is an error naming both scopes', async () => {
    expect(useAsyncContext(false)).toBe(false);
    const before = live();
    let first: Promise<M> | undefined;
    expect(() => {
      first = tg.scope(async function trainA() {
        return train(1);
      });
      tg.scope(async function trainB() {
        return train(2);
      });
    }).toThrow(
      /scope: scope 'trainB' #\d+ started while scope 'trainA' #\d+ \(an async scope\) is still running/,
    );
    const a = await first!;
    expect(Array.from(a.dataSync()).every((v) => Math.abs(v - 0.95 ** 5) < 1e-5)).toBe(true);
    a.dispose();
    expect(live()).toBe(before);
    // One after the other is fine, nested too.
    const c = await tg.scope(async () => {
      const inner = await tg.scope(async () => train(3));
      await tick();
      return tg.add(inner, 1);
    });
    expect(c.dataSync()[0]).toBeCloseTo(3 * 0.95 ** 5 + 1, 5);
    c.dispose();
    expect(live()).toBe(before);
  });
});
