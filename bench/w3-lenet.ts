/**
 * W3: one LeNet-5 training step (examples/lenet.ts: the demo's model, Adam with its
 * warm-up/decay schedule) at batch 128, forward + backward + update until the loss is read.
 * Eager (the step run op by op, each call's intermediates freed by a scope) and jitted with
 * donated parameters and optimizer state (as the demo trains) are timed in alternation, so
 * their ratio is measured under the same load. Prints ms/step and examples/s for each mode.
 * On CPU the jitted step also runs with the backend's fusion off (its plan made without fused
 * kernels), in the same alternation: `fusedSpeedup` is unfused ms / fused ms.
 *
 *   npx tsx bench/w3-lenet.ts                   CPU (and WebGPU at batch 8, if an adapter is found)
 *   TYPEGRAD_BENCH_BACKENDS=cpu npx tsx bench/w3-lenet.ts
 *   W3_STEPS=40 npx tsx bench/w3-lenet.ts       more timed rounds
 */
import { initLeNet, type LeNetParams, lenetLoss, warmupLinear } from '../examples/lenet.ts';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import * as tg from '../src/index.ts';
import {
  type BenchBackend,
  benchBackends,
  fillRandom,
  isMain,
  medianMsAsync,
  releaseBackends,
  report,
  round,
} from './util.ts';

type X = tg.Tensor<[number, 1, 28, 28]>;
type Y = tg.Tensor<[number], 'i32'>;

/** A fixed batch of `batch` random images in [0, 1) and labels 0..9. */
export function lenetBatch(batch: number): { x: X; y: Y } {
  const xs = new Float32Array(batch * 784);
  fillRandom(xs, 3);
  for (let i = 0; i < xs.length; i++) xs[i] = (xs[i]! + 1) / 2;
  const ys = new Int32Array(batch);
  for (let i = 0; i < batch; i++) ys[i] = (i * 7 + 3) % 10;
  return { x: tg.tensor(xs, [batch, 1, 28, 28]) as X, y: tg.tensor(ys, [batch], { dtype: 'i32' }) as Y };
}

/**
 * The demo's training step (examples/lenet.ts `trainLeNet`) and its state, for benchmarks:
 * `eager()` runs one step without jit and frees everything it made; `jitted()` runs the
 * donated jitted step and keeps the new parameters and state.
 */
export function lenetStepper(batch: number) {
  const opt = tg.optim.adam(warmupLinear(3e-3, 50, 2000));
  const { x, y } = tg.scope(() => lenetBatch(batch));
  let params = tg.scope(() => initLeNet(1));
  let state = tg.scope(() => opt.init(params));
  const stepFn = (p: LeNetParams, s: typeof state, xb: X, yb: Y) => {
    const [loss, g] = tg.valueAndGrad(lenetLoss)(p, xb, yb);
    const [updates, ns] = opt.update(g, s);
    return [tg.optim.applyUpdates(p, updates), ns, loss] as const;
  };
  const step = tg.jit(stepFn, { donate: [0, 1] });
  return {
    eager: () =>
      tg.scope(async () => {
        await stepFn(params, state, x, y)[2].itemAsync();
      }),
    jitted: async () => {
      const [np, ns, loss] = step(params, state, x, y);
      params = np;
      state = ns;
      await loss.itemAsync();
      loss.dispose();
    },
    dispose: () => tg.dispose([x, y, params, state]),
  };
}

async function run(backend: BenchBackend, batch: number, runs: number): Promise<void> {
  const s = lenetStepper(batch);
  // CPU: a second jitted step whose plan is made (on its first call) with fusion off
  const plain = backend === 'cpu' ? lenetStepper(batch) : undefined;
  if (plain) {
    cpuBackend.fusion = false;
    try {
      await plain.jitted();
    } finally {
      cpuBackend.fusion = true;
    }
  }
  const [eager = 0, jit = 0, unfused = 0] = await medianMsAsync(
    plain ? [s.eager, s.jitted, plain.jitted] : [s.eager, s.jitted],
    runs,
  );
  const modes: [string, number][] = [
    ['eager', eager],
    ['jit+donate', jit],
  ];
  if (plain) modes.push(['jit+donate, fusion off', unfused]);
  for (const [mode, ms] of modes) {
    report({
      workload: 'W3',
      backend,
      params: { model: 'lenet5', batch, optimizer: 'adam', mode },
      ms: round(ms, 1),
      examplesPerSec: round((batch * 1000) / ms, 0),
      ...(mode === 'jit+donate' ? { eagerOverJit: round(eager / jit, 2) } : {}),
      ...(mode === 'jit+donate' && plain ? { fusedSpeedup: round(unfused / jit, 2) } : {}),
    });
  }
  s.dispose();
  plain?.dispose();
}

export async function main(): Promise<void> {
  const runs = Number(process.env.W3_STEPS ?? 15);
  for (const backend of await benchBackends('W3')) {
    await tg.setBackend(backend);
    // WebGPU under SwiftShader is slow: a small batch keeps the run short.
    await run(backend, backend === 'cpu' ? 128 : 8, backend === 'cpu' ? runs : 3);
  }
  await releaseBackends();
}

if (isMain(import.meta.url)) await main();
