/**
 * The real-GPU benchmark (run it with bench/gpu.sh): prints the adapter, then JSON lines for
 * matmul 1024², 2048², 4096² f32 (GF/s; f16 storage with f32 accumulation too, where the
 * adapter has `shader-f16`), the W2 MLP, W3 LeNet-5 and W4 LSTM training steps
 * (bench/BENCHMARKS.md's definitions, jitted with donated parameters) and the dispatch
 * workloads. Each timed repetition ends with one read-back. Where the adapter has
 * `timestamp-query`, matmul lines also carry the GPU time of the kernels (`gpu_ms`);
 * `timing` says which clock `ms` is. Refuses (exit 3) to run on a CPU fallback adapter
 * (SwiftShader, llvmpipe…), whose figures say nothing about GPUs; exit 2 without an adapter.
 */
import { loadavg } from 'node:os';
import type { WebGpuBackend } from '../src/backends/webgpu/index.ts';
import { currentBackend } from '../src/core/backend-registry.ts';
import * as tg from '../src/index.ts';
import { benchDispatch } from './gpu-dispatch.ts';
import { fillRandom, isMain, median, report, round } from './util.ts';

type T = tg.Tensor<number[], 'f32'>;

/** Names of software (CPU) Vulkan/WebGPU implementations. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/** Why the adapter is a CPU fallback, or undefined when it is a GPU. */
export function fallbackReason(info: WebGpuBackend['adapterInfo'], isFallback: boolean): string | undefined {
  if (isFallback) return 'the adapter reports isFallbackAdapter';
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  const m = SOFTWARE.exec(text);
  return m ? `the adapter is the software renderer "${m[0]}" (${text.trim()})` : undefined;
}

/**
 * GPU_BENCH_SMOKE=1 (development only): runs every workload once at small matmul sizes even
 * on a CPU fallback adapter, to check that the script works; its figures mean nothing.
 */
const SMOKE = process.env.GPU_BENCH_SMOKE === '1';

const started = performance.now();
/** The script's wall-time budget: later workloads are skipped (with a line) past it. */
const BUDGET_MS = 7 * 60 * 1000;
const overBudget = () => performance.now() - started > BUDGET_MS;
const load = () => round(loadavg()[0] ?? Number.NaN, 2);

/** Warm-up, then repetitions until ≥ 0.5 s and ≥ 3 of them; the median repetition in ms. */
async function timeReps(
  fn: () => Promise<void>,
  minReps = 3,
  minMs = 500,
): Promise<{ ms: number; reps: number }> {
  await fn();
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < minReps || (performance.now() - t0 < minMs && times.length < 50)) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), reps: times.length };
}

async function matmul(be: WebGpuBackend, n: number, dtype: 'f32' | 'f16' = 'f32'): Promise<void> {
  const a = new Float32Array(n * n);
  const b = new Float32Array(n * n);
  fillRandom(a, 1);
  fillRandom(b, 2);
  // f16 tensors have the f32 tensors' static type here (the bench only times them).
  const [A, B] = tg.scope(() => [
    tg.tensor(a, [n, n], { dtype }) as unknown as T,
    tg.tensor(b, [n, n], { dtype }) as unknown as T,
  ]);
  // several products per repetition, so the read-back is a small part of it
  const perRep = SMOKE ? 1 : n <= 1024 ? 8 : n <= 2048 ? 4 : 2;
  const rep = () =>
    tg.scope(async () => {
      let last: T | undefined;
      for (let i = 0; i < perRep; i++) last = tg.matmul(A!, B!) as T;
      await last!.data();
    });
  const { ms, reps } = await timeReps(rep);
  const gpuMs = be.timestampQueries ? (await be.measureGpuTime(rep)) / perRep : undefined;
  const flop = 2 * n ** 3;
  report({
    workload: 'W1',
    backend: 'webgpu',
    params: { n, dtype, perRep },
    ms: round(ms / perRep, 3),
    gflops: round(flop / ((ms / perRep) * 1e6), 3),
    ...(gpuMs === undefined ? {} : { gpu_ms: round(gpuMs, 3), gpu_gflops: round(flop / (gpuMs * 1e6), 3) }),
    timing: 'wall',
    reps,
    host_load1: load(),
  });
  A!.dispose();
  B!.dispose();
}

