/**
 * scan's evaluation on the CPU: bodies run with the fusion plan, xs slices are views and
 * stacked outputs are written in place, so a step costs only its body's kernels; results
 * are bit-identical to unfused evaluation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import { add, memory, mul, scan, setBackend, type Tensor, tanh, tensor } from '../index.ts';

const T = 6;
const xsData = Float32Array.from({ length: T * 3 }, (_, i) => Math.sin(i) * 2);

/** carry' = tanh(carry * x + 1); y = carry' * x: two elementwise trees per step. */
function run(): { kernels: number; carry: Float32Array; ys: Float32Array } {
  const xs = tensor(xsData, [T, 3]);
  const k0 = cpuBackend.kernelCount;
  const [c, ys] = scan(
    (carry: Tensor, x: Tensor) => {
      const next = tanh(add(mul(carry, x), 1));
      return [next, mul(next, x)] as const;
    },
    tensor(Float32Array.of(0.5, -0.5, 0.25), [3]),
    xs,
  );
  const kernels = cpuBackend.kernelCount - k0;
  return { kernels, carry: c.dataSync() as Float32Array, ys: (ys as Tensor).dataSync() as Float32Array };
}

describe('scan evaluation on the CPU', () => {
  afterEach(() => {
    cpuBackend.fusion = true;
  });

  it('runs only the body kernels each step, fused, with the unfused results bit for bit', async () => {
    await setBackend('cpu');
    const fused = run();
    cpuBackend.fusion = false;
    const plain = run();
    // Fused: the carry tree and the y multiply, two kernels a step; no slices, reshapes or concatenation.
    expect(fused.kernels).toBe(2 * T);
    // Unfused: mul, add (with its broadcast constant), tanh, mul, and nothing for slices or stacking.
    expect(plain.kernels).toBeGreaterThan(fused.kernels);
    expect(plain.kernels % T).toBe(0);
    expect(fused.carry).toEqual(plain.carry);
    expect(fused.ys).toEqual(plain.ys);
  });

  it('a body returning its x slice hands out copies, not views of xs', async () => {
    await setBackend('cpu');
    const xs = tensor(xsData, [T, 3]);
    const before = memory().cpu?.tensors ?? 0;
    const [last, ys] = scan((_c: Tensor, x: Tensor) => [x, x] as const, tensor(new Float32Array(3), [3]), xs);
    xs.dispose();
    expect(Array.from(last.dataSync())).toEqual(Array.from(xsData.subarray((T - 1) * 3)));
    expect(Array.from((ys as Tensor).dataSync())).toEqual(Array.from(xsData));
    last.dispose();
    (ys as Tensor).dispose();
    expect(memory().cpu?.tensors ?? 0).toBeLessThanOrEqual(before);
  });
});
