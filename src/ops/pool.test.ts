/**
 * Pooling on every backend. Known values and gradients come from PyTorch 1.13 itself
 * (`scripts/fixtures/pool.py` writes `fixtures/pool.json`: its inputs hold small integers,
 * so windows have tied maxima and the first-maximum gradient rule is pinned); the rest are
 * hand-worked from PyTorch's documented formulas (nn.MaxPool2d / nn.AvgPool2d: output size
 * floor or ceil of (in + 2p - d(k-1) - 1) / s + 1, a ceil-mode window must start inside the
 * input or the left padding; AdaptiveAvgPool2d windows [floor(i n / o), ceil((i + 1) n / o))).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendsUnderTest, useBackend, values } from '../../test/backends/helpers.ts';
import * as tg from '../index.ts';
import { arange, max, maxPool2d, reshape, sum, type Tensor, tensor, vjp } from '../index.ts';

interface Fixture {
  op: string;
  opts: unknown;
  shape: number[];
  x: number[];
  outShape: number[];
  y: number[];
  grad: number[];
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/pool.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Fixture[];
};

type Pool = (x: Tensor, opts: unknown) => Tensor;
const OPS = tg as unknown as Record<string, Pool>;

function expectClose(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 5);
}

const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('pooling on $name', (backend) => {
  const it = useBackend(backend);

  describe(`PyTorch ${fixtures.torch} known values and gradients`, () => {
    for (const [i, c] of fixtures.cases.entries()) {
      it(`${i}: ${c.op} ${JSON.stringify(c.opts)} on [${c.shape}]`, async () => {
        const x = tensor(Float32Array.from(c.x), c.shape);
        const ct = tensor(
          Float32Array.from(c.y, (_, k) => k + 1),
          c.outShape,
        );
        const [y, pullback] = vjp((t: Tensor) => OPS[c.op]!(t, c.opts), x);
        expect(y.shape).toEqual(c.outShape);
        expectClose(await values(y), c.y);
        const [g] = pullback(ct) as unknown as [Tensor];
        expectClose(await values(g), c.grad);
      });
    }
  });

  it('max pooling sends the whole gradient to the first maximum; max without indices splits ties', async () => {
    const x = tensor(Float32Array.of(1, 3, 3, 0), [1, 1, 2, 2]);
    const [, pool] = vjp((t: Tensor) => maxPool2d(t, { window: 2 }), x);
    expect(await values(pool(tensor(Float32Array.of(1), [1, 1, 1, 1]) as never)[0] as never)).toEqual([
      0, 1, 0, 0,
    ]);
    const [, red] = vjp((t: Tensor) => max(t), x);
    expect(await values(red(tensor(1) as never)[0] as never)).toEqual([0, 0.5, 0.5, 0]);
  });

  it('a window of -inf and NaN: NaN wins (PyTorch), -inf windows pick their first element', async () => {
    const x = tensor(
      Float32Array.of(
        Number.NEGATIVE_INFINITY,
        Number.NaN,
        2,
        5,
        Number.NEGATIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
      ),
      [1, 1, 6],
    );
    const y = await values(tg.maxPool1d(x, { window: 2 }));
    expect(Number.isNaN(y[0]!)).toBe(true);
    expect([y[1], y[2]]).toEqual([5, Number.NEGATIVE_INFINITY]);
    const [, pb] = vjp((t: Tensor) => tg.maxPool1d(t, { window: 2 }), x);
    expect(await values(pb(tensor(Float32Array.of(1, 2, 3), [1, 1, 3]) as never)[0] as never)).toEqual([
      0, 1, 0, 2, 3, 0,
    ]);
  });

  it('ceilMode keeps a last partial window; dilation spaces the taps (hand-worked)', async () => {
    const x = reshape(arange(0, 25, { dtype: 'f32' }), [1, 1, 5, 5]);
    // floor((5 - 2) / 2) + 1 = 2 windows without ceilMode, ceil(3 / 2) + 1 = 3 with it.
    expect(maxPool2d(x, { window: 2 }).shape).toEqual([1, 1, 2, 2]);
    const c = maxPool2d(x, { window: 2, ceilMode: true });
    expect(c.shape).toEqual([1, 1, 3, 3]);
    expect(await values(c)).toEqual([6, 8, 9, 16, 18, 19, 21, 23, 24]);
    // Dilation 2, window 2: taps (r, c), (r, c + 2), (r + 2, c), (r + 2, c + 2).
    expect(await values(maxPool2d(x, { window: 2, stride: 1, dilation: 2 }))).toEqual([
      12, 13, 14, 17, 18, 19, 22, 23, 24,
    ]);
    // avg: the overhanging window divides by its part inside input + padding (here 2 or 1 taps).
    expect(await values(tg.avgPool2d(x, { window: 2, ceilMode: true }))).toEqual([
      3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24,
    ]);
  });

  it('adaptive pooling: [1, 1] is the global average / max', async () => {
    const x = reshape(arange(0, 12, { dtype: 'f32' }), [1, 2, 2, 3]);
    expect(await values(tg.adaptiveAvgPool2d(x, [1, 1]))).toEqual([2.5, 8.5]);
    expect(await values(tg.adaptiveMaxPool2d(x, 1))).toEqual([5, 11]);
    expect(await values(sum(tg.adaptiveAvgPool2d(x, [2, 3])))).toEqual([66]);
  });
});

describe('pooling: bad options', () => {
  const x = tensor(new Float32Array(16), [1, 1, 4, 4]);
  it('rejects unknown keys naming the op and the key', () => {
    expect(() => maxPool2d(x, { window: 2, strides: 2 } as never)).toThrow(
      "maxPool2d: unknown option 'strides'",
    );
    expect(() => tg.avgPool2d(x, { window: 2, dilation: 2 } as never)).toThrow(
      "avgPool2d: unknown option 'dilation'",
    );
    expect(() =>
      tg.avgPool1d(tensor(new Float32Array(4), [1, 4]), { window: 2, countIncludePads: false } as never),
    ).toThrow("avgPool1d: unknown option 'countIncludePads'");
  });
  it('checks the output size', () => {
    expect(() => tg.adaptiveAvgPool2d(x, [0, 2] as never)).toThrow(
      'adaptiveAvgPool2d: output size 0 is not a positive integer',
    );
    expect(() => tg.adaptiveMaxPool2d(x, [1, 2, 3] as never)).toThrow(
      'adaptiveMaxPool2d: output size length 3 and spatial rank 2 differ',
    );
    expect(() => tg.maxPool3d(tensor(new Float32Array(4), [2, 2]), { window: 2 } as never)).toThrow(
      'maxPool3d: input rank 2 and expected rank 5 differ',
    );
  });
});
