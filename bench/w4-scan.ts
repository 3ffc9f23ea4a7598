/**
 * W4 as BENCHMARKS.md defines it (LSTM hidden 128, input 64, T = 32, batch 32; loss =
 * Σ_t mean(h_t²); forward + backward + SGD, jitted), twice: through `nn.lstm` (one `scan`)
 * and through the same cell unrolled in JavaScript. Interleaved rounds; prints per variant
 * the median wall and process-CPU ms per step and the kernels one step runs, then the
 * scan/unrolled ratios. CPU time is printed because a shared machine's wall time mostly
 * measures its other users.
 *
 *   npx tsx bench/w4-scan.ts [rounds]
 */
import { loadavg } from 'node:os';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import * as tg from '../src/index.ts';
import { fillRandom, isMain, median, report, round } from './util.ts';

const [T, B, F, H] = [32, 32, 64, 128];
type P = tg.nn.LstmParams<number, number>;
type Xs = tg.Tensor<[number, number, number]>;

/** W4's loss through `nn.lstm` (one `scan`): Σ_t mean(h_t²). */
export function scanLoss(p: P, xs: Xs): tg.Scalar {
  const [ys] = tg.nn.lstm(p, xs);
  return tg.sum(tg.mean(tg.mul(ys, ys), { axis: [1, 2] })) as tg.Scalar;
}

/** The same loss with the cell unrolled over T in JavaScript. */
export function unrolledLoss(p: P, xs: Xs): tg.Scalar {
  let s: tg.nn.LstmState<number, number> = { h: tg.zeros([B, H]), c: tg.zeros([B, H]) };
  let total: tg.Tensor = tg.zeros([]);
  for (let t = 0; t < T; t++) {
    const xt = tg.reshape(tg.slice(xs, [[t, t + 1]]), [B, F]) as tg.Tensor<[number, number]>;
    s = tg.nn.lstm.cell(p, s, xt);
    total = tg.add(total, tg.mean(tg.mul(s.h, s.h)));
  }
  return total as tg.Scalar;
}

const sgd = <W extends tg.Tensor>(w: W, d: W): W =>
  tg.sub(w as tg.Tensor, tg.mul(d as tg.Tensor, 0.01) as never) as never;

/** A jitted SGD step (lr 0.01, parameters donated) for a loss. */
export function sgdStep(loss: (p: P, xs: Xs) => tg.Scalar) {
  return tg.jit(
    (p: P, xs: Xs) => {
      const [l, g] = tg.valueAndGrad(loss)(p, xs);
      const next: P = { wx: sgd(p.wx, g.wx), wh: sgd(p.wh, g.wh), b: sgd(p.b, g.b) };
      return [next, l] as const;
    },
    { donate: [0] },
  );
}

export async function main(rounds = 5): Promise<void> {
  await tg.setBackend('cpu');
  const data = new Float32Array(T * B * F);
  fillRandom(data, 7);
  const xs = tg.tensor(data, [T, B, F]) as Xs;
  const variants = [
    { name: 'scan', step: sgdStep(scanLoss) },
    { name: 'unrolled', step: sgdStep(unrolledLoss) },
  ].map((v) => ({
    ...v,
    params: tg.nn.lstm.init(tg.random.key(1), { in: F, hidden: H }) as P,
    wall: [] as number[],
    cpu: [] as number[],
    kernels: 0,
  }));
  const once = async (v: (typeof variants)[number]) => {
    const k0 = cpuBackend.kernelCount;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const [np, l] = v.step(v.params, xs);
    v.params = np;
    await l.itemAsync();
    l.dispose();
    const c = process.cpuUsage(c0);
    v.kernels = cpuBackend.kernelCount - k0;
    return [performance.now() - t0, (c.user + c.system) / 1000] as const;
  };
  for (const v of variants) await once(v); // warm-up: traces, plans, compiles
  for (let r = 0; r < rounds; r++) {
    for (const v of r % 2 ? [...variants].reverse() : variants) {
      const [wall, cpu] = await once(v);
      v.wall.push(wall);
      v.cpu.push(cpu);
    }
  }
  for (const v of variants)
    report({
      workload: 'W4',
      backend: 'cpu',
      params: { model: v.name, T, B, F, H, optimizer: 'sgd', mode: 'jit+donate', rounds },
      ms: round(median(v.wall), 1),
      cpu_ms: round(median(v.cpu), 1),
      kernels: v.kernels,
      host_load1: round(loadavg()[0]!, 1),
    });
  const [s, u] = variants as [(typeof variants)[0], (typeof variants)[0]];
  const ratios = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
  report({
    workload: 'W4 scan/unrolled',
    backend: 'cpu',
    params: { T, B, F, H, rounds },
    ms: round(ratios(s.wall, u.wall), 2),
    cpu_ratio: round(ratios(s.cpu, u.cpu), 2),
    kernel_ratio: round(s.kernels / u.kernels, 2),
  });
}

if (isMain(import.meta.url)) await main(Number(process.argv[2] ?? 5));
