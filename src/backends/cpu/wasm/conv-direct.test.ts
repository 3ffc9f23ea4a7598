import { describe, expect, it } from 'vitest';
import { lcg } from '../../../../test/lcg.ts';
import type { PrimParams } from '../../../core/primitives.ts';
import { convGeneral } from '../conv.ts';
import { directPays } from './conv-direct.ts';

type ConvParams = PrimParams['conv_general'];

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function params(pad: [number, number][], rhsDilation = [1, 1], groups = 1): ConvParams {
  return { strides: [1, 1], padding: pad, lhsDilation: [1, 1], rhsDilation, groups };
}

// [lhs shape, rhs shape, params]: all stride 1, 2-D, so the wasm engine takes convDirect
const cases: [number[], number[], ConvParams][] = [
  // one input channel, 3×3 (the thin-K benchmark shape) and LeNet's first layer
  [
    [2, 1, 28, 28],
    [16, 1, 3, 3],
    params([
      [1, 1],
      [1, 1],
    ]),
  ],
  [
    [2, 1, 28, 28],
    [6, 1, 5, 5],
    params([
      [2, 2],
      [2, 2],
    ]),
  ],
  // LeNet's second layer and its input gradient (a full convolution, padding 4)
  [
    [2, 6, 14, 14],
    [16, 6, 5, 5],
    params([
      [0, 0],
      [0, 0],
    ]),
  ],
  [
    [2, 16, 10, 10],
    [6, 16, 5, 5],
    params([
      [4, 4],
      [4, 4],
    ]),
  ],
  // a weight-gradient shape (LeNet's, batch and channels swapped): a window longer than the output
  [
    [3, 16, 12, 12],
    [4, 16, 8, 8],
    params([
      [0, 0],
      [0, 0],
    ]),
  ],
  // groups, window dilation, uneven padding, one output channel and odd widths
  [
    [2, 4, 9, 8],
    [6, 2, 3, 2],
    params(
      [
        [2, 1],
        [3, 0],
      ],
      [2, 3],
      2,
    ),
  ],
  // over 288 taps on rows of whole 8-column runs: channels in chunks (19 + 18; per group 17 + 16)
  [
    [2, 37, 5, 8],
    [6, 37, 3, 3],
    params([
      [1, 1],
      [1, 1],
    ]),
  ],
  [
    [1, 66, 4, 16],
    [4, 33, 3, 3],
    params(
      [
        [1, 1],
        [1, 1],
      ],
      [1, 1],
      2,
    ),
  ],
  // output channels past the last whole 4-channel sliver, a ragged last 8-column run
  [
    [2, 2, 11, 13],
    [9, 2, 3, 3],
    params([
      [1, 1],
      [1, 1],
    ]),
  ],
  [
    [1, 3, 7, 5],
    [1, 3, 3, 3],
    params([
      [1, 1],
      [1, 1],
    ]),
  ],
  // weight gradients with 3×3 and 1×2 outputs (tutorial 8's shapes, scaled down): rows of 8
  // columns for 3 or 2, one chunk of all the channels
  [
    [3, 16, 7, 7],
    [5, 16, 7, 7],
    params([
      [1, 1],
      [1, 1],
    ]),
  ],
  [
    [2, 40, 6, 9],
    [6, 40, 6, 8],
    params([
      [0, 0],
      [0, 0],
    ]),
  ],
];

describe('convDirect (the wasm engine, stride-1 2-D f32 convolutions)', () => {
  it.each(cases)('lhs %j rhs %j matches the f64 convolution within f32 rounding', (xs, ws, p) => {
    const x = lcg(size(xs), 5);
    const w = lcg(size(ws), 6);
    const outH = xs[2]! + p.padding[0]![0] + p.padding[0]![1] - (ws[2]! - 1) * p.rhsDilation[0]!;
    const outW = xs[3]! + p.padding[1]![0] + p.padding[1]![1] - (ws[3]! - 1) * p.rhsDilation[1]!;
    const outShape = [xs[0]!, ws[0]!, outH, outW];
    const [N, C, ,] = xs as [number, number, number, number];
    const G = p.groups;
    const z = {
      N,
      C,
      O: ws[0]!,
      G,
      Cg: C / G,
      Og: ws[0]! / G,
      S: xs[2]! * xs[3]!,
      P: outH * outW,
      W: ws[2]! * ws[3]!,
    };
    expect(
      directPays(z, {
        inH: xs[2]!,
        inW: xs[3]!,
        outH,
        outW,
        kh: ws[2]!,
        kw: ws[3]!,
        dilH: p.rhsDilation[0]!,
        dilW: p.rhsDilation[1]!,
        padTop: p.padding[0]![0],
        padLeft: p.padding[1]![0],
      }),
    ).toBe(true);
    const want = new Float64Array(size(outShape));
    convGeneral(Float64Array.from(x), xs, Float64Array.from(w), ws, p, want, outShape, 'f64');
    const got = new Float32Array(size(outShape));
    convGeneral(x, xs, w, ws, p, got, outShape, 'f32', 'wasm');
    // f32 accumulation over K = Cg·kh·kw taps of values in [-1, 1)
    const K = ws[1]! * ws[2]! * ws[3]!;
    let err = 0;
    for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
    expect(err).toBeLessThan(K * 2 ** -23);
    expect(got.some((v) => v !== 0)).toBe(true);
  });

  it('declines negative padding, padded rows over twice the output (unless a weight gradient) and over 64 MiB', () => {
    const geo = { inH: 8, inW: 8, outH: 8, outW: 8, kh: 3, kw: 3, dilH: 1, dilW: 1, padTop: 1, padLeft: 1 };
    const z = { N: 1, C: 1, O: 1, G: 1, Cg: 1, Og: 1, S: 64, P: 64, W: 9 };
    expect(directPays(z, geo)).toBe(true);
    expect(directPays(z, { ...geo, padLeft: -1 })).toBe(false);
    expect(directPays(z, { ...geo, outW: 3, kw: 3, inW: 3 })).toBe(false);
    // a window wider than the output: a weight gradient, whose alternative is slower
    expect(directPays(z, { ...geo, outW: 2, kw: 9, inW: 8 })).toBe(true);
    // a weight gradient whose packed output-gradient operand alone is 6 · 2^22 floats (96 MiB)
    const big = { ...z, Cg: 2 ** 16, C: 2 ** 16, O: 6, Og: 6, W: 64 };
    const wide = { ...geo, kh: 8, kw: 8, inH: 15, inW: 15, padTop: 0, padLeft: 0 };
    expect(directPays({ ...big, Cg: 16, C: 16 }, wide)).toBe(true);
    expect(directPays(big, wide)).toBe(false);
  });
});
