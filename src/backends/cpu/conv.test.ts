import { describe, expect, it } from 'vitest';
import type { PrimParams } from '../../core/primitives.ts';
import { naiveConv } from './reference.ts';
import { run } from './test-helpers.ts';

type ConvParams = PrimParams['conv_general'];

function conv1d(p: Partial<ConvParams>): ConvParams {
  return { strides: [1], padding: [[0, 0]], lhsDilation: [1], rhsDilation: [1], groups: 1, ...p };
}

// x = [1,2,3,4,5] as [N=1, C=1, 5]; w = [1,10,100] as [O=1, C=1, 3]: out[o] = Σ_k x[o·s + k·d - lo]·w[k]
const x = { data: [1, 2, 3, 4, 5], shape: [1, 1, 5] };
const w = { data: [1, 10, 100], shape: [1, 1, 3] };
const c1 = (p: Partial<ConvParams>, n: number) => run('conv_general', [x, w], conv1d(p), [1, 1, n]);

describe('conv_general 1-d (hand-computed)', () => {
  it('valid', () => {
    expect(c1({}, 3)).toEqual([321, 432, 543]);
  });
  it('padding', () => {
    expect(c1({ padding: [[1, 1]] }, 5)).toEqual([210, 321, 432, 543, 54]);
    expect(c1({ padding: [[2, 0]] }, 5)).toEqual([100, 210, 321, 432, 543]);
  });
  it('negative padding crops', () => {
    expect(c1({ padding: [[-1, 0]] }, 2)).toEqual([432, 543]);
    expect(c1({ padding: [[-1, -1]] }, 1)).toEqual([432]);
  });
  it('stride', () => {
    expect(c1({ strides: [2] }, 2)).toEqual([321, 543]);
    expect(c1({ strides: [3], padding: [[1, 1]] }, 2)).toEqual([210, 543]);
  });
  it('rhs (window) dilation', () => {
    expect(c1({ rhsDilation: [2] }, 1)).toEqual([531]);
  });
  it('lhs (input) dilation: the transposed convolution', () => {
    // dilated x = [1,0,2,0,3,0,4,0,5]
    expect(c1({ lhsDilation: [2] }, 7)).toEqual([201, 20, 302, 30, 403, 40, 504]);
    expect(c1({ lhsDilation: [2], padding: [[2, 2]] }, 11)).toEqual([
      100, 10, 201, 20, 302, 30, 403, 40, 504, 50, 5,
    ]);
  });
  it('empty output when the window is larger than the input', () => {
    expect(
      run('conv_general', [x, { data: new Array(6).fill(1), shape: [1, 1, 6] }], conv1d({}), [1, 1, 0]),
    ).toEqual([]);
  });
});

describe('conv_general channels and groups (hand-computed)', () => {
  it('sums over input channels and produces each output channel', () => {
    // x: c0 = [1,2], c1 = [3,4]; w: o0 = (1, 10), o1 = (-1, 0) per channel, window 1
    const xs = { data: [1, 2, 3, 4], shape: [1, 2, 2] };
    const ws = { data: [1, 10, -1, 0], shape: [2, 2, 1] };
    expect(run('conv_general', [xs, ws], conv1d({}), [1, 2, 2])).toEqual([31, 42, -1, -2]);
  });
  it('groups split channels', () => {
    // 2 groups: o0 sees c0 only (×2), o1 sees c1 only (×3)
    const xs = { data: [1, 2, 3, 4, 5, 6], shape: [1, 2, 3] };
    const ws = { data: [2, 3], shape: [2, 1, 1] };
    expect(run('conv_general', [xs, ws], conv1d({ groups: 2 }), [1, 2, 3])).toEqual([2, 4, 6, 12, 15, 18]);
  });
  it('batches', () => {
    const xs = { data: [1, 2, 3, 10, 20, 30], shape: [2, 1, 3] };
    const ws = { data: [1, 1], shape: [1, 1, 2] };
    expect(run('conv_general', [xs, ws], conv1d({}), [2, 1, 2])).toEqual([3, 5, 30, 50]);
  });
});

