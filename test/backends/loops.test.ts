/**
 * whileLoop in jitted programs on every backend (while-loop-cases.ts), run with
 * `await jit(f).async(…)`; and the synchronous call: the CPU reads the condition in place,
 * WebGPU (asynchronous reads only) refuses with an error naming `jit(f).async`.
 */
import { describe, expect } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, useBackend } from './helpers.ts';
import { WHILE_LOOP_CASES } from './while-loop-cases.ts';

const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('whileLoop on $name', (backend) => {
  const test = useBackend(backend);
  for (const [name, run] of Object.entries(WHILE_LOOP_CASES)) test(name, run);

  test('the synchronous call: read in place on the CPU, an error naming jit(f).async on WebGPU', async () => {
    const f = tg.jit((x: Tensor<[], 'f32'>) =>
      tg.whileLoop(
        (c) => tg.greaterEqual(c, 1),
        (c) => tg.div(c, 2) as Tensor<[], 'f32'>,
        x,
      ),
    );
    const x = tg.tensor(10) as Tensor<[], 'f32'>;
    if (backend.name === 'cpu') expect(await f(x).itemAsync()).toBe(0.625);
    else expect(() => f(x)).toThrow(/reads values only asynchronously.*await jit\(f\)\.async/);
  });

  test('a whileLoop inside a scan body: computed on the CPU, the clear error on WebGPU, also with async', async () => {
    const f = tg.jit((xs: Tensor<[2], 'f32'>) =>
      tg.scan(
        (c: Tensor<[], 'f32'>, x: Tensor<[], 'f32'>) => {
          const h = tg.whileLoop(
            (v) => tg.greaterEqual(v, 1),
            (v) => tg.div(v, 2) as Tensor<[], 'f32'>,
            tg.add(c, x) as Tensor<[], 'f32'>,
          );
          return [h, h] as const;
        },
        tg.tensor(0) as Tensor<[], 'f32'>,
        xs,
      ),
    );
    const xs = tg.tensor([10, 3]) as Tensor<[2], 'f32'>;
    if (backend.name === 'cpu') {
      const [, ys] = await f.async(xs);
      expect(Array.from(await ys.data())).toEqual([0.625, 0.90625]); // 10 → 0.625; 3.625 → 0.90625
    } else await expect(f.async(xs)).rejects.toThrow(/not inside a scan body/);
  });
});
