/**
 * A representative subset on WebGPU in headless Chromium (navigator.gpu): elementwise,
 * reductions, matmul, conv2d and pooling, random bits, grad and jit. Values are compared
 * to known ones (computed here in float64). In the browser a missing adapter fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../../src/backends/webgpu/index.ts';
import { currentBackend } from '../../src/core/backend-registry.ts';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { expectClose, lcg, refConv2d, values } from '../backends/helpers.ts';

type T = Tensor<number[], 'f32'>;
const f32 = (data: ArrayLike<number>, shape: number[]): T => tg.tensor(Float32Array.from(data), shape) as T;

beforeAll(async () => {
  expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeDefined();
  await tg.setBackend('webgpu');
});

describe('webgpu in the browser', () => {
  it('runs on navigator.gpu', () => {
    expect(tg.getBackend()).toBe('webgpu');
    const be = currentBackend() as WebGpuBackend;
    console.info(
      `typegrad browser adapter: ${JSON.stringify(be.adapterInfo)} fallback=${be.isFallbackAdapter}`,
    );
    expect(be.adapterInfo).toBeDefined();
  });

  it('elementwise and reductions', async () => {
    const xs = [-2, -0.5, 0, 1, 2.5, 3];
    const x = f32(xs, [2, 3]);
    expectClose(await values(tg.tanh(x)), xs.map(Math.tanh));
    expectClose(await values(tg.exp(x)), xs.map(Math.exp));
    expectClose(await values(tg.sum(x, { axis: 1 })), [-2.5, 6.5]);
    expect(await values(tg.argmax(x, { axis: 1 }))).toEqual([2, 2]);
    expect(await values(tg.cast(tg.less(x, 1), 'f32'))).toEqual([1, 1, 1, 0, 0, 0]);
  });

  it('matmul, conv2d and pooling', async () => {
    expectClose(
      await values(tg.matmul(f32([1, 2, 3, 4, 5, 6], [2, 3]), f32([7, 8, 9, 10, 11, 12], [3, 2]))),
      [58, 64, 139, 154],
    );
    const xv = lcg(2 * 2 * 8 * 8, 1);
    const wv = lcg(3 * 2 * 3 * 3, 2);
    const ref = refConv2d(xv, [2, 2, 8, 8], wv, [3, 2, 3, 3], 1, 1);
    const y = tg.conv2d(f32(xv, [2, 2, 8, 8]), f32(wv, [3, 2, 3, 3]), { padding: 1 });
    expectClose(await values(y), ref.data, 1e-4, 1e-5);
    const p = tg.maxPool2d(
      f32(
        Array.from({ length: 16 }, (_, i) => i),
        [1, 1, 4, 4],
      ),
      { window: 2 },
    );
    expect(await values(p)).toEqual([5, 7, 13, 15]);
  });

  it('random bits match the CPU backend', async () => {
    const u = await values(tg.random.uniform(tg.random.key(5), [32]));
    await tg.setBackend('cpu');
    const c = await values(tg.random.uniform(tg.random.key(5), [32]));
    await tg.setBackend('webgpu');
    expect(u).toEqual(c);
  });

  it('grad and jit', async () => {
    const xs = [-1, 0.5, 2];
    const g = tg.grad((v: T) => tg.sum(tg.mul(tg.sin(v), v)))(f32(xs, [3]));
    expectClose(
      await values(g),
      xs.map((v) => Math.sin(v) + v * Math.cos(v)),
    );
    const jf = tg.jit((a: T) => tg.mul(tg.relu(a), 3));
    expect(await values(jf(f32(xs, [3])))).toEqual([0, 1.5, 6]);
  });
});
