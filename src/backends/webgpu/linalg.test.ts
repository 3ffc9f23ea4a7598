import { afterAll, describe, expect, it } from 'vitest';
import type { PrimParams } from '../../core/primitives.ts';
import { acquireTestBackend, expectClose, runPrim, t } from './test-helpers.ts';

const backend = await acquireTestBackend();
afterAll(() => backend?.destroy());

/** Deterministic small values (exact in f32 sums). */
function vals(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => (((i * 7919 + seed * 104729) % 17) - 8) / 4);
}

function refMatmul(a: number[], b: number[], B: number, M: number, K: number, N: number): number[] {
  const out = new Array<number>(B * M * N).fill(0);
  for (let z = 0; z < B; z++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[(z * M + i) * K + k]! * b[(z * K + k) * N + j]!;
        out[(z * M + i) * N + j] = s;
      }
  return out;
}

/** Reference conv, 2-D, from the definition (independent of the kernel's index algebra). */
function refConv2d(
  x: number[],
  xs: [number, number, number, number],
  w: number[],
  ws: [number, number, number, number],
  p: PrimParams['conv_general'],
): { out: number[]; shape: number[] } {
  const [N, C, H, W] = xs;
  const [O, Cg, KH, KW] = ws;
  const G = p.groups;
  const dil = (n: number, d: number) => (n - 1) * d + 1;
  const dims = [H, W].map((n, i) => {
    const din = dil(n, p.lhsDilation[i]!);
    const dk = dil([KH, KW][i]!, p.rhsDilation[i]!);
    return Math.floor((din + p.padding[i]![0] + p.padding[i]![1] - dk) / p.strides[i]!) + 1;
  });
  const [OH, OW] = dims as [number, number];
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const g = Math.floor(o / (O / G));
          let s = 0;
          for (let c = 0; c < Cg; c++)
            for (let ky = 0; ky < KH; ky++)
              for (let kx = 0; kx < KW; kx++) {
                const py = oy * p.strides[0]! + ky * p.rhsDilation[0]! - p.padding[0]![0];
                const px = ox * p.strides[1]! + kx * p.rhsDilation[1]! - p.padding[1]![0];
                if (py < 0 || px < 0 || py >= dil(H, p.lhsDilation[0]!) || px >= dil(W, p.lhsDilation[1]!))
                  continue;
                if (py % p.lhsDilation[0]! || px % p.lhsDilation[1]!) continue;
                const iy = py / p.lhsDilation[0]!;
                const ix = px / p.lhsDilation[1]!;
                s += x[((n * C + g * Cg + c) * H + iy) * W + ix]! * w[((o * Cg + c) * KH + ky) * KW + kx]!;
              }
          out.push(s);
        }
  return { out, shape: [N, O, OH, OW] };
}

const MM = { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] };

