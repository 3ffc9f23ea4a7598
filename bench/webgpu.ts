/**
 * WebGPU workloads through the public API (what users see), printing JSON lines:
 *
 * - `webgpu-adapter`: the adapter (vendor, architecture, description): quote figures with it.
 * - `webgpu-dispatch`: 1,000 chained small eager ops (`x = add(x, 1)` on f32[64]), read once
 *   at the end: ms per op = recording + submitting + running one dispatch.
 * - `webgpu-matmul`: eager f32 matmul at N = 128, 256, 512, including the readback.
 * - `webgpu-lenet-step`: one LeNet-5 SGD step on a batch of 8 (forward, backward, update),
 *   eager and jitted with donated parameters, until the loss is read.
 * - `webgpu-fusion`: a jitted MLP step (784-128-10, batch 32) and LeNet-5 step (batch 8) with
 *   the backend's fusion on and off, timed in alternating rounds (medians of 5), with the
 *   dispatches of one step.
 *
 * Each line also runs on the CPU backend for reference. Without an adapter it prints one
 * line saying so and exits 0.
 *
 *   eval "$(scripts/setup-webgpu.sh)"; npx tsx bench/webgpu.ts
 */
import type { WebGpuBackend } from '../src/backends/webgpu/index.ts';
import { currentBackend } from '../src/core/backend-registry.ts';
import type { Tensor } from '../src/index.ts';
import * as tg from '../src/index.ts';
import {
  crossEntropy,
  initLeNet,
  initMlp,
  type LeNetParams,
  lenet,
  lenetBatch,
  lenetStep,
  type MlpParams,
  mlpBatch,
  mlpStep,
  sgd,
  type T,
} from '../test/backends/models.ts';
import { fillRandom, isMain, medianMsAsync, report, round } from './util.ts';

type Name = 'cpu' | 'webgpu';

async function median(fn: () => Promise<void>, runs: number): Promise<number> {
  await fn(); // warm-up: pipelines, buffer pool, jit caches
  const ts: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const m = ts.length >> 1;
  return ts.length % 2 ? ts[m]! : (ts[m - 1]! + ts[m]!) / 2;
}

async function dispatchOverhead(backend: Name, ops = 1000): Promise<void> {
  const x0 = tg.scope(() => tg.zeros([64]) as T);
  const ms = await median(
    () =>
      tg.scope(async () => {
        let x = x0;
        for (let i = 0; i < ops; i++) {
          const next = tg.add(x, 1) as T;
          if (x !== x0) x.dispose();
          x = next;
        }
        const v = await x.data();
        if (v[0] !== ops) throw new Error(`dispatch bench: got ${v[0]}, expected ${ops}`);
      }),
    5,
  );
  report({
    workload: 'webgpu-dispatch',
    backend,
    params: { ops, shape: [64], op: 'add' },
    ms: round(ms / ops, 4),
    totalMs: round(ms, 1),
  });
  x0.dispose();
}

async function matmul(backend: Name, n: number): Promise<void> {
  const a = new Float32Array(n * n);
  const b = new Float32Array(n * n);
  fillRandom(a, 1);
  fillRandom(b, 2);
  const [A, B] = tg.scope(() => [tg.tensor(a, [n, n]) as T, tg.tensor(b, [n, n]) as T]);
  const runs = n >= 512 ? 3 : 5;
  const ms = await median(
    () =>
      tg.scope(async () => {
        await tg.matmul(A!, B!).data();
      }),
    runs,
  );
  report({
    workload: 'webgpu-matmul',
    backend,
    params: { n },
    ms: round(ms),
    gflops: round((2 * n ** 3) / (ms * 1e6), 3),
  });
  A!.dispose();
  B!.dispose();
}

