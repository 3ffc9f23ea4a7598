/**
 * Issue 11: after a WebGPU device loss, `await setBackend('webgpu')` acquires a new device;
 * tensors of the lost device fail with a clear error and the CPU backend is unaffected.
 * Runs on Dawn + SwiftShader (scripts/setup-webgpu.sh), skipped without an adapter.
 */
import { describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../../src/backends/webgpu/backend.ts';
import { currentBackend } from '../../src/core/backend-registry.ts';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { webGpuAvailable } from '../backends/helpers.ts';

const available = await webGpuAvailable();

describe('WebGPU device loss', () => {
  it.skipIf(!available)('destroying the device mid-training, then continuing on a new one', async () => {
    await tg.setBackend('webgpu');
    const lossOf = (w: Tensor) => tg.sum(tg.square(w)) as Tensor<[], 'f32'>;
    const step = (w: Tensor) => tg.sub(w, tg.mul(tg.grad(lossOf)(w), 0.25));
    let w = tg.tensor([1, 2, 3]) as Tensor;
    w = step(w);
    expect(Array.from(await w.data())).toEqual([0.5, 1, 1.5]);
    const lost = currentBackend() as WebGpuBackend;
    lost.device.destroy();
    await lost.lost;
    expect(() => step(w)).toThrow(/lost|destroy/i);
    const cpu = await (async () => {
      await tg.setBackend('cpu');
      return Array.from(step(tg.tensor([1, 2, 3]) as Tensor).dataSync());
    })();
    expect(cpu).toEqual([0.5, 1, 1.5]);
    await tg.setBackend('webgpu');
    const fresh = currentBackend() as WebGpuBackend;
    expect(fresh).not.toBe(lost);
    expect(fresh.isLost).toBe(false);
    const again = step(tg.tensor([0.5, 1, 1.5]) as Tensor);
    expect(Array.from(await again.data())).toEqual([0.25, 0.5, 0.75]);
    await expect(w.data()).rejects.toThrow(/lost|destroy/i);
    await tg.setBackend('cpu');
  });
});