describe('conv_general 2-d and 3-d (hand-computed)', () => {
  const p2: ConvParams = {
    strides: [1, 1],
    padding: [
      [0, 0],
      [0, 0],
    ],
    lhsDilation: [1, 1],
    rhsDilation: [1, 1],
    groups: 1,
  };
  // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2],[3,4]]
  const x2 = { data: [1, 2, 3, 4, 5, 6, 7, 8, 9], shape: [1, 1, 3, 3] };
  const w2 = { data: [1, 2, 3, 4], shape: [1, 1, 2, 2] };
  it('valid 2-d', () => {
    expect(run('conv_general', [x2, w2], p2, [1, 1, 2, 2])).toEqual([37, 47, 67, 77]);
  });
  it('padded, strided 2-d', () => {
    const p: ConvParams = {
      ...p2,
      strides: [2, 2],
      padding: [
        [1, 0],
        [1, 0],
      ],
    };
    // padded x: row -1 and col -1 are zero; out[0,0] = 4·1, out[0,1] = 3·2 + 4·3 ... out at (oy,ox): taps (2oy-1+ky, 2ox-1+kx)
    // (0,0): only x[0][0]·4 = 4; (0,1): x[0][1]·3 + x[0][2]·4 = 6 + 12 = 18
    // (1,0): x[1][0]·2 + x[2][0]·4 = 8 + 28 = 36; (1,1): x[1][1]·1 + x[1][2]·2 + x[2][1]·3 + x[2][2]·4 = 5+12+24+36 = 77
    expect(run('conv_general', [x2, w2], p, [1, 1, 2, 2])).toEqual([4, 18, 36, 77]);
  });
  it('3-d', () => {
    const x3 = { data: [1, 2, 3, 4, 5, 6, 7, 8], shape: [1, 1, 2, 2, 2] };
    const w3 = { data: new Array(8).fill(1), shape: [1, 1, 2, 2, 2] };
    const p3: ConvParams = {
      strides: [1, 1, 1],
      padding: [
        [0, 0],
        [0, 0],
        [0, 1],
      ],
      lhsDilation: [1, 1, 1],
      rhsDilation: [1, 1, 1],
      groups: 1,
    };
    // last axis padded by one zero on the right: out [..., 1, 1, 2] = [36, 2+4+6+8]
    expect(run('conv_general', [x3, w3], p3, [1, 1, 1, 1, 2])).toEqual([36, 20]);
  });
  it('rejects a wrong output size', () => {
    expect(() => run('conv_general', [x2, w2], p2, [1, 1, 3, 3])).toThrow(/conv_general: output size 3/);
  });
});

