/**
 * f16 on WebGPU: the host conversions (everywhere), the clear refusals (CPU backend; adapters
 * without shader-f16, such as SwiftShader), and f16 storage with f32-accumulated matmul where
 * the adapter has shader-f16 (skipped, loudly, elsewhere).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../../ops/creation.ts';
import { f16Bits, f16Value, fromF16Storage, toF16Storage } from './f16.ts';
import { acquireTestBackend, NONE, runPrim, t } from './test-helpers.ts';

describe('f16 host conversions', () => {
  it('rounds to nearest, ties to even, with overflow to inf and subnormals', () => {
    expect(f16Bits(1)).toBe(0x3c00);
    expect(f16Bits(-2)).toBe(0xc000);
    expect(f16Bits(65504)).toBe(0x7bff);
    expect(f16Bits(65520)).toBe(0x7c00); // halfway to 2^16 rounds up to inf
    expect(f16Bits(65519)).toBe(0x7bff);
    expect(f16Bits(0.1)).toBe(0x2e66);
    expect(f16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie: stays even
    expect(f16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie: rounds up to even
    expect(f16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(f16Bits(2 ** -25)).toBe(0x0000); // tie with zero: even
    expect(f16Bits(1.5 * 2 ** -25)).toBe(0x0001);
    expect(f16Bits(-0)).toBe(0x8000);
    expect(f16Bits(Number.NEGATIVE_INFINITY)).toBe(0xfc00);
    expect(f16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(f16Bits(Number.NaN) & 0x3ff).not.toBe(0);
  });

  it('round-trips every non-NaN bit pattern exactly', () => {
    let bad = 0;
    for (let h = 0; h < 0x10000; h++) {
      const v = f16Value(h);
      if (Number.isNaN(v)) continue;
      if (f16Bits(v) !== h) bad++;
    }
    expect(bad).toBe(0);
    expect(f16Value(0x7bff)).toBe(65504);
    expect(f16Value(0x0400)).toBe(2 ** -14);
  });

  it('packs storage in whole words and unpacks to f32', () => {
    const words = toF16Storage([1, -2, 0.5]);
    expect(words.length).toBe(4);
    expect(Array.from(words)).toEqual([0x3c00, 0xc000, 0x3800, 0]);
    expect(Array.from(fromF16Storage(words.buffer as ArrayBuffer, 3))).toEqual([1, -2, 0.5]);
  });
});

describe('f16 on the CPU backend', () => {
  it('is refused with an error naming the op and where f16 exists', () => {
    expect(() => tensor([1, 2], { dtype: 'f16' })).toThrow(
      /tensor: dtype f16 is not supported on the cpu backend \(f16 is WebGPU-only \(shader-f16\)/,
    );
  });
});

const backend = await acquireTestBackend();
const hasF16 = backend?.supports('f16') ?? false;
afterAll(() => backend?.destroy());
if (backend && !hasF16) {
  console.warn(
    `\n*** typegrad: SKIPPING the f16 kernel tests: the adapter (${backend.adapterInfo.description}) has no shader-f16.\n` +
      '*** They run on adapters with the feature (most discrete and Apple GPUs).\n',
  );
}

describe.skipIf(!backend || hasF16)('f16 on an adapter without shader-f16', () => {
  it('refuses f16 buffers, naming the feature', () => {
    expect(() => backend!.upload(new Float32Array([1]), 'f16')).toThrow(
      /webgpu upload: dtype f16 needs the adapter feature shader-f16/,
    );
  });
});

/** Reference matmul in f64 of [B, M, K] · [B, K, N]. */
function matmulRef(a: number[], b: number[], B: number, M: number, K: number, N: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < B; p++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[(p * M + i) * K + k]! * b[(p * K + k) * N + j]!;
        out.push(s);
      }
  return out;
}