async function lenetStepBench(backend: Name): Promise<void> {
  const batch = 8;
  const { x, y, p0 } = tg.scope(() => ({ ...lenetBatch(3, batch), p0: initLeNet(7) }));
  const loss = (q: LeNetParams) => crossEntropy(lenet(q, x), y);
  const step = (q: LeNetParams): [LeNetParams, Tensor] => {
    const [l, g] = tg.valueAndGrad(loss)(q);
    return [
      sgd(
        q as unknown as Record<string, T>,
        g as unknown as Record<string, T>,
        0.01,
      ) as unknown as LeNetParams,
      l,
    ];
  };
  // eager: params kept fixed, the step's outputs freed by the scope
  const eager = await median(
    () =>
      tg.scope(async () => {
        await step(p0)[1].data();
      }),
    3,
  );
  report({ workload: 'webgpu-lenet-step', backend, params: { batch, mode: 'eager' }, ms: round(eager) });
  const jitted = tg.jit(step, { donate: [0] });
  let p = tg.scope(() => initLeNet(7));
  const jms = await median(async () => {
    const [next, l] = jitted(p);
    p = next;
    await l.data();
    l.dispose();
  }, 3);
  report({ workload: 'webgpu-lenet-step', backend, params: { batch, mode: 'jit+donate' }, ms: round(jms) });
  for (const t of [x, y, ...Object.values(p0), ...Object.values(p)]) t.dispose();
}

/** Every tensor in a (nested) result. */
function tensorsOf(o: unknown): Tensor[] {
  if (o instanceof Object && 'dispose' in o && 'data' in o) return [o as Tensor];
  if (Array.isArray(o)) return o.flatMap(tensorsOf);
  if (o && typeof o === 'object') return Object.values(o).flatMap(tensorsOf);
  return [];
}

/** A jitted step with fusion on and off: dispatches per step and median ms, side by side. */
async function fusionPair<P>(model: string, params: Record<string, unknown>, p0: P, step: (p: P) => unknown) {
  const be = currentBackend() as WebGpuBackend;
  const runs: (() => Promise<void>)[] = [];
  const dispatches: number[] = [];
  for (const fusion of [true, false]) {
    be.fusion = fusion; // a jitted function's plan is made on its first call and kept
    const jf = tg.jit(step);
    const run = async () => {
      const outs = tensorsOf(jf(p0));
      await outs[outs.length - 1]!.data();
      for (const t of outs) t.dispose();
    };
    await run(); // traces and plans
    const d0 = be.dispatchCount;
    await run();
    dispatches.push(be.dispatchCount - d0);
    runs.push(run);
  }
  be.fusion = true;
  const ms = await medianMsAsync(runs, 5);
  [true, false].forEach((fusion, i) => {
    report({
      workload: 'webgpu-fusion',
      backend: 'webgpu',
      params: { model, ...params, fusion },
      ms: round(ms[i]!),
      dispatches: dispatches[i]!,
    });
  });
}

async function fusionBench(): Promise<void> {
  const mlpData = tg.scope(() => ({ ...mlpBatch(5, 32, 784, 10), p: initMlp(1, 784, 128, 10) }));
  await fusionPair('mlp', { sizes: [784, 128, 10], batch: 32 }, mlpData.p, (q: MlpParams) =>
    mlpStep(q, mlpData.x, mlpData.y, 0.1),
  );
  const lenetData = tg.scope(() => ({ ...lenetBatch(3, 8), p: initLeNet(7) }));
  await fusionPair('lenet', { batch: 8 }, lenetData.p, (q: LeNetParams) => {
    const s = lenetStep(q, lenetData.x, lenetData.y, 0.01);
    return [s.params, s.loss];
  });
  for (const t of [...tensorsOf(mlpData), ...tensorsOf(lenetData)]) t.dispose();
}

export async function main(): Promise<void> {
  try {
    await tg.setBackend('webgpu');
  } catch (e) {
    report({
      workload: 'webgpu-adapter',
      backend: 'webgpu',
      params: {},
      ms: Number.NaN,
      unavailable: e instanceof Error ? e.message.split('\n')[0] : String(e),
    });
    return;
  }
  const be = currentBackend() as WebGpuBackend;
  report({
    workload: 'webgpu-adapter',
    backend: 'webgpu',
    params: {},
    ms: 0,
    ...be.adapterInfo,
    isFallbackAdapter: be.isFallbackAdapter,
  });
  const only = process.env.TYPEGRAD_BENCH_BACKENDS?.split(',') as Name[] | undefined;
  const backends: Name[] = only ?? ['webgpu', 'cpu'];
  for (const backend of backends) {
    await tg.setBackend(backend);
    await dispatchOverhead(backend);
    for (const n of [128, 256, 512]) await matmul(backend, n);
    await lenetStepBench(backend);
    if (backend === 'webgpu') await fusionBench();
  }
  be.destroy();
}

if (isMain(import.meta.url)) await main();