/** A jitted training step `step(state) -> [state, loss]`, timed with the loss read each step. */
async function trainStep<S>(
  workload: string,
  params: Record<string, unknown>,
  init: () => S,
  step: (s: S) => readonly [S, tg.Tensor],
): Promise<void> {
  const jitted = tg.jit(step, { donate: [0] });
  let state = tg.scope(init);
  let first = Number.NaN;
  let last = Number.NaN;
  const { ms, reps } = await timeReps(async () => {
    const [next, loss] = jitted(state);
    state = next;
    last = (await loss.data())[0]!;
    if (Number.isNaN(first)) first = last;
    loss.dispose();
  });
  report({
    workload,
    backend: 'webgpu',
    params: { ...params, mode: 'jit+donate' },
    ms: round(ms, 2),
    timing: 'wall',
    reps,
    lossFirst: round(first, 4),
    lossLast: round(last, 4),
    host_load1: load(),
  });
  tg.dispose(state as never);
}

/** p - lr·g, leaf by leaf, for any nesting of records of tensors. */
function sgd<P>(p: P, g: unknown, lr: number): P {
  if (p instanceof tg.Tensor) return tg.sub(p as T, tg.mul(g as T, lr)) as P;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p as Record<string, unknown>))
    out[k] = sgd(v, (g as Record<string, unknown>)[k], lr);
  return out as P;
}

/** A dense layer on shapes the types do not track here. */
const lin = (p: unknown, x: T): T => tg.nn.dense(p as never, x as never) as T;

function dense(key: tg.random.Key, nIn: number, nOut: number) {
  return tg.nn.dense.init(key, { in: nIn, out: nOut });
}

async function w2Mlp(): Promise<void> {
  const batch = 128;
  const x = tg.scope(() => {
    const a = new Float32Array(batch * 784);
    fillRandom(a, 3);
    return tg.tensor(a, [batch, 784]) as T;
  });
  const y = tg.scope(() =>
    tg.tensor(
      Int32Array.from({ length: batch }, (_, i) => i % 10),
      [batch],
      { dtype: 'i32' },
    ),
  );
  const init = () => {
    const [k1, k2, k3] = tg.random.splitKeys(tg.random.key(1), { num: 3 }) as tg.random.Key[];
    return { l1: dense(k1!, 784, 512), l2: dense(k2!, 512, 512), l3: dense(k3!, 512, 10) };
  };
  type P = ReturnType<typeof init>;
  const loss = (p: P) =>
    tg.nn.softmaxCrossEntropy(
      lin(p.l3, tg.relu(lin(p.l2, tg.relu(lin(p.l1, x)) as T)) as T) as never,
      y as never,
    );
  await trainStep('W2', { model: 'mlp 784-512-512-10', batch, optimizer: 'sgd 0.01' }, init, (p: P) => {
    const [l, g] = tg.valueAndGrad(loss)(p);
    return [sgd(p, g, 0.01), l] as const;
  });
  tg.dispose([x, y]);
}

async function w3LeNet(): Promise<void> {
  const batch = 64;
  const { x, y } = tg.scope(() => {
    const a = new Float32Array(batch * 28 * 28);
    fillRandom(a, 4);
    return {
      x: tg.tensor(a, [batch, 1, 28, 28]) as T,
      y: tg.tensor(
        Int32Array.from({ length: batch }, (_, i) => (i * 7) % 10),
        [batch],
        { dtype: 'i32' },
      ),
    };
  });
  const init = () => {
    const k = tg.random.splitKeys(tg.random.key(2), { num: 5 }) as tg.random.Key[];
    const conv = (key: tg.random.Key, o: number, c: number) =>
      tg.mul(tg.random.normal(key, [o, c, 5, 5]), Math.sqrt(2 / (c * 25))) as T;
    return {
      c1: conv(k[0]!, 6, 1),
      b1: tg.zeros([6, 1, 1]) as T,
      c2: conv(k[1]!, 16, 6),
      b2: tg.zeros([16, 1, 1]) as T,
      d1: dense(k[2]!, 16 * 5 * 5, 120),
      d2: dense(k[3]!, 120, 84),
      d3: dense(k[4]!, 84, 10),
    };
  };
  type P = ReturnType<typeof init>;
  const loss = (p: P) => {
    const h1 = tg.maxPool2d(tg.relu(tg.add(tg.conv2d(x, p.c1, { padding: 2 }), p.b1)), { window: 2 });
    const h2 = tg.maxPool2d(tg.relu(tg.add(tg.conv2d(h1, p.c2), p.b2)), { window: 2 });
    const flat = tg.reshape(h2, [batch, 16 * 5 * 5]) as T;
    const logits = lin(p.d3, tg.relu(lin(p.d2, tg.relu(lin(p.d1, flat)) as T)) as T);
    return tg.nn.softmaxCrossEntropy(logits as never, y as never);
  };
  await trainStep('W3', { model: 'lenet-5', batch, optimizer: 'sgd 0.01' }, init, (p: P) => {
    const [l, g] = tg.valueAndGrad(loss)(p);
    return [sgd(p, g, 0.01), l] as const;
  });
  tg.dispose([x, y]);
}

