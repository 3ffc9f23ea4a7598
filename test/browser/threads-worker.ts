/**
 * The dedicated Worker of threads.test.ts: sgemm products on `threads: 2` against `threads: 1`
 * (after yielding once, so the pool's workers have started), posted back as bits.
 */
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { setGemmPool } from '../../src/backends/cpu/wasm/gemm-pool.ts';
import { forgetPacked } from '../../src/backends/cpu/wasm/packed-cache.ts';
import { sgemm } from '../../src/backends/cpu/wasm/sgemm.ts';
import { createThreadPool } from '../../src/platform/browser.ts';
import { lcg } from '../lcg.ts';

/** [M, N, K, A transposed]: row counts off the MR grid, N past one NC block, K past one KC block. */
const SHAPES: [number, number, number, boolean][] = [
  [257, 131, 300, false],
  [130, 1030, 257, false],
  [515, 77, 700, true],
  [8, 2048, 1024, false],
];

self.onmessage = async () => {
  const isolated = globalThis.crossOriginIsolated;
  const two = createCpuBackend({ kernels: 'wasm', threads: 2 });
  const threads = two.threads;
  two.close();
  const pool = createThreadPool(2);
  // workers start once this thread yields to its event loop
  const waitStart = performance.now();
  while (pool && pool.ready < 2 && performance.now() - waitStart < 10_000) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const results = SHAPES.map(([M, N, K, aT]) => {
    const a = lcg(M * K, M);
    const b = lcg(K * N, N);
    const A = aT ? { data: a, off: 0, rs: 1, cs: M } : { data: a, off: 0, rs: K, cs: 1 };
    const B = { data: b, off: 0, rs: N, cs: 1 };
    const c1 = new Float32Array(M * N);
    const c2 = new Float32Array(M * N).fill(Number.NaN);
    setGemmPool(undefined);
    sgemm(M, N, K, A, B, { data: c1, off: 0, ldc: N });
    forgetPacked(b);
    setGemmPool(pool);
    const before = pool?.workerShares ?? 0;
    const u1 = new Uint32Array(c1.buffer);
    const u2 = new Uint32Array(c2.buffer);
    let diff = 0;
    // threads claim chunks as they come: repeat until the worker has taken some
    // (for at most 20 s: under load the caller may take whole jobs before the worker runs)
    const deadline = performance.now() + 20_000;
    for (
      let run = 0;
      (run === 0 || (pool?.workerShares ?? 0) === before) && performance.now() < deadline;
      run++
    ) {
      sgemm(M, N, K, A, B, { data: c2, off: 0, ldc: N });
      for (let i = 0; i < u1.length; i++) if (u1[i] !== u2[i]) diff++;
    }
    const shares = (pool?.workerShares ?? 0) - before;
    return { shape: [M, N, K, aT], shares, diff, corner: c2[M * N - 1] };
  });
  const report = { isolated, threads, ready: pool?.ready ?? 1, results };
  setGemmPool(undefined);
  pool?.close();
  self.postMessage(report);
};
