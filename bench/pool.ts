/**
 * Pooling speed on the CPU (issue 9): `maxPool2d` on [128, 32, 28, 28] (2×2, stride 2)
 * forward and its backward pass alone (the vjp's pullback), each beside the reshape +
 * reduce_max composition it replaced (interleaved rounds, so the ratio survives a loaded
 * machine), and `avgPool2d` with overlapping windows, eager. Prints one JSON line per figure
 * (median wall and process-CPU ms: on a shared machine the CPU time is the stable figure)
 * with the kernels each call runs.
 *
 *   npx tsx bench/pool.ts
 */
import { loadavg } from 'node:os';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import * as lax from '../src/core/lax.ts';
import * as tg from '../src/index.ts';
import { fillRandom, isMain, median, report, round } from './util.ts';

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
  const fns = [forward, backward, oldForward, oldBackward, avg];
  for (const fn of fns) fn();
  const wall = fns.map(() => [] as number[]);
  const cpu = fns.map(() => [] as number[]);
  for (let r = 0; r < 15; r++)
    fns.forEach((fn, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      fn();
      wall[i]!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[i]!.push((c.user + c.system) / 1000);
    });
  const [f, b, of, ob, a] = wall.map(median);
  const [fc, bc, ofc, obc] = cpu.map(median);
  const params = { shape, window: 2, stride: 2 };
  const line = (workload: string, ms: number, old: number, cpuMs: number, oldCpu: number, fn: () => void) =>
    report({
      workload,
      backend: 'cpu',
      params,
      ms: round(ms, 2),
      kernels: kernels(fn),
      reshapeReduceMs: round(old, 2),
      ratio: round(ms / old, 2),
      cpu_ms: round(cpuMs, 2),
      reshapeReduceCpuMs: round(oldCpu, 2),
      host_load1: round(loadavg()[0]!, 1),
    });
  line('maxPool2d-forward', f!, of!, fc!, ofc!, forward);
  line('maxPool2d-backward', b!, ob!, bc!, obc!, backward);
  report({
    workload: 'avgPool2d-forward',
    backend: 'cpu',
    params: { shape, window: 3, stride: 2, padding: 1 },
    ms: round(a!, 2),
    kernels: kernels(avg),
  });
}

if (isMain(import.meta.url)) await main();
