/**
 * The f32 GEMM on 1 thread against `--threads N` (default 2), in wall time (process CPU
 * time adds up every thread, so it cannot show a speed-up): W1's square products through
 * `Backend.run`, and W2's eight products (sgemm-cpu.ts) straight through `sgemm` with a fresh
 * B each call. The two thread counts are timed in turn, round by round (`medianMs`), so
 * load falls on both alike; medians of rounds, one JSON line per case and thread count.
 *
 *   npx tsx bench/sgemm-threads.ts --threads 2
 */
import { createCpuBackend } from '../src/backends/cpu/index.ts';
import type { MatView } from '../src/backends/cpu/matmul.ts';
import { setGemmPool } from '../src/backends/cpu/wasm/gemm-pool.ts';
import { forgetPacked } from '../src/backends/cpu/wasm/packed-cache.ts';
import { sgemm } from '../src/backends/cpu/wasm/sgemm.ts';
import { createThreadPool } from '../src/backends/cpu/wasm/thread-pool.ts';
import { W2_PRODUCTS } from './sgemm-cpu.ts';
import { fillRandom, isMain, medianMs, report, round } from './util.ts';

const ROUNDS = 15;

function random(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  fillRandom(a, seed);
  return a;
}

/** `fn` called `reps` times. */
const repeat = (fn: () => void, reps: number) => () => {
  for (let i = 0; i < reps; i++) fn();
};

function line(workload: string, params: Record<string, unknown>, threads: number, ms: number, flop?: number) {
  report({
    workload,
    backend: 'cpu',
    params: { ...params, threads, time: 'wall' },
    ms: round(ms),
    ...(flop ? { gflops: round(flop / ms / 1e6) } : {}),
  });
}

export function main(threads: number): void {
  const backends = [
    createCpuBackend({ kernels: 'wasm', threads: 1 }),
    createCpuBackend({ kernels: 'wasm', threads }),
  ];
  for (const n of [256, 512, 1024]) {
    const shape = [n, n];
    const a = random(n * n, 1);
    const b = random(n * n, 2);
    const params = { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
    const reps = Math.max(1, Math.round(1e8 / n ** 3));
    const fns = backends.map((be) => {
      const A = { buffer: be.upload(a, 'f32'), shape, dtype: 'f32' as const };
      const B = { buffer: be.upload(b, 'f32'), shape, dtype: 'f32' as const };
      return repeat(() => be.dispose(be.run('dot_general', [A, B], params, { shape, dtype: 'f32' })), reps);
    });
    const ms = medianMs(fns, ROUNDS);
    backends.forEach((be, i) => {
      line('W1', { n }, be.threads, ms[i]! / reps, 2 * n ** 3);
    });
  }
  const pool = createThreadPool(threads);
  const total = [0, 0];
  for (const [name, M, N, K, aT, bT] of W2_PRODUCTS) {
    const a = random(M * K, 3);
    const b = random(K * N, 4);
    const Av: MatView = aT ? { data: a, off: 0, rs: 1, cs: M } : { data: a, off: 0, rs: K, cs: 1 };
    const Bv: MatView = bT ? { data: b, off: 0, rs: 1, cs: K } : { data: b, off: 0, rs: N, cs: 1 };
    const c = new Float32Array(M * N);
    const reps = Math.max(1, Math.round(1e8 / (M * N * K)));
    const fns = [undefined, pool].map((p) =>
      repeat(() => {
        setGemmPool(p);
        forgetPacked(b);
        sgemm(M, N, K, Av, Bv, { data: c, off: 0, ldc: N });
      }, reps),
    );
    const ms = medianMs(fns, ROUNDS).map((x) => x / reps);
    ms.forEach((x, i) => {
      total[i]! += x;
      line('W2-products', { product: name, M, N, K }, i ? threads : 1, x, 2 * M * N * K);
    });
  }
  setGemmPool(undefined);
  total.forEach((x, i) => {
    line('W2-products', { product: 'all eight' }, i ? threads : 1, x);
  });
  pool.close();
  for (const be of backends) be.close();
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--threads');
  const threads = at >= 0 ? Number(process.argv[at + 1]) : 2;
  if (!Number.isInteger(threads) || threads < 2) {
    throw new Error(`sgemm-threads: --threads must be an integer ≥ 2, got ${process.argv[at + 1]}`);
  }
  main(threads);
}
