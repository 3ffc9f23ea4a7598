/**
 * f32 accumulation error of the CPU backend's products against an f64 reference, for
 * K = 64, 256, 1024, 4096 (A: 64×K, B: K×64, entries uniform in [-1, 1)), on both kernel
 * sets. Prints per K the max error of an entry relative to Σ_k |a_ik·b_kj| (the scale a
 * rounding error of the sum is measured against), and relative to the largest |entry|.
 *
 *   npx tsx bench/numerics.ts
 */
import { createCpuBackend } from '../src/backends/cpu/index.ts';
import { fillRandom, isMain, report } from './util.ts';

const M = 64;
const N = 64;

export function main(): void {
  for (const K of [64, 256, 1024, 4096]) {
    const a = new Float32Array(M * K);
    const b = new Float32Array(K * N);
    fillRandom(a, 11);
    fillRandom(b, 12);
    const ref = new Float64Array(M * N);
    const absSum = new Float64Array(M * N);
    for (let i = 0; i < M; i++) {
      for (let k = 0; k < K; k++) {
        const aik = a[i * K + k]!;
        for (let j = 0; j < N; j++) {
          ref[i * N + j] = ref[i * N + j]! + aik * b[k * N + j]!;
          absSum[i * N + j] = absSum[i * N + j]! + Math.abs(aik * b[k * N + j]!);
        }
      }
    }
    const refMax = Math.max(...ref.map(Math.abs));
    for (const kernels of ['wasm', 'js'] as const) {
      const be = createCpuBackend({ kernels });
      const A = { buffer: be.upload(a, 'f32'), shape: [M, K], dtype: 'f32' as const };
      const B = { buffer: be.upload(b, 'f32'), shape: [K, N], dtype: 'f32' as const };
      const p = { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
      const c = be.readSync!(be.run('dot_general', [A, B], p, { shape: [M, N], dtype: 'f32' }), 'f32', M * N);
      let vsAbs = 0;
      let vsMax = 0;
      for (let i = 0; i < M * N; i++) {
        const e = Math.abs(c[i]! - ref[i]!);
        vsAbs = Math.max(vsAbs, e / absSum[i]!);
        vsMax = Math.max(vsMax, e / refMax);
      }
      report({
        workload: 'numerics',
        backend: 'cpu',
        params: { M, N, K, kernels },
        ms: 0,
        maxErrVsAbsSum: Number(vsAbs.toPrecision(3)),
        maxErrVsMaxEntry: Number(vsMax.toPrecision(3)),
        sqrtKTimesEps: Number((Math.sqrt(K) * 2 ** -24).toPrecision(3)),
      });
    }
  }
}

if (isMain(import.meta.url)) main();