describe.skipIf(!backend)('webgpu dot_general', { timeout: 60_000 }, () => {
  const be = backend!;

  it('plain, transposed and batched', async () => {
    const a = t([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = t([7, 8, 9, 10, 11, 12], [3, 2]);
    expect(await runPrim(be, 'dot_general', [a, b], MM, { shape: [2, 2], dtype: 'f32' })).toEqual([
      58, 64, 139, 154,
    ]);
    // rhs given transposed: bt[n, k]
    const bt = t([7, 9, 11, 8, 10, 12], [2, 3]);
    const pT = { lhsContract: [1], rhsContract: [1], lhsBatch: [], rhsBatch: [] };
    expect(await runPrim(be, 'dot_general', [a, bt], pT, { shape: [2, 2], dtype: 'f32' })).toEqual([
      58, 64, 139, 154,
    ]);
    // lhs transposed too: at[k, m]
    const at = t([1, 4, 2, 5, 3, 6], [3, 2]);
    const pTT = { lhsContract: [0], rhsContract: [1], lhsBatch: [], rhsBatch: [] };
    expect(await runPrim(be, 'dot_general', [at, bt], pTT, { shape: [2, 2], dtype: 'f32' })).toEqual([
      58, 64, 139, 154,
    ]);
    // batch of 2: second batch is the identity
    const ab = t([1, 2, 3, 4, 1, 0, 0, 1], [2, 2, 2]);
    const bb = t([5, 6, 7, 8, 5, 6, 7, 8], [2, 2, 2]);
    const pB = { lhsContract: [2], rhsContract: [1], lhsBatch: [0], rhsBatch: [0] };
    expect(await runPrim(be, 'dot_general', [ab, bb], pB, { shape: [2, 2, 2], dtype: 'f32' })).toEqual([
      19, 22, 43, 50, 5, 6, 7, 8,
    ]);
    // vector dot: no free dims
    const v = t([1, 2, 3], [3]);
    const pV = { lhsContract: [0], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
    expect(await runPrim(be, 'dot_general', [v, v], pV, { shape: [], dtype: 'f32' })).toEqual([14]);
  });

  it('tile edges (33 × 40 · 40 × 35) against a reference', async () => {
    const a = vals(33 * 40, 1);
    const b = vals(40 * 35, 2);
    const out = await runPrim(be, 'dot_general', [t(a, [33, 40]), t(b, [40, 35])], MM, {
      shape: [33, 35],
      dtype: 'f32',
    });
    expectClose(out, refMatmul(a, b, 1, 33, 40, 35));
  });

  it('non-contiguous contraction groups are transposed first', async () => {
    // lhs [2, 3, 4] contracting dims 0 and 2 (not adjacent), rhs [4, 2, 5] contracting 1 and 0
    const a = vals(24, 3);
    const b = vals(40, 4);
    const p = { lhsContract: [0, 2], rhsContract: [1, 0], lhsBatch: [], rhsBatch: [] };
    const expected: number[] = [];
    for (let m = 0; m < 3; m++)
      for (let n = 0; n < 5; n++) {
        let s = 0;
        for (let i = 0; i < 2; i++)
          for (let k = 0; k < 4; k++) s += a[(i * 3 + m) * 4 + k]! * b[(k * 2 + i) * 5 + n]!;
        expected.push(s);
      }
    const out = await runPrim(be, 'dot_general', [t(a, [2, 3, 4]), t(b, [4, 2, 5])], p, {
      shape: [3, 5],
      dtype: 'f32',
    });
    expectClose(out, expected);
    expect(be.memory().liveBuffers).toBe(0);
  });

  it('i32 and an empty contraction', async () => {
    const a = t([1, -2, 3, 4], [2, 2], 'i32');
    const b = t([5, 6, 7, 8], [2, 2], 'i32');
    expect(await runPrim(be, 'dot_general', [a, b], MM, { shape: [2, 2], dtype: 'i32' })).toEqual([
      -9, -10, 43, 50,
    ]);
    const e0 = t([], [2, 0]);
    const e1 = t([], [0, 3]);
    expect(await runPrim(be, 'dot_general', [e0, e1], MM, { shape: [2, 3], dtype: 'f32' })).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
  });
});

describe.skipIf(!backend)('webgpu conv_general', { timeout: 60_000 }, () => {
  const be = backend!;
  const base = {
    strides: [1],
    padding: [[0, 0]] as [number, number][],
    lhsDilation: [1],
    rhsDilation: [1],
    groups: 1,
  };

  it('1-D: valid, transposed (lhs dilation) and negative padding', async () => {
    const x = t([1, 2, 3, 4, 5], [1, 1, 5]);
    const w = t([1, 0, -1], [1, 1, 3]);
    expect(await runPrim(be, 'conv_general', [x, w], base, { shape: [1, 1, 3], dtype: 'f32' })).toEqual([
      -2, -2, -2,
    ]);
    const x2 = t([1, 2], [1, 1, 2]);
    const w2 = t([1, 1], [1, 1, 2]);
    const pT = { ...base, padding: [[1, 1]] as [number, number][], lhsDilation: [2] };
    expect(await runPrim(be, 'conv_general', [x2, w2], pT, { shape: [1, 1, 4], dtype: 'f32' })).toEqual([
      1, 1, 2, 2,
    ]);
    const w1 = t([1], [1, 1, 1]);
    const pN = { ...base, padding: [[-1, -2]] as [number, number][] };
    expect(await runPrim(be, 'conv_general', [x, w1], pN, { shape: [1, 1, 2], dtype: 'f32' })).toEqual([
      2, 3,
    ]);
    // stride 2 and rhs dilation 2: window taps at p and p+2
    const pS = { ...base, strides: [2], rhsDilation: [2] };
    const w3 = t([1, 10], [1, 1, 2]);
    expect(await runPrim(be, 'conv_general', [x, w3], pS, { shape: [1, 1, 2], dtype: 'f32' })).toEqual([
      31, 53,
    ]);
  });

  it('2-D with stride, padding, dilations and groups against a reference', async () => {
    const cases: {
      xs: [number, number, number, number];
      ws: [number, number, number, number];
      p: PrimParams['conv_general'];
    }[] = [
      {
        xs: [2, 3, 7, 6],
        ws: [4, 3, 3, 3],
        p: {
          strides: [1, 1],
          padding: [
            [1, 1],
            [1, 1],
          ],
          lhsDilation: [1, 1],
          rhsDilation: [1, 1],
          groups: 1,
        },
      },
      {
        xs: [1, 4, 8, 9],
        ws: [6, 2, 3, 2],
        p: {
          strides: [2, 3],
          padding: [
            [2, 0],
            [1, -1],
          ],
          lhsDilation: [1, 1],
          rhsDilation: [2, 1],
          groups: 2,
        },
      },
      {
        xs: [1, 2, 4, 3],
        ws: [2, 2, 3, 3],
        p: {
          strides: [1, 1],
          padding: [
            [2, 2],
            [1, 2],
          ],
          lhsDilation: [2, 3],
          rhsDilation: [1, 1],
          groups: 1,
        },
      },
    ];
    for (const c of cases) {
      const x = vals(
        c.xs.reduce((a, b) => a * b),
        5,
      );
      const w = vals(
        c.ws.reduce((a, b) => a * b),
        6,
      );
      const ref = refConv2d(x, c.xs, w, c.ws, c.p);
      const out = await runPrim(be, 'conv_general', [t(x, c.xs), t(w, c.ws)], c.p, {
        shape: ref.shape,
        dtype: 'f32',
      });
      expectClose(out, ref.out);
    }
  });

  it('3-D', async () => {
    // x [1,1,2,2,2] = 1..8, w [1,1,2,2,2] all ones, valid: the sum 36
    const x = t([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2]);
    const w = t([1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 2, 2, 2]);
    const p = {
      strides: [1, 1, 1],
      padding: [
        [0, 0],
        [0, 0],
        [0, 0],
      ] as [number, number][],
      lhsDilation: [1, 1, 1],
      rhsDilation: [1, 1, 1],
      groups: 1,
    };
    expect(await runPrim(be, 'conv_general', [x, w], p, { shape: [1, 1, 1, 1, 1], dtype: 'f32' })).toEqual([
      36,
    ]);
  });
});
