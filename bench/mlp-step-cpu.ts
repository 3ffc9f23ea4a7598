/**
 * W2's jitted MLP training step (784-512-512-10, batch 128, SGD, parameters donated: the
 * step `npm run bench -- --peers w2` times) on the CPU backend, in process CPU time (which a
 * loaded machine disturbs far less than wall time) and wall time, with the kernels it runs per
 * step. Medians of rounds. For A/B runs of two trees (a base worktree with a `node_modules`
 * link), interleaved:
 *
 *   for r in 1 2 3; do (cd /tmp/base && npx tsx bench/mlp-step-cpu.ts); npx tsx bench/mlp-step-cpu.ts; done
 */
import { currentBackend } from '../src/core/backend-registry.ts';
import * as tg from '../src/index.ts';
import { LR, mlpData } from './compare/data.ts';
import { isMain, median, report, round } from './util.ts';

type T = tg.Tensor;
type Params = Record<string, T>;

const dense = (x: T, w: T, b: T) => tg.add(tg.matmul(x, w), b) as T;

function loss(p: Params, x: T, y: T): T {
  const h1 = tg.relu(dense(x, p.w1!, p.b1!));
  const h2 = tg.relu(dense(h1, p.w2!, p.b2!));
  return tg.nn.softmaxCrossEntropy(dense(h2, p.w3!, p.b3!) as never, y as never) as T;
}

export async function main(): Promise<void> {
  await tg.setBackend('cpu');
  const d = mlpData();
  let params: Params = Object.fromEntries(
    Object.entries(d.params).map(([k, h]) => [k, tg.tensor(h.data, [...h.shape]) as T]),
  );
  const x = tg.tensor(d.x.data, [...d.x.shape]) as T;
  const y = tg.tensor(d.ids, [d.ids.length]) as T;
  const step = tg.jit(
    (p: Params, x: T, y: T) => {
      const [l, g] = tg.valueAndGrad((q: Params) => loss(q, x, y) as tg.Scalar)(p);
      const next = Object.fromEntries(Object.entries(p).map(([k, w]) => [k, tg.sub(w, tg.mul(g[k]!, LR))]));
      return [next, l] as const;
    },
    { donate: [0] },
  );
  const once = () => {
    const [next, l] = step(params, x, y);
    params = next as Params;
    l.dispose();
  };
  for (let i = 0; i < 10; i++) once();
  const be = currentBackend() as unknown as { kernelCount: number };
  const k0 = be.kernelCount;
  const steps = Number(process.env.STEPS ?? 10);
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) once();
    wallMs.push((performance.now() - t0) / steps);
    cpuMs.push(process.cpuUsage(c0).user / 1000 / steps);
  }
  report({
    workload: 'W2-step',
    backend: 'cpu',
    params: { model: 'mlp 784-512-512-10', batch: 128, mode: 'jit+donate', tree: process.cwd() },
    ms: round(median(wallMs), 2),
    cpuMs: round(median(cpuMs), 2),
    kernelsPerStep: (be.kernelCount - k0) / (7 * steps),
  });
}

if (isMain(import.meta.url)) await main();