async function w4Lstm(): Promise<void> {
  const [steps, batch, features, hidden] = [32, 32, 64, 128];
  const xs = tg.scope(() => {
    const a = new Float32Array(steps * batch * features);
    fillRandom(a, 5);
    return tg.tensor(a, [steps, batch, features]) as T;
  });
  const init = () => tg.nn.lstm.init(tg.random.key(3), { in: features, hidden });
  type P = ReturnType<typeof init>;
  // Σ_t mean(h_t²) over the batch and hidden units
  const loss = (p: P) => {
    const [hs] = tg.nn.lstm(p, xs as never);
    return tg.div(tg.sum(tg.mul(hs, hs)), batch * hidden);
  };
  await trainStep(
    'W4',
    { model: 'lstm', T: steps, batch, input: features, hidden, optimizer: 'sgd 0.01' },
    init,
    (p: P) => {
      const [l, g] = tg.valueAndGrad(loss)(p);
      return [sgd(p, g, 0.01), l] as const;
    },
  );
  xs.dispose();
}

export async function main(): Promise<number> {
  try {
    await tg.setBackend('webgpu');
  } catch (e) {
    console.error(`\n*** bench/gpu.sh: NO WebGPU ADAPTER: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const be = currentBackend() as WebGpuBackend;
  const reason = fallbackReason(be.adapterInfo, be.isFallbackAdapter);
  report({
    workload: 'adapter',
    backend: 'webgpu',
    params: {},
    ms: 0,
    ...be.adapterInfo,
    isFallbackAdapter: be.isFallbackAdapter,
    features: [...be.device.features].sort(),
  });
  if (reason && SMOKE)
    console.error(`\n*** GPU_BENCH_SMOKE: running on ${reason}; the figures mean nothing\n`);
  else if (reason) {
    console.error(
      `\n*** bench/gpu.sh REFUSES TO RUN on a CPU fallback adapter: ${reason}.\n` +
        '*** Its figures would measure the CPU, not a GPU. Run it on a machine with a GPU and a Vulkan driver.\n',
    );
    be.destroy();
    return 3;
  }
  const sizes = SMOKE ? [128] : [1024, 2048, 4096];
  const f16 = be.supports('f16');
  const workloads: [string, () => Promise<void>][] = [
    ...sizes.map((n) => [`W1 ${n}`, () => matmul(be, n)] as [string, () => Promise<void>]),
    ...(f16
      ? sizes.map((n) => [`W1 ${n} f16`, () => matmul(be, n, 'f16')] as [string, () => Promise<void>])
      : [
          [
            'W1 f16',
            async () =>
              report({
                workload: 'W1',
                backend: 'webgpu',
                params: { dtype: 'f16' },
                ms: Number.NaN,
                skipped: 'the adapter has no shader-f16',
              }),
          ] as [string, () => Promise<void>],
        ]),
    ['W2', w2Mlp],
    ['W3', w3LeNet],
    ['W4', w4Lstm],
    ['DISPATCH', () => benchDispatch(5, { timing: 'wall' })],
  ];
  // GPU_BENCH_ONLY=W2,DISPATCH runs only the workloads whose names start with one of those
  const only = process.env.GPU_BENCH_ONLY?.split(',');
  for (const [name, run] of workloads) {
    if (only && !only.some((p) => name.startsWith(p))) continue;
    if (overBudget()) {
      report({
        workload: name,
        backend: 'webgpu',
        params: {},
        ms: Number.NaN,
        skipped: 'over the time budget',
      });
      continue;
    }
    await run();
  }
  be.destroy();
  return 0;
}

if (isMain(import.meta.url)) process.exitCode = await main();
