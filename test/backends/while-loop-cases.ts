/**
 * `whileLoop` (and `foriLoop` with a run-time trip count, which is one) in jitted programs run
 * with `await jit(f).async(…)`: the same cases on every backend, in Node (loops.test.ts,
 * through the backend suite's parametrisation) and in the browser (test/browser/loops.test.ts).
 * On WebGPU the condition is awaited each iteration; known values and the laws (equal to the
 * unrolled loop; vmap equals per-example loops; jvp equals the derivative of the unrolled loop).
 */
import { expect } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { expectT, values } from './helpers.ts';

type S = Tensor<[], 'f32'>;
type I = Tensor<[], 'i32'>;
const i32 = (n: number) => tg.tensor(n, { dtype: 'i32' }) as I;

/** Halve until below 1: a data-dependent trip count. */
const halve = (x: S) =>
  tg.whileLoop(
    (c) => tg.greaterEqual(c, 1),
    (c) => tg.div(c, 2) as S,
    x,
  );

/** One step that uses the counter: c ← c · 1.5 + i. */
const step = (i: I, c: Tensor<[3], 'f32'>) => tg.add(tg.mul(c, 1.5), tg.cast(i, 'f32')) as Tensor<[3], 'f32'>;

export const WHILE_LOOP_CASES: Record<string, () => Promise<void>> = {
  'jit(whileLoop).async: a data-dependent trip count, one program for every input': async () => {
    const f = tg.jit(halve);
    await expectT(await f.async(tg.tensor(10) as S), [], [0.625]); // 10 → 5 → 2.5 → 1.25 → 0.625
    await expectT(await f.async(tg.tensor(3) as S), [], [0.75]);
    await expectT(await f.async(tg.tensor(0.5) as S), [], [0.5]); // no iteration
    expect(f.cacheSize).toBe(1);
  },

  'a condition computed on the device (a sum over 256 values, past host forwarding)': async () => {
    // sum = 256 / 2^k < 1 first at k = 9
    const f = tg.jit((x: Tensor<[256], 'f32'>) =>
      tg.whileLoop(
        (c) => tg.greaterEqual(tg.sum(c), 1),
        (c) => tg.div(c, 2) as Tensor<[256], 'f32'>,
        x,
      ),
    );
    await expectT(await f.async(tg.ones([256]) as Tensor<[256], 'f32'>), [256], new Array(256).fill(1 / 512));
  },

  'foriLoop with a run-time trip count equals the unrolled loop (n = 0, 1, 4, 9)': async () => {
    const x = tg.tensor([1, -2, 0.5]) as Tensor<[3], 'f32'>;
    const f = tg.jit((c: Tensor<[3], 'f32'>, n: I) => tg.foriLoop(0, n, step, c));
    for (const n of [0, 1, 4, 9]) {
      let want = x;
      for (let i = 0; i < n; i++) want = step(i32(i), want);
      await expectT(await f.async(x, i32(n)), [3], await values(want));
    }
    expect(f.cacheSize).toBe(1);
  },

  'vmap: each example stops at its own condition': async () => {
    const f = tg.jit(tg.vmap(halve));
    // 100 → 50 → … → 0.78125 (7 halvings); 0.5 stays
    await expectT(await f.async(tg.tensor([10, 3, 0.5, 100]) as never), [4], [0.625, 0.75, 0.5, 0.78125]);
  },

  'jvp through the loop: the tangent is scaled by each iteration (1/2^k)': async () => {
    const f = tg.jit((x: S, t: S) => tg.jvp(halve, [x], [t]));
    const [y, dy] = await f.async(tg.tensor(10) as S, tg.tensor(1) as S);
    await expectT(y as Tensor, [], [0.625]);
    await expectT(dy as Tensor, [], [1 / 16]);
  },

  'a whileLoop in the body of a whileLoop': async () => {
    // three times: x ← halve(10 x); from 1: 0.625, 0.78125, 0.9765625
    const f = tg.jit((x: S) =>
      tg.whileLoop(
        ([i]: readonly [I, S]) => tg.less(i, 3),
        ([i, c]) => [tg.add(i, 1) as I, halve(tg.mul(c, 10) as S)] as const,
        [i32(0), x] as const,
      ),
    );
    const [i, x] = await f.async(tg.tensor(1) as S);
    await expectT(i, [], [3]);
    await expectT(x, [], [0.9765625]);
  },

  'maxIterations: the call rejects, naming the limit, and frees what it made': async () => {
    const live = () => tg.memory()[tg.getBackend()]?.tensors ?? 0;
    const f = tg.jit((c: S) =>
      tg.whileLoop(
        (v) => tg.greaterEqual(v, 1),
        (v) => tg.div(v, 2) as S,
        c,
        { maxIterations: 3 },
      ),
    );
    await expectT(await f.async(tg.tensor(4) as S), [], [0.5]); // within the limit (and traced)
    const x = tg.tensor(1000) as S;
    const before = live();
    await expect(f.async(x)).rejects.toThrow(/maxIterations = 3/);
    expect(live()).toBe(before);
  },
};
