/**
 * W1: square f32 matmul on the CPU backend (dot_general through `Backend.run`, as the
 * library calls it) at N = 256, 512, 1024 on both kernel sets (`wasm`: the SIMD128 GEMM,
 * `js`: the blocked JS kernel), and a naive i-j-k triple loop at N = 256 and 512, all timed
 * in alternation (`vsJs` on the wasm line is the speed-up over the JS kernel set).
 *
 *   npx tsx bench/w1-matmul.ts
 */
import { type CpuBackend, createCpuBackend } from '../src/backends/cpu/index.ts';
import { fillRandom, isMain, medianMs, report, round } from './util.ts';

/** The textbook triple loop on Float32Arrays: the baseline the blocked kernel must beat. */
function naiveMatmul(n: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * b[k * n + j]!;
      c[i * n + j] = s;
    }
  }
}

const RUNS: Record<number, number> = { 256: 15, 512: 9, 1024: 5 };

export function main(): void {
  for (const n of [256, 512, 1024]) {
    const a = new Float32Array(n * n);
    const b = new Float32Array(n * n);
    fillRandom(a, 1);
    fillRandom(b, 2);
    const flop = 2 * n ** 3;
    const shape = [n, n];
    const params = { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
    const on = (be: CpuBackend) => {
      const A = { buffer: be.upload(a, 'f32'), shape, dtype: 'f32' as const };
      const B = { buffer: be.upload(b, 'f32'), shape, dtype: 'f32' as const };
      return () => be.dispose(be.run('dot_general', [A, B], params, { shape, dtype: 'f32' }));
    };
    const c = new Float32Array(n * n);
    const withNaive = n <= 512;
    const runs = [on(createCpuBackend({ kernels: 'wasm' })), on(createCpuBackend({ kernels: 'js' }))];
    const [wasm = 0, js = 0, naive] = medianMs(
      withNaive ? [...runs, () => naiveMatmul(n, a, b, c)] : runs,
      RUNS[n] ?? 3,
    );
    if (naive !== undefined) {
      report({
        workload: 'W1',
        backend: 'cpu',
        params: { n, impl: 'naive' },
        ms: round(naive),
        gflops: round(flop / naive / 1e6),
      });
    }
    report({
      workload: 'W1',
      backend: 'cpu',
      params: { n, impl: 'blocked', kernels: 'js' },
      ms: round(js),
      gflops: round(flop / js / 1e6),
      ...(naive !== undefined ? { vsNaive: round(naive / js, 2) } : {}),
    });
    report({
      workload: 'W1',
      backend: 'cpu',
      params: { n, impl: 'sgemm-simd128', kernels: 'wasm' },
      ms: round(wasm),
      gflops: round(flop / wasm / 1e6),
      vsJs: round(js / wasm, 2),
    });
  }
}

if (isMain(import.meta.url)) main();