describe('conv_general agrees with the definition', () => {
  const p2d = (pad: number): ConvParams => ({
    strides: [1, 1],
    padding: [
      [pad, pad],
      [pad, pad],
    ],
    lhsDilation: [1, 1],
    rhsDilation: [1, 1],
    groups: 1,
  });
  function lcg(n: number, seed: number): number[] {
    let s = seed;
    return Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s % 17) - 8;
    });
  }
  const cases: [number[], number[], ConvParams][] = [
    [
      [2, 4, 7, 6],
      [6, 2, 3, 2],
      {
        strides: [2, 1],
        padding: [
          [1, -1],
          [2, 0],
        ],
        lhsDilation: [1, 2],
        rhsDilation: [2, 1],
        groups: 2,
      },
    ],
    [
      [1, 3, 5],
      [3, 1, 2],
      { strides: [1], padding: [[-1, 3]], lhsDilation: [3], rhsDilation: [2], groups: 3 },
    ],
    [
      [2, 2, 3, 4, 3],
      [2, 2, 2, 1, 2],
      {
        strides: [1, 2, 1],
        padding: [
          [0, 1],
          [1, 1],
          [-1, 0],
        ],
        lhsDilation: [1, 1, 2],
        rhsDilation: [2, 1, 1],
        groups: 1,
      },
    ],
    // LeNet's first layer: 6 output channels (a 4-row and a 2-row gemm sliver)
    [[2, 1, 12, 12], [6, 1, 5, 5], p2d(0)],
    // a weight-gradient shape: window larger than the output (transposed columns, blocked gemm)
    [[1, 4, 12, 12], [6, 4, 10, 10], p2d(0)],
    // columns built a few channels at a time (transposed, and not)
    [[1, 40, 30, 30], [2, 40, 26, 26], p2d(0)],
    [[1, 6, 40, 40], [3, 6, 5, 5], p2d(2)],
    // an input-gradient shape: full padding
    [[2, 3, 6, 6], [5, 3, 3, 3], p2d(2)],
    // input gradients, computed by scattering (output much larger than the input): LeNet's
    // second layer (pad 4, blocked gemm), and with groups, window dilation, uneven padding
    [[2, 16, 10, 10], [6, 16, 5, 5], p2d(4)],
    [
      [2, 4, 5, 4],
      [6, 2, 3, 2],
      {
        strides: [1, 1],
        padding: [
          [4, 2],
          [3, 1],
        ],
        lhsDilation: [1, 1],
        rhsDilation: [2, 3],
        groups: 2,
      },
    ],
    [
      [1, 2, 4],
      [3, 2, 4],
      { strides: [1], padding: [[5, 3]], lhsDilation: [1], rhsDilation: [1], groups: 1 },
    ],
    [
      [1, 2, 2, 3, 2],
      [2, 2, 2, 3, 2],
      {
        strides: [1, 1, 1],
        padding: [
          [1, 1],
          [2, 2],
          [1, 1],
        ],
        lhsDilation: [1, 1, 1],
        rhsDilation: [1, 1, 1],
        groups: 1,
      },
    ],
    // a LeNet-sized layer: 6 → 16 channels, 5×5 window, 12×12 input (blocked gemm path)
    [
      [2, 6, 12, 12],
      [16, 6, 5, 5],
      {
        strides: [1, 1],
        padding: [
          [0, 0],
          [0, 0],
        ],
        lhsDilation: [1, 1],
        rhsDilation: [1, 1],
        groups: 1,
      },
    ],
  ];
  it.each(cases)('lhs %j rhs %j', (xShape, wShape, p) => {
    const xd = lcg(
      xShape.reduce((a, b) => a * b, 1),
      3,
    );
    const wd = lcg(
      wShape.reduce((a, b) => a * b, 1),
      4,
    );
    const ref = naiveConv(xd, xShape, wd, wShape, p);
    const got = run(
      'conv_general',
      [
        { data: xd, shape: xShape, dtype: 'f64' },
        { data: wd, shape: wShape, dtype: 'f64' },
      ],
      p,
      ref.shape,
      'f64',
    );
    expect(got).toEqual(ref.data);
  });

  // f32 on the wasm engine: a weight gradient whose im2col columns are rebuilt image after
  // image in one scratch buffer of the same layout (as in tutorial 8's first conv); small integers,
  // so every sum is exact in f32
  it('f32 weight gradient whose columns are rebuilt per image (one reused scratch)', () => {
    const [xShape, wShape, p] = [[4, 16, 14, 14], [8, 16, 14, 14], p2d(1)] as const;
    const xd = lcg(4 * 16 * 196, 5);
    const wd = lcg(8 * 16 * 196, 6);
    const ref = naiveConv(xd, [...xShape], wd, [...wShape], p);
    const got = run(
      'conv_general',
      [
        { data: xd, shape: [...xShape] },
        { data: wd, shape: [...wShape] },
      ],
      p,
      ref.shape,
    );
    expect(got).toEqual(ref.data);
  });
});
