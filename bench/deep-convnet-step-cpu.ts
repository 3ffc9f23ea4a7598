/**
 * Tutorial 8's training step (docs/08-deep-convnets.md) on the CPU backend: space to depth,
 * three conv 3×3 → batch norm → ReLU blocks (32/64/128 channels, max pooling after the first
 * two), dropout, a dense layer; random flips, label-smoothed cross-entropy, Adam; batch 128,
 * one jitted program with donation. Timed by wall clock and by process CPU time (the steadier
 * figure on a shared machine). Random images: the cost of a step does not depend on them.
 *
 *   npx tsx bench/deep-convnet-step-cpu.ts          # STEPS=20, TYPEGRAD_THREADS=1
 *   for r in 1 2 3; do (cd /tmp/base && npx tsx bench/deep-convnet-step-cpu.ts); npx tsx bench/deep-convnet-step-cpu.ts; done
 */
import * as tg from '../src/index.ts';
import { isMain, report, round } from './util.ts';

type Key = tg.random.Key;
type X = tg.Tensor<[number, 1, 28, 28]>;
interface Block<I extends number, O extends number> {
  readonly conv: tg.nn.Conv2dParams<O, I, 3, 3>;
  readonly bn: tg.nn.NormParams<O>;
}
interface Net {
  readonly b1: Block<4, 32>;
  readonly b2: Block<32, 64>;
  readonly b3: Block<64, 128>;
  readonly out: tg.nn.DenseParams<1152, 10>;
}
interface Stats {
  readonly b1: tg.nn.BatchNormState<32>;
  readonly b2: tg.nn.BatchNormState<64>;
  readonly b3: tg.nn.BatchNormState<128>;
}

function block<I extends number, O extends number>(key: Key, i: I, o: O): Block<I, O> {
  const conv = tg.nn.conv2d.init(key, { in: i, out: o, kernel: 3, kernelInit: tg.nn.init.heNormal });
  return { conv, bn: tg.nn.batchNorm.init(null, { features: o }) };
}

function init(): [Net, Stats] {
  const [k1, k2, k3, k4] = tg.random.splitKeys(tg.random.key(0), { num: 4 }) as [Key, Key, Key, Key];
  const net: Net = {
    b1: block(k1, 4, 32),
    b2: block(k2, 32, 64),
    b3: block(k3, 64, 128),
    out: tg.nn.dense.init(k4, { in: 1152, out: 10 }),
  };
  const st = (features: number) => tg.nn.batchNorm.initState({ features });
  return [net, { b1: st(32), b2: st(64), b3: st(128) } as Stats];
}

const spaceToDepth = (x: X) =>
  tg.reshape(tg.transpose(tg.reshape(x, [-1, 14, 2, 14, 2]), { perm: [0, 2, 4, 1, 3] }), [-1, 4, 14, 14]);

function convnet(p: Net, s: Stats, x: X, key: Key) {
  const [n1, s1] = tg.nn.batchNorm(p.b1.bn, s.b1, tg.nn.conv2d(p.b1.conv, spaceToDepth(x), { padding: 1 }), {
    training: true,
  });
  const h1 = tg.maxPool2d(tg.relu(n1), { window: 2 });
  const [n2, s2] = tg.nn.batchNorm(p.b2.bn, s.b2, tg.nn.conv2d(p.b2.conv, h1, { padding: 1 }), {
    training: true,
  });
  const h2 = tg.maxPool2d(tg.relu(n2), { window: 2 });
  const [n3, s3] = tg.nn.batchNorm(p.b3.bn, s.b3, tg.nn.conv2d(p.b3.conv, h2, { padding: 1 }), {
    training: true,
  });
  const features = tg.nn.dropout(key, 0.25, tg.flatten(tg.relu(n3), { startAxis: 1 }), { training: true });
  return [tg.nn.dense(p.out, features), { b1: s1, b2: s2, b3: s3 } as Stats] as const;
}

export async function main(): Promise<void> {
  await tg.setBackend('cpu');
  const batch = 128;
  const opt = tg.optim.adam(3e-3);
  let [net, stats] = init();
  let state = opt.init(net);
  type OptState = typeof state;
  const step = tg.jit(
    (p: Net, s: Stats, o: OptState, x: X, y: tg.Tensor<[number], 'i32'>, k: Key) => {
      const [kAug, kDrop] = tg.random.splitKeys(k) as [Key, Key];
      const xs = tg.data.augment.randomFlip(kAug, x);
      const [[loss, next], g] = tg.valueAndGrad(
        (q: Net) => {
          const [logits, nextStats] = convnet(q, s, xs, kDrop);
          return [tg.nn.softmaxCrossEntropy(logits, y, { labelSmoothing: 0.1 }), nextStats] as const;
        },
        { hasAux: true },
      )(p);
      const [updates, nextState] = opt.update(g, o);
      return [tg.optim.applyUpdates(p, updates), next, nextState, loss] as const;
    },
    { donate: [0, 1, 2] },
  );
  const x = tg.random.uniform(tg.random.key(2), [batch, 1, 28, 28]) as X;
  const y = tg.tensor(
    Int32Array.from({ length: batch }, (_, i) => i % 10),
    [batch],
    { dtype: 'i32' },
  );
  const run = async (t: number) => {
    const [p1, s1, o1, loss] = step(net, stats, state, x, y, tg.random.key(t));
    [net, stats, state] = [p1, s1, o1];
    await loss.data();
    loss.dispose();
  };
  for (let t = 0; t < 3; t++) await run(t);
  const steps = Number(process.env.STEPS ?? 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) await run(3 + t);
  const wallMs = (performance.now() - t0) / steps;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
  report({
    workload: 'deep-convnet-step',
    backend: 'cpu',
    params: { batch, threads: Number(process.env.TYPEGRAD_THREADS ?? 1), tree: process.cwd() },
    ms: round(wallMs, 1),
    cpuMs: round(cpuMs, 1),
    examplesPerSec: round((batch * 1000) / wallMs, 0),
  });
}

if (isMain(import.meta.url)) await main();
