/**
 * W2: conv2d at the LeNet-5 sizes, batch 128: forward, the gradient with respect to the input
 * and the gradient with respect to the weights, each timed on its own through the public API:
 *
 * - conv1: x [128, 1, 28, 28], w [6, 1, 5, 5], padding 2 → [128, 6, 28, 28]
 * - conv3: x [128, 6, 14, 14], w [16, 6, 5, 5]           → [128, 16, 10, 10]
 *
 * `forward` is `conv2d(x, w)`; `grad-input` and `grad-weights` call the pullback of `vjp` of
 * the conv as a function of x alone (w fixed) or of w alone (x fixed) on a fixed cotangent,
 * so they time exactly the backward conv (and the movement its transpose rule needs). The
 * three are timed in alternation. GFLOP/s counts 2·N·O·C·kh·kw·outH·outW for each (the
 * multiply-adds of the direct convolution, padding taps included).
 *
 *   npx tsx bench/w2-conv.ts            CPU, and WebGPU at batch 8 when an adapter is found
 */
import * as tg from '../src/index.ts';
import {
  type BenchBackend,
  benchBackends,
  fillRandom,
  gflops,
  isMain,
  medianMsAsync,
  releaseBackends,
  report,
  round,
} from './util.ts';

type T = tg.Tensor;

interface ConvCase {
  readonly name: string;
  readonly c: number;
  readonly o: number;
  readonly hw: number;
  readonly k: number;
  readonly padding: number;
}

const CASES: readonly ConvCase[] = [
  { name: 'conv1', c: 1, o: 6, hw: 28, k: 5, padding: 2 },
  { name: 'conv3', c: 6, o: 16, hw: 14, k: 5, padding: 0 },
];

function randomTensor(shape: number[], seed: number): T {
  const a = new Float32Array(shape.reduce((x, y) => x * y, 1));
  fillRandom(a, seed);
  return tg.tensor(a, shape) as T;
}

async function runCase(backend: BenchBackend, cs: ConvCase, batch: number, runs: number): Promise<void> {
  const { c, o, hw, k, padding } = cs;
  const out = hw + 2 * padding - k + 1;
  const conv = (x: T, w: T) => tg.conv2d(x, w as never, { padding }) as T;
  const { x, w, dy, pullX, pullW } = tg.scope(() => {
    const x = randomTensor([batch, c, hw, hw], 1);
    const w = randomTensor([o, c, k, k], 2);
    const dy = randomTensor([batch, o, out, out], 3);
    const [, pullX] = tg.vjp((xi: T) => conv(xi, w), x);
    const [, pullW] = tg.vjp((wi: T) => conv(x, wi), w);
    return { x, w, dy, pullX, pullW };
  });
  const read = (t: T) => t.data().then(() => undefined);
  const fns = [
    () => tg.scope(() => read(conv(x, w))),
    () => tg.scope(() => read(pullX(dy)[0])),
    () => tg.scope(() => read(pullW(dy)[0])),
  ];
  const ms = await medianMsAsync(fns, runs);
  const flop = 2 * batch * o * c * k * k * out * out;
  ['forward', 'grad-input', 'grad-weights'].forEach((pass, i) => {
    const t = ms[i]!;
    report({
      workload: 'W2',
      backend,
      params: {
        layer: cs.name,
        pass,
        x: [batch, c, hw, hw],
        w: [o, c, k, k],
        padding,
        y: [batch, o, out, out],
      },
      ms: round(t),
      gflops: gflops(flop, t),
    });
  });
  // pullX and pullW keep their residuals (x and w) alive: they are ours, freed here.
  tg.dispose([x, w, dy]);
}

export async function main(): Promise<void> {
  const runs = Number(process.env.W2_RUNS ?? 9);
  for (const backend of await benchBackends('W2')) {
    await tg.setBackend(backend);
    for (const cs of CASES) {
      // WebGPU under SwiftShader is slow: a small batch keeps the run short.
      await runCase(backend, cs, backend === 'cpu' ? 128 : 8, backend === 'cpu' ? runs : 3);
    }
  }
  await releaseBackends();
}

if (isMain(import.meta.url)) await main();
