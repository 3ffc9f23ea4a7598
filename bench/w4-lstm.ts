/**
 * W4: one LSTM training step: `nn.lstm` over T = 100 steps (batch 32, 32 features, hidden
 * 64), a dense head on the final hidden state, softmax cross-entropy over 10 classes, the
 * gradient taken through the `scan` (BPTT), Adam, all in one `jit` with donated parameters
 * and optimizer state. Prints ms/step (median, warm-up excluded) and the live-tensor count
 * and bytes of the backend before and after 50 more steps: equal counts mean the training
 * loop's memory is flat.
 *
 *   npx tsx bench/w4-lstm.ts            CPU, and WebGPU (T = 20) when an adapter is found
 */
import * as tg from '../src/index.ts';
import {
  type BenchBackend,
  benchBackends,
  fillRandom,
  isMain,
  median,
  releaseBackends,
  report,
  round,
} from './util.ts';

interface Model {
  readonly lstm: tg.nn.LstmParams<number, number>;
  readonly head: tg.nn.DenseParams<number, number>;
}

type Xs = tg.Tensor<[number, number, number]>;
type Y = tg.Tensor<[number], 'i32'>;

function loss(p: Model, xs: Xs, y: Y): tg.Scalar {
  const [, last] = tg.nn.lstm(p.lstm, xs);
  return tg.nn.softmaxCrossEntropy(tg.nn.dense(p.head, last.h), y);
}

async function run(backend: BenchBackend, T: number, B: number, F: number, H: number): Promise<void> {
  const opt = tg.optim.adam(1e-3);
  const [k1, k2] = tg.random.splitKeys(tg.random.key(0), { num: 2 }) as [tg.random.Key, tg.random.Key];
  let params: Model = tg.scope(() => ({
    lstm: tg.nn.lstm.init(k1, { in: F, hidden: H }),
    head: tg.nn.dense.init(k2, { in: H, out: 10 }),
  }));
  let state = tg.scope(() => opt.init(params));
  const { xs, y } = tg.scope(() => {
    const a = new Float32Array(T * B * F);
    fillRandom(a, 5);
    const labels = new Int32Array(B);
    for (let i = 0; i < B; i++) labels[i] = (i * 3 + 1) % 10;
    return {
      xs: tg.tensor(a, [T, B, F]) as Xs,
      y: tg.tensor(labels, [B], { dtype: 'i32' }) as Y,
    };
  });
  const step = tg.jit(
    (p: Model, s: typeof state, x: Xs, yb: Y) => {
      const [l, g] = tg.valueAndGrad(loss)(p, x, yb);
      const [updates, ns] = opt.update(g, s);
      return [tg.optim.applyUpdates(p, updates), ns, l] as const;
    },
    { donate: [0, 1] },
  );
  const once = async (): Promise<number> => {
    const [np, ns, l] = step(params, state, xs, y);
    params = np;
    state = ns;
    const v = await l.itemAsync();
    l.dispose();
    return v;
  };
  const first = await once(); // warm-up: traces and compiles
  const live = () => tg.memory()[backend] ?? { tensors: 0, bytes: 0 };
  const before = live();
  const steps = 50;
  const times: number[] = [];
  let last = first;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    last = await once();
    times.push(performance.now() - t0);
  }
  const after = live();
  const ms = median(times);
  report({
    workload: 'W4',
    backend,
    params: { model: 'lstm', T, B, F, H, classes: 10, optimizer: 'adam', mode: 'jit+donate', steps },
    ms: round(ms, 1),
    examplesPerSec: round((B * 1000) / ms, 0),
    liveTensorsBefore: before.tensors,
    liveTensorsAfter: after.tensors,
    liveBytesBefore: before.bytes,
    liveBytesAfter: after.bytes,
    lossFirst: round(first, 4),
    lossLast: round(last, 4),
  });
  tg.dispose([params, state, xs, y]);
}

export async function main(): Promise<void> {
  for (const backend of await benchBackends('W4')) {
    await tg.setBackend(backend);
    // WebGPU under SwiftShader is slow: a shorter sequence keeps the run short.
    await run(backend, backend === 'cpu' ? 100 : 20, 32, 32, 64);
  }
  await releaseBackends();
}

if (isMain(import.meta.url)) await main();