describe.skipIf(!hasF16)('f16 kernels (shader-f16)', { timeout: 120_000 }, () => {
  const be = backend!;
  const ints = (n: number, m: number) => Array.from({ length: n }, (_, i) => ((i * 3) % m) - (m >> 1));

  it('uploads and reads back f16-rounded values (odd lengths included)', async () => {
    const data = [1, 0.1, -3.3, 65504, 70000, 2 ** -24, 1 / 3, 1000.3, -0.5];
    const want = data.map((x) => f16Value(f16Bits(x)));
    for (const n of [1, 3, 9]) {
      expect(
        await runPrim(
          be,
          'cast',
          [t(data.slice(0, n), [n], 'f16')],
          { dtype: 'f16' },
          { shape: [n], dtype: 'f16' },
        ),
      ).toEqual(want.slice(0, n));
    }
  });

  it('casts f32 -> f16 -> f32 and i32 -> f16', async () => {
    const data = Array.from({ length: 130 }, (_, i) => (i - 65) * 0.37);
    const half = await runPrim(
      be,
      'cast',
      [t(data, [130])],
      { dtype: 'f16' },
      { shape: [130], dtype: 'f16' },
    );
    expect(half).toEqual(data.map((x) => f16Value(f16Bits(Math.fround(x)))));
    const ints17 = ints(17, 9);
    expect(
      await runPrim(be, 'cast', [t(ints17, [17], 'i32')], { dtype: 'f16' }, { shape: [17], dtype: 'f16' }),
    ).toEqual(ints17);
  });

  it('matmul on odd shapes, batched and transposed, exact on small integers (f32 accumulation)', async () => {
    for (const [B, M, K, N] of [
      [1, 1, 1, 1],
      [1, 3, 17, 65],
      [2, 17, 65, 3],
      [1, 130, 33, 65],
    ] as const) {
      const a = ints(B * M * K, 7);
      const b = ints(B * K * N, 5);
      const got = await runPrim(
        be,
        'dot_general',
        [t(a, [B, M, K], 'f16'), t(b, [B, K, N], 'f16')],
        { lhsContract: [2], rhsContract: [1], lhsBatch: [0], rhsBatch: [0] },
        { shape: [B, M, N], dtype: 'f16' },
      );
      expect(got).toEqual(matmulRef(a, b, B, M, K, N));
    }
    // lhs given as [K, M] (contract dim 0): a transposed read through strides.
    const [M, K, N] = [17, 65, 3];
    const aT = ints(K * M, 7);
    const a = Array.from({ length: M * K }, (_, i) => aT[(i % K) * M + Math.floor(i / K)]!);
    const b = ints(K * N, 5);
    const got = await runPrim(
      be,
      'dot_general',
      [t(aT, [K, M], 'f16'), t(b, [K, N], 'f16')],
      { lhsContract: [0], rhsContract: [0], lhsBatch: [], rhsBatch: [] },
      { shape: [M, N], dtype: 'f16' },
    );
    expect(got).toEqual(matmulRef(a, b, 1, M, K, N));
  });

  it('accumulates in f32: 4096 products of 1 + 2^-10 sum without f16 stalls', async () => {
    const K = 4096;
    const x = 1 + 2 ** -10; // exact in f16
    const got = await runPrim(
      be,
      'dot_general',
      [t(new Array(K).fill(x), [1, K], 'f16'), t(new Array(K).fill(1), [K, 1], 'f16')],
      { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] },
      { shape: [1, 1], dtype: 'f16' },
    );
    // An f16 accumulator stalls at 2048 (its spacing there is 2); f32 gives 4100, exact in f16.
    expect(got).toEqual([4100]);
  });

  it('refuses other primitives on f16, naming the op', () => {
    const x = be.upload(new Float32Array([1, 2]), 'f16');
    try {
      expect(() =>
        be.run(
          'add',
          [x, x].map((buffer) => ({ buffer, shape: [2], dtype: 'f16' as const })),
          NONE,
          {
            shape: [2],
            dtype: 'f16',
          },
        ),
      ).toThrow(/webgpu add: f16 on WebGPU is storage for cast and dot_general/);
    } finally {
      be.dispose(x);
    }
  });
});
