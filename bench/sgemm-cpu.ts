/**
 * The f32 GEMM in process CPU time, which a loaded machine disturbs far less than wall time:
 * W1's square products through `Backend.run` (kernels 'wasm'), and W2's eight products (its
 * forward, weight- and input-gradient layouts) straight through `sgemm`, each with a fresh
 * B so the packed-weight cache never hits (as W2's weights, new every step). Median of
 * rounds; one JSON line per case.
 *
 *   npx tsx bench/sgemm-cpu.ts
 */
import { createCpuBackend } from '../src/backends/cpu/index.ts';
import type { MatView } from '../src/backends/cpu/matmul.ts';
import { forgetPacked } from '../src/backends/cpu/wasm/packed-cache.ts';
import { sgemm } from '../src/backends/cpu/wasm/sgemm.ts';
import { fillRandom, isMain, median, report, round } from './util.ts';

const ROUNDS = 9;

/** Median CPU ms of `fn` over ROUNDS rounds of `reps` calls, after `reps` warm-up calls. */
function cpuMs(fn: () => void, reps: number): number {
  for (let i = 0; i < reps; i++) fn();
  const ms: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) fn();
    ms.push(process.cpuUsage(c0).user / 1000 / reps);
  }
  return median(ms);
}

function random(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  fillRandom(a, seed);
  return a;
}

/** [name, M, N, K, A transposed, B transposed] of W2's products (batch 128); sgemm-threads.ts times them too. */
export const W2_PRODUCTS: readonly [string, number, number, number, boolean, boolean][] = [
  ['x·W1', 128, 512, 784, false, false],
  ['h1·W2', 128, 512, 512, false, false],
  ['h2·W3', 128, 10, 512, false, false],
  ['h2ᵀ·g3', 512, 10, 128, true, false],
  ['g3·W3ᵀ', 128, 512, 10, false, true],
  ['h1ᵀ·g2', 512, 512, 128, true, false],
  ['g2·W2ᵀ', 128, 512, 512, false, true],
  ['xᵀ·g1', 784, 512, 128, true, false],
];

export function main(): void {
  const be = createCpuBackend({ kernels: 'wasm' });
  for (const n of [256, 512, 1024]) {
    const shape = [n, n];
    const A = { buffer: be.upload(random(n * n, 1), 'f32'), shape, dtype: 'f32' as const };
    const B = { buffer: be.upload(random(n * n, 2), 'f32'), shape, dtype: 'f32' as const };
    const params = { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
    const run = () => be.dispose(be.run('dot_general', [A, B], params, { shape, dtype: 'f32' }));
    const ms = cpuMs(run, Math.max(1, Math.round(2e8 / n ** 3)));
    report({
      workload: 'W1',
      backend: 'cpu',
      params: { n, time: 'cpu' },
      ms: round(ms),
      gflops: round((2 * n ** 3) / ms / 1e6),
    });
  }
  let total = 0;
  for (const [name, M, N, K, aT, bT] of W2_PRODUCTS) {
    const a = random(M * K, 3);
    const b = random(K * N, 4);
    const Av: MatView = aT ? { data: a, off: 0, rs: 1, cs: M } : { data: a, off: 0, rs: K, cs: 1 };
    const Bv: MatView = bT ? { data: b, off: 0, rs: 1, cs: K } : { data: b, off: 0, rs: N, cs: 1 };
    const c = new Float32Array(M * N);
    const run = () => {
      forgetPacked(b);
      sgemm(M, N, K, Av, Bv, { data: c, off: 0, ldc: N });
    };
    const ms = cpuMs(run, Math.max(1, Math.round(3e8 / (M * N * K))));
    total += ms;
    report({
      workload: 'W2-products',
      backend: 'cpu',
      params: { product: name, M, N, K, time: 'cpu' },
      ms: round(ms),
      gflops: round((2 * M * N * K) / ms / 1e6),
    });
  }
  report({
    workload: 'W2-products',
    backend: 'cpu',
    params: { product: 'all eight', time: 'cpu' },
    ms: round(total),
  });
}

if (isMain(import.meta.url)) main();
