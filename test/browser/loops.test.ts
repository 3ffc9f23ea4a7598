/**
 * whileLoop on WebGPU in headless Chromium (navigator.gpu): the backend suite's cases
 * (test/backends/while-loop-cases.ts), run with `await jit(f).async(…)`, which awaits the
 * condition each iteration.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tg from '../../src/index.ts';
import { WHILE_LOOP_CASES } from '../backends/while-loop-cases.ts';

beforeAll(async () => {
  await tg.setBackend('webgpu');
  expect(tg.getBackend()).toBe('webgpu');
});

describe('whileLoop on webgpu in the browser', () => {
  for (const [name, run] of Object.entries(WHILE_LOOP_CASES)) it(name, run);
});
