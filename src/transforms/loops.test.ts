import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { add, cast, div, greaterEqual, mul, sin } from '../ops/elementwise.ts';
import { sum } from '../ops/reductions.ts';
import { grad } from './api.ts';
import { jit } from './jit.ts';
import { foriLoop, whileLoopAsync } from './loops.ts';

type V = Tensor<[3], 'f64'>;
const f64 = (xs: number[]) => tensor(new Float64Array(xs), [3]) as V;
/** One step that uses the counter: x ← sin(x) · (1 + i/10) + i. */
const step = (i: Tensor, x: V): V => add(mul(sin(x), add(div(cast(i, 'f64'), 10), 1)), cast(i, 'f64')) as V;

function unrolled(lower: number, upper: number, x: V): V {
  let c = x;
  for (let i = lower; i < upper; i++) c = step(tensor(new Int32Array([i]), []), c);
  return c;
}

describe('foriLoop', () => {
  it('repeats the body with the counter', () => {
    expect(foriLoop(0, 5, (_i, x: Tensor) => mul(x, 2), tensor([1, 3])).toArray()).toEqual([32, 96]);
    expect(foriLoop(2, 5, (i, s: Tensor) => add(s, cast(i, 'f32')), tensor(0)).toArray()).toBe(9);
    const x = tensor([1]);
    expect(foriLoop(3, 3, (_i, c: Tensor) => mul(c, 2), x)).toBe(x);
  });

  it('property: equals the unrolled loop and its gradient, also under jit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: 0, max: 4 }),
        (xs, lower, trips) => {
          const upper = lower + trips;
          const loss = (x: V) => sum(foriLoop(lower, upper, step, x));
          const lossUnrolled = (x: V) => sum(unrolled(lower, upper, x));
          const x = f64(xs);
          const close = (a: Tensor, b: Tensor) => {
            const want = b.dataSync() as Float64Array;
            for (const [k, v] of (a.dataSync() as Float64Array).entries())
              expect(v).toBeCloseTo(want[k]!, 12);
          };
          close(foriLoop(lower, upper, step, x), unrolled(lower, upper, x));
          close(grad(loss)(x), grad(lossUnrolled)(x));
          close(jit(grad(loss))(x), grad(lossUnrolled)(x));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('rejects non-integer bounds', () => {
    expect(() => foriLoop(0, 1.5, (_i, c) => c, 0)).toThrow(
      'foriLoop: bounds must be integers, got lower 0 and upper 1.5',
    );
  });
});

describe('whileLoopAsync', () => {
  it('runs while the condition holds', async () => {
    const x = await whileLoopAsync(
      (x: Tensor) => greaterEqual(x, 1),
      (x) => div(x, 2),
      tensor(10),
    );
    expect(x.toArray()).toBe(0.625);
    const n = await whileLoopAsync(
      (k: number) => k < 4,
      (k) => k + 1,
      0 as number,
    );
    expect(n).toBe(4);
  });

  it('stops at maxIterations and rejects traced conditions', async () => {
    await expect(
      whileLoopAsync(
        () => true,
        (k: number) => k + 1,
        0,
        { maxIterations: 3 },
      ),
    ).rejects.toThrow('whileLoopAsync: still running after maxIterations = 3 iterations');
    const traced = jit((x: Tensor) => {
      void whileLoopAsync(
        (c: Tensor) => greaterEqual(c, 1),
        (c) => c,
        x,
      ).catch((e: Error) => {
        message = e.message;
      });
      return x;
    });
    let message = '';
    traced(tensor(2));
    await new Promise((r) => setTimeout(r, 0));
    expect(message).toMatch(/^whileLoopAsync: cond returned a traced tensor/);
  });
});
