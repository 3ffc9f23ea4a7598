import { describe, expect, it } from 'vitest';
import { lcg } from '../../../../test/lcg.ts';
import { forgetPacked } from './packed-cache.ts';
import { sgemm } from './sgemm.ts';
import { sgemmModuleBytes } from './sgemm-kernel.ts';

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
      const a = lcg(M * K, 1);
      const b = lcg(K * N, 2);
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

  it('packs every operand layout in wasm: partial slivers, k tails, sparse and strided views', () => {
    // row-/column-major A and B, K past one KC block, M mod 4 and N mod 8 ≠ 0, rows padded so
    // far that the view is compacted when staged, and a column step of 2 (no unit stride)
    for (const [M, N, K, pad, step] of [
      [13, 21, 23, 0, 1],
      [9, 17, 258, 0, 1],
      [30, 44, 97, 2000, 1],
      [11, 19, 37, 3, 2],
    ] as const) {
      for (const [aT, bT] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        // A: M×K (or its transpose stored K×M), B: K×N (or Nᵀ), each row `pad` longer, every `step`-th column
        const [ar, ac] = aT ? [K, M] : [M, K];
        const [br, bc] = bT ? [N, K] : [K, N];
        const lda = ac * step + pad;
        const ldb = bc * step + pad;
        const a = lcg(ar * lda, 5);
        const b = lcg(br * ldb, 6);
        const [ars, acs] = aT ? [step, lda] : [lda, step];
        const [brs, bcs] = bT ? [step, ldb] : [ldb, step];
        const c = new Float32Array(M * N);
        sgemm(
          M,
          N,
          K,
          { data: a, off: 0, rs: ars, cs: acs },
          { data: b, off: 0, rs: brs, cs: bcs },
          { data: c, off: 0, ldc: N },
        );
        const want = reference(M, N, K, a, ars, acs, b, brs, bcs);
        const what = `${M}×${N}×${K} pad ${pad} step ${step} aT ${aT} bT ${bT}`;
        expect(maxRelErr(c, want), what).toBeLessThan(2e-6 * Math.sqrt(K));
      }
    }
  });

  it('gives the same bits for a sparse view (a slice of a wider matrix) as for its compact copy', () => {
    // staged by rows (unit column step), by columns (a transposed slice) or element by element (step 2)
    const [M, N, K, pad] = [9, 19, 41, 3000];
    for (const [aT, step] of [
      [false, 1],
      [true, 1],
      [false, 2],
    ] as const) {
      const [ar, ac] = aT ? [K, M] : [M, K];
      const lda = ac * step + pad;
      const wide = lcg(ar * lda + 5, 11);
      const compact = new Float32Array(M * K);
      for (let i = 0; i < M; i++)
        for (let k = 0; k < K; k++)
          compact[i * K + k] = wide[5 + (aT ? k * lda + i * step : i * lda + k * step)]!;
      const b = lcg(K * N, 12);
      const B = { data: b, off: 0, rs: N, cs: 1 };
      const [rs, cs] = aT ? [step, lda] : [lda, step];
      const got = new Float32Array(M * N);
      const want = new Float32Array(M * N);
      sgemm(M, N, K, { data: wide, off: 5, rs, cs }, B, { data: got, off: 0, ldc: N });
      sgemm(M, N, K, { data: compact, off: 0, rs: K, cs: 1 }, B, { data: want, off: 0, ldc: N });
      expect(Array.from(got), `aT ${aT} step ${step}`).toEqual(Array.from(want));
    }
  });

  it('runs a product too big to stage at once in row and column strips', () => {
    // A is 800×5000 and B 5000×1030 (over 4 Mi floats each): strips of 720 rows, 1024 columns
    const [M, N, K] = [800, 1030, 5000];
    const a = lcg(M * K, 7);
    const b = lcg(K * N, 8);
    const c = new Float32Array(M * N);
    sgemm(
      M,
      N,
      K,
      { data: a, off: 0, rs: K, cs: 1 },
      { data: b, off: 0, rs: N, cs: 1 },
      { data: c, off: 0, ldc: N },
    );
    // the entries on both sides of each strip edge
    for (const i of [0, 719, 720, 799]) {
      for (const j of [0, 1023, 1024, 1029]) {
        let want = 0;
        for (let p = 0; p < K; p++) want += a[i * K + p]! * b[p * N + j]!;
        expect(Math.abs(c[i * N + j]! - want) / Math.max(1, Math.abs(want)), `(${i}, ${j})`).toBeLessThan(
          2e-6 * Math.sqrt(K),
        );
      }
    }
  });

  it('reuses packed B panels for a buffer seen again, and drops them when told', () => {
    // two k blocks and two column blocks of B: the cached panels' order must match the loop's
    const [M, N, K] = [5, 1030, 300];
    const a = lcg(M * K, 9);
    const b = lcg(K * N, 10);
    const views = [
      { data: a, off: 0, rs: K, cs: 1 },
      { data: b, off: 0, rs: N, cs: 1 },
    ] as const;
    const want = reference(M, N, K, a, K, 1, b, N, 1);
    // first sighting (packed as usual), second (panels packed into the cache), third (read from it)
    for (let call = 0; call < 3; call++) {
      const c = new Float32Array(M * N);
      sgemm(M, N, K, views[0], views[1], { data: c, off: 0, ldc: N });
      expect(maxRelErr(c, want), `call ${call}`).toBeLessThan(2e-6 * Math.sqrt(K));
    }
    b.set(lcg(K * N, 11));
    forgetPacked(b);
    const c = new Float32Array(M * N);
    sgemm(M, N, K, views[0], views[1], { data: c, off: 0, ldc: N });
    expect(maxRelErr(c, reference(M, N, K, a, K, 1, b, N, 1))).toBeLessThan(2e-6 * Math.sqrt(K));
  });

  it('reads transposed operands through their strides and overwrites C at an offset', () => {
    const [M, N, K] = [20, 30, 40];
    const at = lcg(K * M, 3); // Aᵀ stored K×M
    const bt = lcg(N * K, 4); // Bᵀ stored N×K
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
