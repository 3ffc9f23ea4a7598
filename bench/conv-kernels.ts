/**
 * Convolutions on the CPU backend's two kernel sets (`conv_general` through `Backend.run`),
 * timed in alternation: W5 (x [32, 64, 32, 32], w [64, 64, 3, 3], padding 1: 2.42 GFLOP)
 * and a 1-input-channel 3×3 convolution (x [128, 1, 28, 28] → 16 channels, padding 1).
 * GFLOP/s counts 2·N·O·C·kh·kw·outH·outW. `vsJs` on a wasm line is the speed-up.
 *
 *   npx tsx bench/conv-kernels.ts
 */
import { type CpuBackend, createCpuBackend } from '../src/backends/cpu/index.ts';
import { withCpuConv } from '../src/core/install-kernels.ts';
import { fillRandom, isMain, medianMs, report, round } from './util.ts';

// Backend.run directly, not through lax, which would install the CPU convolution.
withCpuConv();

interface Case {
  name: string;
  x: [number, number, number, number];
  o: number;
  k: number;
  pad: number;
  runs: number;
}

const CASES: readonly Case[] = [
  { name: 'W5', x: [32, 64, 32, 32], o: 64, k: 3, pad: 1, runs: 5 },
  { name: 'conv-1ch', x: [128, 1, 28, 28], o: 16, k: 3, pad: 1, runs: 15 },
];

export function main(): void {
  for (const cs of CASES) {
    const [n, c, h, w] = cs.x;
    const { o, k, pad } = cs;
    const oh = h + 2 * pad - k + 1;
    const ow = w + 2 * pad - k + 1;
    const x = new Float32Array(n * c * h * w);
    const wt = new Float32Array(o * c * k * k);
    fillRandom(x, 1);
    fillRandom(wt, 2);
    const params = {
      strides: [1, 1],
      padding: [
        [pad, pad],
        [pad, pad],
      ] as [number, number][],
      lhsDilation: [1, 1],
      rhsDilation: [1, 1],
      groups: 1,
    };
    const outShape = [n, o, oh, ow];
    const on = (be: CpuBackend) => {
      const X = { buffer: be.upload(x, 'f32'), shape: cs.x, dtype: 'f32' as const };
      const W = { buffer: be.upload(wt, 'f32'), shape: [o, c, k, k], dtype: 'f32' as const };
      return () => be.dispose(be.run('conv_general', [X, W], params, { shape: outShape, dtype: 'f32' }));
    };
    const [wasm = 0, js = 0] = medianMs(
      [on(createCpuBackend({ kernels: 'wasm' })), on(createCpuBackend({ kernels: 'js' }))],
      cs.runs,
    );
    const flop = 2 * n * o * c * k * k * oh * ow;
    for (const [kernels, ms] of [
      ['js', js],
      ['wasm', wasm],
    ] as const) {
      report({
        workload: cs.name,
        backend: 'cpu',
        params: { x: cs.x, w: [o, c, k, k], padding: pad, kernels },
        ms: round(ms),
        gflops: round(flop / ms / 1e6),
        ...(kernels === 'wasm' ? { vsJs: round(js / wasm, 2) } : {}),
      });
    }
  }
}

if (isMain(import.meta.url)) main();
