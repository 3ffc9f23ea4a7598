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
});
