import { describe, expect, it } from 'vitest';
import type { PrimParams } from '../../../core/primitives.ts';
import { convGeneral } from '../conv.ts';
import { naiveConv } from '../reference.ts';

type ConvParams = PrimParams['conv_general'];

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Small integers, so every f32 sum is exact and the product must equal the f64 reference. */
function ints(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((i * 7 + seed * 13) % 11) - 5);
}

function params(stride: number, pad: number, groups = 1): ConvParams {
  return {
    strides: [stride, stride],
    padding: [
      [pad, pad],
      [pad, pad],
    ],
    lhsDilation: [1, 1],
    rhsDilation: [1, 1],
    groups,
  };
}

describe('convPacked (im2col gathered into the SIMD GEMM panels)', () => {
  // outputs of 3×3 and 4×4 positions: most 8-column slivers span two or three images, some
  // taps fall on padding, and the last sliver is partial
  const cases: [string, number[], number[], ConvParams][] = [
    ['3×3 maps, padding 1', [5, 3, 3, 3], [4, 3, 3, 3], params(1, 1)],
    ['groups 2', [3, 4, 3, 3], [6, 2, 3, 3], params(1, 1, 2)],
    ['stride 2 over 7×7', [3, 2, 7, 7], [5, 2, 3, 3], params(2, 1)],
    ['one image, 1×1 output', [1, 3, 3, 3], [2, 3, 3, 3], params(1, 0)],
    // a weight gradient's shape: the window (6×6) longer than the output (3×3)
    ['window over a smaller output', [3, 4, 6, 6], [5, 4, 6, 6], params(1, 1)],
    // 32² positions × 9 taps: too many sliver starts to tabulate, so each table is built on the spot
    ['stride 2 over 64×64', [2, 1, 64, 64], [2, 1, 3, 3], params(2, 1)],
  ];
  for (const [what, xShape, wShape, p] of cases) {
    it(`equals the direct definition exactly: ${what}`, () => {
      const x = ints(size(xShape), 1);
      const w = ints(size(wShape), 2);
      const want = naiveConv(x, xShape, w, wShape, p);
      const out = new Float32Array(size(want.shape));
      convGeneral(x, xShape, w, wShape, p, out, want.shape, 'f32', 'wasm');
      expect(Array.from(out)).toEqual(want.data);
    });
  }
});
