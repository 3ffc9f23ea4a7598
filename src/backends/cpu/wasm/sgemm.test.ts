import { describe, expect, it } from 'vitest';
import { sgemm } from './sgemm.ts';
import { sgemmModuleBytes } from './sgemm-kernel.ts';

/** Deterministic values in [-1, 1) (an LCG). */
function rand(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** C = A·B in f64 for A (element (i, k) at i·ars + k·acs) and B likewise. */
function reference(
  M: number,
  N: number,
  K: number,
  a: Float32Array,
  ars: number,
  acs: number,
  b: Float32Array,
  brs: number,
  bcs: number,
): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * ars + k * acs]! * b[k * brs + j * bcs]!;
      c[i * N + j] = s;
    }
  return c;
}

/** Max |got - want| over max(1, |want|): f32 accumulation error stays near √K · 2^-24. */
function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < want.length; i++)
    e = Math.max(e, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return e;
}

describe('sgemm (WebAssembly SIMD)', () => {
  it('emits a validating kernel module for each unroll factor', () => {
    for (const u of [1, 2, 4]) expect(WebAssembly.validate(sgemmModuleBytes(u) as BufferSource)).toBe(true);
  });

  it('computes a known product exactly', () => {
    // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]], above the direct-loop size via K
    const a = Float32Array.of(1, 2, 3, 4, 5, 6);
    const b = Float32Array.of(7, 8, 9, 10, 11, 12);
    const c = new Float32Array(4);
    sgemm(
      2,
      2,
      3,
      { data: a, off: 0, rs: 3, cs: 1 },
      (p0, kc, j0, nc, dst, at) => {
        for (let p = 0; p < kc; p++)
          for (let j = 0; j < 8; j++) dst[at + p * 8 + j] = j < nc ? b[(p0 + p) * 2 + j0 + j]! : 0;
      },
      { data: c, off: 0, ldc: 2 },
    );
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });

  it('matches an f64 reference on edge tiles, several K blocks and column blocks', () => {
    for (const [M, N, K] of [
      [7, 9, 5],
      [13, 17, 300],
      [6, 8, 256],
      [125, 1030, 513],
    ] as const) {
      const a = rand(M * K, 1);
      const b = rand(K * N, 2);
      const c = new Float32Array(M * N);
      sgemm(
        M,
        N,
        K,
        { data: a, off: 0, rs: K, cs: 1 },
        { data: b, off: 0, rs: N, cs: 1 },
        { data: c, off: 0, ldc: N },
      );
      expect(maxRelErr(c, reference(M, N, K, a, K, 1, b, N, 1)), `${M}×${N}×${K}`).toBeLessThan(
        2e-6 * Math.sqrt(K),
      );
    }
  });

  it('reads transposed operands through their strides and overwrites C at an offset', () => {
    const [M, N, K] = [20, 30, 40];
    const at = rand(K * M, 3); // Aᵀ stored K×M
    const bt = rand(N * K, 4); // Bᵀ stored N×K
    const c = new Float64Array(2 + M * N).fill(1);
    sgemm(
      M,
      N,
      K,
      { data: at, off: 0, rs: 1, cs: M },
      { data: bt, off: 0, rs: 1, cs: K },
      { data: c, off: 2, ldc: N },
    );
    const want = reference(M, N, K, at, 1, M, bt, 1, K);
    expect(c[0]).toBe(1);
    expect(c[1]).toBe(1);
    expect(maxRelErr(c.subarray(2), want)).toBeLessThan(2e-6 * Math.sqrt(K));
  });
});
