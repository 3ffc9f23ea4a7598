/**
 * The large GEMM tiling (16 × 16 threads, 64 × 64 tiles: `gemmTile`) on outputs big enough
 * to take it, edges included, for matmul and the implicit-GEMM convolution. Small integer
 * values keep the f32 sums exact, so results are compared exactly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { gemmTile } from './kernels/matmul.ts';
import { acquireTestBackend, runPrim, t } from './test-helpers.ts';

const backend = await acquireTestBackend();

describe.skipIf(!backend)('webgpu GEMM tiles chosen per shape', { timeout: 120_000 }, () => {
  const be = backend!;
  afterAll(() => be.destroy());

  it('picks 64 × 64 tiles for large outputs and 32 × 32 for small or skinny ones', () => {
    expect(gemmTile(256, 256)).toBe(16);
    expect(gemmTile(4096, 4096)).toBe(16);
    expect(gemmTile(128, 4096)).toBe(8);
    expect(gemmTile(64, 64)).toBe(8);
  });

  it('matmul [260, 40] · [40, 270] with 64 × 64 tiles (partial edge tiles)', async () => {
    const [M, K, N] = [260, 40, 270];
    const a = Array.from({ length: M * K }, (_, i) => ((Math.floor(i / K) * 3 + (i % K)) % 7) - 3);
    const b = Array.from({ length: K * N }, (_, i) => ((Math.floor(i / N) * 5 + (i % N)) % 5) - 2);
    const want: number[] = [];
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[i * K + k]! * b[k * N + j]!;
        want.push(s);
      }
    }
    const got = await runPrim(
      be,
      'dot_general',
      [t(a, [M, K]), t(b, [K, N])],
      { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] },
      { shape: [M, N], dtype: 'f32' },
    );
    expect(got).toEqual(want);
  });

  it('conv1d with 256 output channels over 256 positions (implicit GEMM, 64 × 64 tiles)', async () => {
    const [C, S, O, KW] = [3, 256, 256, 3];
    const x = Array.from({ length: C * S }, (_, i) => (i % 5) - 2);
    const w = Array.from({ length: O * C * KW }, (_, i) => (i % 3) - 1);
    const want: number[] = [];
    for (let o = 0; o < O; o++) {
      for (let s = 0; s < S; s++) {
        let acc = 0;
        for (let c = 0; c < C; c++) {
          for (let k = 0; k < KW; k++) {
            const p = s + k - 1;
            if (p >= 0 && p < S) acc += x[c * S + p]! * w[(o * C + c) * KW + k]!;
          }
        }
        want.push(acc);
      }
    }
    const params = {
      strides: [1],
      padding: [[1, 1]] as [number, number][],
      lhsDilation: [1],
      rhsDilation: [1],
      groups: 1,
    };
    const got = await runPrim(be, 'conv_general', [t(x, [1, C, S]), t(w, [O, C, KW])], params, {
      shape: [1, O, S],
      dtype: 'f32',
    });
    expect(got).toEqual(want);
  });
});
