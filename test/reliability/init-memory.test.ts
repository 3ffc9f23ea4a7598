/**
 * Issue 11: samplers free their own intermediates, so after a draw memory() holds exactly
 * the result (not 20-45x its size until GC), on every backend.
 */
import { describe, expect } from 'vitest';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, useBackend } from '../backends/helpers.ts';

const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('sampler memory on $name', (backend) => {
  const test = useBackend(backend);
  const usage = () => tg.memory()[backend.name] ?? { tensors: 0, bytes: 0 };

  test.each([
    ['uniform', (k: tg.random.Key) => tg.random.uniform(k, [784, 512], { minval: -1, maxval: 1 })],
    ['normal', (k: tg.random.Key) => tg.random.normal(k, [784, 512], { std: 0.1 })],
    ['truncatedNormal', (k: tg.random.Key) => tg.random.truncatedNormal(k, [784, 512])],
    ['bernoulli', (k: tg.random.Key) => tg.random.bernoulli(k, 0.3, [784, 512])],
  ] as const)('random.%s leaves only its result alive', (_, draw) => {
    const key = tg.random.key(1);
    const before = usage();
    const t = draw(key);
    const after = usage();
    expect(after.tensors - before.tensors).toBe(1);
    expect(after.bytes - before.bytes).toBe(t.size * (t.dtype === 'bool' ? 1 : 4));
    t.dispose();
    key.dispose();
  });
});
