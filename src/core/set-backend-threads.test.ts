/**
 * `setBackend('cpu', { threads })`: the public way to give the default CPU backend a worker
 * pool (Node here), bit-identical to one thread, with clear errors for bad options.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import { random } from '../index.ts';
import { matmul } from '../ops/linalg.ts';
import { setBackend } from './backend-registry.ts';

const wasm = cpuBackend.kernels === 'wasm';

describe.runIf(wasm)("setBackend('cpu', { threads })", () => {
  afterAll(async () => {
    await setBackend('cpu', { threads: 1 });
  });

  it('starts a pool of that size, and products keep their bits', async () => {
    const a = random.normal(random.key(7), [300, 257]);
    const b = random.normal(random.key(8), [257, 131]);
    const one = matmul(a, b).dataSync();
    await setBackend('cpu', { threads: 2 });
    expect(cpuBackend.threads).toBe(2);
    // the workers start asynchronously; a product splits only among ready ones
    await new Promise((r) => setTimeout(r, 200));
    const two = matmul(a, b).dataSync();
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    await setBackend('cpu', { threads: 1 });
    expect(cpuBackend.threads).toBe(1);
  });

  it('rejects a bad thread count, naming setBackend and the value', async () => {
    await expect(setBackend('cpu', { threads: 0 })).rejects.toThrow(
      'setBackend: threads must be an integer from 1 to 64, got 0',
    );
    await expect(setBackend('cpu', { threads: 2.5 })).rejects.toThrow('got 2.5');
    await expect(setBackend('cpu', 2 as never)).rejects.toThrow('setBackend: options must be an object');
    await expect(setBackend('webgpu', { threads: 2 })).rejects.toThrow(
      "setBackend: threads applies to the 'cpu' backend, not 'webgpu'",
    );
  });

  it('the backend setter validates too', () => {
    expect(() => {
      cpuBackend.threads = 65;
    }).toThrow('cpu backend threads: threads must be an integer from 1 to 64, got 65');
  });
});
