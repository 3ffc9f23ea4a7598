/**
 * vec4 operand loads in the GEMM tiles (f32, unit stride along the loaded dim, sizes and other
 * strides multiples of 4): A four k at a time, B four n at a time, each alone and together,
 * batched and with partial edge tiles, against plain loops; and shapes that must keep scalar
 * loads (transposed operands, odd sizes). Small integers keep f32 sums exact.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { acquireTestBackend, runPrim, t } from './test-helpers.ts';

const backend = await acquireTestBackend();
afterAll(() => backend?.destroy());

/** out[p, i, j] = Σ_k A(p, i, k) · B(p, k, j) with A, B read through index functions. */
function ref(
  B: number,
  M: number,
  K: number,
  N: number,
  a: (p: number, i: number, k: number) => number,
  b: (p: number, k: number, j: number) => number,
): number[] {
  const out: number[] = [];
  for (let p = 0; p < B; p++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a(p, i, k) * b(p, k, j);
        out.push(s);
      }
  return out;
}

const ints = (n: number, m: number, seed: number) =>
  Array.from({ length: n }, (_, i) => ((i * 3 + seed) % m) - (m >> 1));

describe.skipIf(!backend)('webgpu GEMM vec4 loads', { timeout: 120_000 }, () => {
  const be = backend!;
  const batched = { lhsContract: [2], rhsContract: [1], lhsBatch: [0], rhsBatch: [0] };

  for (const [B, M, K, N, what] of [
    [2, 36, 68, 132, 'both vec4'],
    [1, 17, 64, 3, 'A vec4, B scalar (N = 3)'],
    [1, 5, 7, 8, 'A scalar (K = 7), B vec4'],
    [3, 1, 4, 4, 'one row, tiny'],
    [1, 65, 20, 260, 'edge tiles, 64 × 64 tiling'],
    [2, 3, 17, 65, 'all scalar (odd sizes)'],
  ] as const) {
    it(`[${B}, ${M}, ${K}] · [${B}, ${K}, ${N}]: ${what}`, async () => {
      const a = ints(B * M * K, 7, 1);
      const b = ints(B * K * N, 5, 2);
      const got = await runPrim(be, 'dot_general', [t(a, [B, M, K]), t(b, [B, K, N])], batched, {
        shape: [B, M, N],
        dtype: 'f32',
      });
      expect(got).toEqual(
        ref(
          B,
          M,
          K,
          N,
          (p, i, k) => a[(p * M + i) * K + k]!,
          (p, k, j) => b[(p * K + k) * N + j]!,
        ),
      );
    });
  }

  it('transposed operands (A as [K, M], B as [N, K]) keep scalar loads and agree', async () => {
    const [M, K, N] = [12, 8, 16];
    const aT = ints(K * M, 7, 3);
    const bT = ints(N * K, 5, 4);
    const got = await runPrim(
      be,
      'dot_general',
      [t(aT, [K, M]), t(bT, [N, K])],
      { lhsContract: [0], rhsContract: [1], lhsBatch: [], rhsBatch: [] },
      { shape: [M, N], dtype: 'f32' },
    );
    expect(got).toEqual(
      ref(
        1,
        M,
        K,
        N,
        (_, i, k) => aT[k * M + i]!,
        (_, k, j) => bT[j * K + k]!,
      ),
    );
  });
});
