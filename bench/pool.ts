/**
 * Pooling speed on the CPU (issue 9): `maxPool2d` on [128, 32, 28, 28] (2×2, stride 2)
 * forward and its backward pass alone (the vjp's pullback), each beside the reshape +
 * reduce_max composition it replaced (interleaved rounds, so the ratio survives a loaded
 * machine), and `avgPool2d` with overlapping windows, eager. Prints one JSON line per figure
 * (median ms) with the kernels each call runs.
 *
 *   npx tsx bench/pool.ts
 */
import { loadavg } from 'node:os';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import * as lax from '../src/core/lax.ts';
import * as tg from '../src/index.ts';
import { fillRandom, isMain, medianMs, report, round } from './util.ts';

export async function main(): Promise<void> {
  await tg.setBackend('cpu');
  const shape = [128, 32, 28, 28] as const;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fillRandom(data, 3);
  const x = tg.tensor(data, [...shape]);
  const ct = tg.ones([128, 32, 14, 14]);
  const [, pullback] = tg.vjp((t: tg.Tensor) => tg.maxPool2d(t, { window: 2 }), x);
  const kernels = (fn: () => void) => {
    const k0 = cpuBackend.kernelCount;
    fn();
    return cpuBackend.kernelCount - k0;
  };
  // The composition maxPool2d used before window_max (reshape to windows, reduce_max), for A/B.
  const windowed = (t: tg.Tensor) => lax.reduceMax(lax.reshape(t, [128, 32, 14, 2, 14, 2]), [3, 5]);
  const [, oldPullback] = tg.vjp(windowed, x);
  const forward = () => tg.maxPool2d(x, { window: 2 }).dispose();
  const backward = () => tg.dispose(pullback(ct));
  const oldForward = () => windowed(x).dispose();
  const oldBackward = () => tg.dispose(oldPullback(ct));
  const avg = () => tg.avgPool2d(x, { window: 3, stride: 2, padding: 1 }).dispose();
  const [f, b, of, ob, a] = medianMs([forward, backward, oldForward, oldBackward, avg], 15);
  const params = { shape, window: 2, stride: 2 };
  const line = (workload: string, ms: number, old: number, fn: () => void) =>
    report({
      workload,
      backend: 'cpu',
      params,
      ms: round(ms, 2),
      kernels: kernels(fn),
      reshapeReduceMs: round(old, 2),
      ratio: round(ms / old, 2),
      host_load1: round(loadavg()[0]!, 1),
    });
  line('maxPool2d-forward', f!, of!, forward);
  line('maxPool2d-backward', b!, ob!, backward);
  report({
    workload: 'avgPool2d-forward',
    backend: 'cpu',
    params: { shape, window: 3, stride: 2, padding: 1 },
    ms: round(a!, 2),
    kernels: kernels(avg),
  });
}

if (isMain(import.meta.url)) await main();
