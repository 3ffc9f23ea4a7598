/**
 * Known values of convolution and pooling on every backend (`describe.each` over
 * test/backends' backends, values read with `await t.data()` / `toNested`); bad-input cases,
 * which throw before any kernel runs, stay CPU-only at the end.
 */
import { describe, expect, it } from 'vitest';
import {
  backendsUnderTest,
  expectT,
  lcg,
  refConv2d,
  toNested,
  useBackend,
  values,
} from '../../test/backends/helpers.ts';
import {
  arange,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose2d,
  maxPool2d,
  neg,
  ones,
  reshape,
  ShapeError,
  type Tensor,
  tensor,
  vjp,
  zeros,
} from '../index.ts';

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 4): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, digits);
}
const noise = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => {
    const s = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    return 2 * (s - Math.floor(s)) - 1;
  });
const prod = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
/** x = arange(16).reshape(1, 1, 4, 4) */
const x44 = () => reshape(arange(0, 16, { step: 1, dtype: 'f32' }), [1, 1, 4, 4]);
const dyn = (t: Tensor) => t as unknown as Tensor<number[], 'f32'>;

interface NaiveOpts {
  stride: [number, number];
  pad: [[number, number], [number, number]];
  dil: [number, number];
  groups: number;
}
/** Cross-correlation by the definition (NCHW, OIHW), as PyTorch's conv2d. */
function naiveConv2d(x: Float32Array, xs: number[], w: Float32Array, ws: number[], o: NaiveOpts) {
  const [n, c, h, wd] = xs as [number, number, number, number];
  const [oc, icg, kh, kw] = ws as [number, number, number, number];
  const ocg = oc / o.groups;
  const oh = Math.floor((h + o.pad[0][0] + o.pad[0][1] - o.dil[0] * (kh - 1) - 1) / o.stride[0]) + 1;
  const ow = Math.floor((wd + o.pad[1][0] + o.pad[1][1] - o.dil[1] * (kw - 1) - 1) / o.stride[1]) + 1;
  const out = new Float32Array(n * oc * oh * ow);
  for (let b = 0; b < n; b++)
    for (let f = 0; f < oc; f++) {
      const g = Math.floor(f / ocg);
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let s = 0;
          for (let ci = 0; ci < icg; ci++)
            for (let u = 0; u < kh; u++)
              for (let v = 0; v < kw; v++) {
                const r = i * o.stride[0] - o.pad[0][0] + u * o.dil[0];
                const q = j * o.stride[1] - o.pad[1][0] + v * o.dil[1];
                if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                const chan = g * icg + ci;
                s += x[((b * c + chan) * h + r) * wd + q]! * w[((f * icg + ci) * kh + u) * kw + v]!;
              }
          out[((b * oc + f) * oh + i) * ow + j] = s;
        }
    }
  return { out, shape: [n, oc, oh, ow] };
}

const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('conv and pooling on $name', (backend) => {
  const it = useBackend(backend);

  describe('conv2d', () => {
    it('hand-worked 4x4 cases: valid, stride, padding, dilation', async () => {
      const w = ones([1, 1, 2, 2]);
      // Sums of 2x2 windows of arange(16).reshape(4, 4).
      expect(await values(conv2d(x44(), w))).toEqual([10, 14, 18, 26, 30, 34, 42, 46, 50]);
      expect(await values(conv2d(x44(), w, { stride: 2 }))).toEqual([10, 18, 42, 50]);
      // Dilation 2 reads taps (0,0), (0,2), (2,0), (2,2): 0 + 2 + 8 + 10 = 20.
      expect(await values(conv2d(x44(), w, { dilation: 2 }))).toEqual([20, 24, 36, 40]);
      // Padding [[1, 0], [0, 1]]: one row on top, one column on the right.
      const p = conv2d(x44(), w, {
        padding: [
          [1, 0],
          [0, 1],
        ],
      });
      expect(p.shape).toEqual([1, 1, 4, 4]);
      expect((await values(p)).slice(0, 4)).toEqual([1, 3, 5, 3]);
    });

    it("'same' pads as TensorFlow/JAX (extra at the end), 'valid' pads nothing", async () => {
      const w = ones([1, 1, 3, 3]);
      const s = conv2d(x44(), w, { padding: 'same' });
      expect(s.shape).toEqual([1, 1, 4, 4]);
      expect((await values(s)).slice(0, 4)).toEqual([10, 18, 24, 18]);
      // stride 2: out ceil(4 / 2) = 2, total padding 1, all at the end.
      const s2 = conv2d(x44(), w, { padding: 'same', stride: 2 });
      expect(await values(s2)).toEqual([45, 39, 66, 50]);
      expect(conv2d(x44(), w, { padding: 'valid' }).shape).toEqual([1, 1, 2, 2]);
    });

    it('agrees with a naive loop on stride/padding/dilation/groups combinations', async () => {
      const cases: { xs: number[]; ws: number[]; o: NaiveOpts }[] = [
        {
          xs: [2, 3, 7, 6],
          ws: [4, 3, 3, 2],
          o: {
            stride: [1, 1],
            pad: [
              [0, 0],
              [0, 0],
            ],
            dil: [1, 1],
            groups: 1,
          },
        },
        {
          xs: [1, 2, 8, 9],
          ws: [3, 2, 3, 3],
          o: {
            stride: [2, 3],
            pad: [
              [1, 2],
              [0, 1],
            ],
            dil: [1, 1],
            groups: 1,
          },
        },
        {
          xs: [2, 2, 9, 9],
          ws: [2, 2, 2, 3],
          o: {
            stride: [1, 2],
            pad: [
              [2, 2],
              [1, 1],
            ],
            dil: [3, 2],
            groups: 1,
          },
        },
        {
          xs: [1, 4, 5, 5],
          ws: [6, 2, 3, 3],
          o: {
            stride: [1, 1],
            pad: [
              [1, 1],
              [1, 1],
            ],
            dil: [1, 1],
            groups: 2,
          },
        },
        {
          xs: [2, 4, 6, 6],
          ws: [4, 1, 3, 3],
          o: {
            stride: [2, 2],
            pad: [
              [1, 1],
              [1, 1],
            ],
            dil: [1, 1],
            groups: 4,
          },
        },
      ];
      for (const [k, { xs, ws, o }] of cases.entries()) {
        const xv = noise(prod(xs), 2 * k);
        const wv = noise(prod(ws), 2 * k + 1);
        const y = conv2d(tensor(xv, xs), tensor(wv, ws), {
          stride: o.stride,
          padding: o.pad,
          dilation: o.dil,
          groups: o.groups,
        });
        const ref = naiveConv2d(xv, xs, wv, ws, o);
        expect(y.shape).toEqual(ref.shape);
        expectAllClose(await values(y), ref.out);
      }
    });
  });

  describe('on lcg data against a float64 reference (relative tolerance 1e-4)', () => {
    const f32 = (data: ArrayLike<number>, shape: number[]) =>
      tensor(Float32Array.from(data), shape) as Tensor<number[], 'f32'>;

    it('conv2d (stride, padding) and convTranspose2d', async () => {
      const xs = [2, 3, 7, 6] as const;
      const ws = [4, 3, 3, 3] as const;
      const xv = lcg(2 * 3 * 7 * 6, 11);
      const wv = lcg(4 * 3 * 3 * 3, 12);
      const x = f32(xv, [...xs]);
      const w = f32(wv, [...ws]);
      for (const [stride, padding] of [
        [1, 0],
        [1, 1],
        [2, 1],
      ] as const) {
        const ref = refConv2d(xv, xs, wv, ws, stride, padding);
        await expectT(conv2d(x, w, { stride, padding }), ref.shape, ref.data, 1e-4, 1e-5);
      }
      // convTranspose2d: x [1, 2, 3, 3], w [C_in 2, C_out 1, 2, 2], stride 2 -> [1, 1, 6, 6]
      const tx = lcg(18, 13);
      const tw = lcg(8, 14);
      const out = new Array(36).fill(0);
      for (let c = 0; c < 2; c++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++)
            for (let di = 0; di < 2; di++)
              for (let dj = 0; dj < 2; dj++)
                out[(i * 2 + di) * 6 + j * 2 + dj] += tx[c * 9 + i * 3 + j]! * tw[c * 4 + di * 2 + dj]!;
      await expectT(
        convTranspose2d(f32(tx, [1, 2, 3, 3]), f32(tw, [2, 1, 2, 2]), { stride: 2 }),
        [1, 1, 6, 6],
        out,
        1e-4,
        1e-5,
      );
    });
  });

  describe('conv1d', () => {
    it('cross-correlation with padding, stride, dilation', async () => {
      const x = tensor([[[1, 2, 3, 4, 5]]]);
      const w = tensor([[[1, 0, -1]]]);
      expect(await values(conv1d(x, w))).toEqual([-2, -2, -2]);
      expect(await values(conv1d(x, w, { padding: 'same' }))).toEqual([-2, -2, -2, -2, 4]);
      expect(await values(conv1d(x, w, { padding: 1, stride: 2 }))).toEqual([-2, -2, 4]);
      // taps i and i + 2 at i = 0, 2, 4
      expect(
        await values(
          conv1d(tensor([[[1, 2, 3, 4, 5, 6, 7]]]), tensor([[[1, 1]]]), { stride: 2, dilation: 2 }),
        ),
      ).toEqual([4, 8, 12]);
    });

    it('groups: each group sees only its channels', async () => {
      // channels [1,1,1] and [10,10,10]; weights [1] and [2] per group
      const x = tensor([
        [
          [1, 1, 1],
          [10, 10, 10],
        ],
      ]);
      const w = tensor([[[1]], [[2]]]);
      expect(await toNested(conv1d(x, w, { groups: 2 }))).toEqual([
        [
          [1, 1, 1],
          [20, 20, 20],
        ],
      ]);
    });
  });

  describe('convTranspose2d', () => {
    it('hand-worked: stride 1 is a full correlation with the flipped kernel; stride 2 tiles', async () => {
      const x = reshape(arange(1, 5, { step: 1, dtype: 'f32' }), [1, 1, 2, 2]);
      expect(await values(convTranspose2d(x, ones([1, 1, 2, 2])))).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
      const t = convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), { stride: 2 });
      expect(t.shape).toEqual([1, 1, 4, 4]);
      expect(await values(t)).toEqual(Array(16).fill(1));
    });

    it('equals the gradient of conv2d w.r.t. its input (checked with vjp)', async () => {
      const cases = [
        { xs: [2, 3, 5, 5], ws: [4, 3, 3, 3], stride: 1, padding: 0, dilation: 1, groups: 1 },
        { xs: [1, 2, 5, 5], ws: [3, 2, 3, 3], stride: 2, padding: 1, dilation: 1, groups: 1 },
        { xs: [1, 2, 6, 6], ws: [2, 2, 3, 3], stride: 2, padding: 0, dilation: 1, groups: 1 },
        { xs: [1, 1, 7, 7], ws: [2, 1, 2, 2], stride: 1, padding: 1, dilation: 2, groups: 1 },
        { xs: [1, 4, 5, 5], ws: [6, 2, 3, 3], stride: 2, padding: 1, dilation: 1, groups: 2 },
      ];
      for (const [k, c] of cases.entries()) {
        const opts = { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups };
        const x = tensor(noise(prod(c.xs), 3 * k), c.xs);
        const w = tensor(noise(prod(c.ws), 3 * k + 1), c.ws);
        const [y, pullback] = vjp((xx: Tensor) => conv2d(dyn(xx), dyn(w), opts) as Tensor, x);
        const ct = tensor(noise(y.size, 3 * k + 2), y.shape as number[]);
        const [dx] = pullback(ct);
        // outputPadding recovers the rows a strided conv2d dropped
        const h = c.xs[2]!;
        const k2 = c.ws[2]!;
        const oh = y.shape[2] as number;
        const outputPadding = h - ((oh - 1) * c.stride - 2 * c.padding + c.dilation * (k2 - 1) + 1);
        const t = convTranspose2d(ct, w, { ...opts, outputPadding });
        expect(t.shape).toEqual(c.xs);
        expectAllClose(await values(t), await values(dx));
      }
    });
  });

  describe('maxPool2d / avgPool2d', () => {
    it('non-overlapping 2x2 windows', async () => {
      const m = maxPool2d(x44(), { window: 2 });
      const a = avgPool2d(x44(), { window: 2 });
      expect([m.shape, a.shape]).toEqual([
        [1, 1, 2, 2],
        [1, 1, 2, 2],
      ]);
      expect(await values(m)).toEqual([5, 7, 13, 15]);
      expect(await values(a)).toEqual([2.5, 4.5, 10.5, 12.5]);
    });

    it('overlapping windows (window 3, stride 1)', async () => {
      const m = maxPool2d(x44(), { window: 3, stride: 1 });
      const a = avgPool2d(x44(), { window: 3, stride: 1 });
      expect([m.shape, a.shape]).toEqual([
        [1, 1, 2, 2],
        [1, 1, 2, 2],
      ]);
      expect(await values(m)).toEqual([10, 11, 14, 15]);
      expect(await values(a)).toEqual([5, 6, 9, 10]);
      expect(await values(maxPool2d(x44(), { window: [2, 3], stride: [2, 1] }))).toEqual([6, 7, 14, 15]);
    });

    it('padding: max pads with -inf, avg counts zeros (PyTorch count_include_pad)', async () => {
      const m = maxPool2d(neg(x44()), { window: 2, padding: 1 });
      expect(m.shape).toEqual([1, 1, 3, 3]);
      expect(await values(m)).toEqual([-0, -1, -3, -4, -5, -7, -12, -13, -15]);
      expect(await values(avgPool2d(ones([1, 1, 2, 2]), { window: 2, padding: 1 }))).toEqual([
        0.25, 0.25, 0.25, 0.25,
      ]);
      expect(await values(maxPool2d(x44(), { window: 3, stride: 2, padding: 'same' }))).toEqual([
        10, 11, 14, 15,
      ]);
      await expectT(
        maxPool2d(x44(), { window: 2, stride: 2, padding: 1 }),
        [1, 1, 3, 3],
        [0, 2, 3, 8, 10, 11, 12, 14, 15],
      );
    });

    it('pools [N, C, H, W] and, like conv2d, rejects other ranks', async () => {
      const p = maxPool2d(reshape(arange(0, 32, { step: 1, dtype: 'f32' }), [1, 2, 4, 4]), { window: 2 });
      expect(p.shape).toEqual([1, 2, 2, 2]);
      expect(await values(p)).toEqual([5, 7, 13, 15, 21, 23, 29, 31]);
      const chw = reshape(arange(0, 32, { step: 1, dtype: 'f32' }), [2, 4, 4]);
      // @ts-expect-error maxPool2d: input rank 3 and expected rank 4 differ
      expect(() => maxPool2d(chw, { window: 2 })).toThrow(
        'maxPool2d: input rank 3 and expected rank 4 differ',
      );
    });
  });
});

// Bad input: these throw before any kernel runs, so one backend covers them.
describe('conv2d: bad input', () => {
  it('throws the ShapeErrors the types show, and rejects bad options and dtypes', () => {
    const x = dyn(x44());
    expect(() => conv2d(x, dyn(ones([1, 2, 2, 2])))).toThrow(ShapeError);
    expect(() => conv2d(x, dyn(ones([1, 2, 2, 2])))).toThrow(
      'conv2d: input channels 1 and weight in-channels 2 differ',
    );
    expect(() => conv2d(x, dyn(ones([1, 1, 5, 5])))).toThrow(
      'conv2d: dilated kernel 5 exceeds padded input 4',
    );
    expect(() => conv2d(x, dyn(ones([1, 1, 2, 2])), { stride: -1 })).toThrow(
      'conv2d: stride -1 is not positive',
    );
    expect(() => conv2d(x, dyn(ones([1, 1, 2, 2])), { stride: 0 })).toThrow(
      'conv2d: stride 0 is not positive',
    );
    expect(() => conv2d(x, dyn(ones([1, 1, 2, 2])), { dilation: 0 })).toThrow(
      'conv2d: dilation 0 is not positive',
    );
    expect(() => conv2d(x, dyn(ones([1, 1, 2, 2])), { stride: [1, 1, 1] })).toThrow(
      'conv2d: stride length 3 and spatial rank 2 differ',
    );
    expect(() => conv2d(x, dyn(ones([1, 1, 2, 2])), { padding: -1 })).toThrow(
      'conv2d: padding -1 must be a non-negative integer',
    );
    expect(() => conv2d(dyn(ones([1, 3, 3, 3])), dyn(ones([2, 1, 1, 1])), { groups: 2 })).toThrow(
      'conv2d: input channels 3 not divisible by groups 2',
    );
    expect(() => conv2d(dyn(ones([1, 4, 3, 3])), dyn(ones([3, 2, 1, 1])), { groups: 2 })).toThrow(
      'conv2d: output channels 3 not divisible by groups 2',
    );
    expect(() => conv2d(dyn(ones([1, 3, 3])), dyn(ones([1, 1, 1, 1])))).toThrow(
      'conv2d: input rank 3 and expected rank 4 differ',
    );
    expect(() => conv2d(ones([1, 1, 3, 3], { dtype: 'i32' }), ones([1, 1, 1, 1], { dtype: 'i32' }))).toThrow(
      'conv2d: needs float tensors, got i32',
    );
    expect(() => conv2d(dyn(ones([1, 1, 3, 3])), ones([1, 1, 1, 1], { dtype: 'f64' }) as never)).toThrow(
      'conv2d: input dtype f32 and weight dtype f64 differ',
    );
  });
});

describe('conv1d: bad input', () => {
  it('bad input', () => {
    expect(() => conv1d(dyn(ones([1, 2, 5])), dyn(ones([1, 1, 3])))).toThrow(
      'conv1d: input channels 2 and weight in-channels 1 differ',
    );
    expect(() => conv1d(dyn(ones([1, 1, 2])), dyn(ones([1, 1, 3])))).toThrow(
      'conv1d: dilated kernel 3 exceeds padded input 2',
    );
    expect(() => conv1d(dyn(ones([1, 1, 5, 5])), dyn(ones([1, 1, 3])))).toThrow(
      'conv1d: input rank 4 and expected rank 3 differ',
    );
  });
});

describe('convTranspose2d: bad input', () => {
  it('bad input names the op and the values', () => {
    // @ts-expect-error: the shape types reject it too
    expect(() => convTranspose2d(ones([1, 2, 2, 2]), ones([1, 1, 2, 2]))).toThrow(
      'convTranspose2d: input channels 2 and weight in-channels 1 differ',
    );
    // @ts-expect-error: the shape types reject it too
    expect(() => convTranspose2d(ones([2, 2, 2]), ones([1, 1, 2, 2]))).toThrow(
      'convTranspose2d: input rank 3 and expected rank 4 differ',
    );
    expect(() =>
      // @ts-expect-error: the shape types reject it too
      convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 3, 3]), { stride: 2, outputPadding: 2 }),
    ).toThrow('convTranspose2d: outputPadding 2 must be smaller than stride 2 or dilation 1');
    // @ts-expect-error: the shape types reject it too
    expect(() => convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), { padding: 2 })).toThrow(
      'convTranspose2d: padding 2 exceeds the dilated kernel span 1',
    );
    // @ts-expect-error: the shape types reject it too
    expect(() => convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), { stride: -1 })).toThrow(
      'convTranspose2d: stride -1 is not positive',
    );
    // @ts-expect-error: the shape types reject it too
    expect(() => convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), { padding: -1 })).toThrow(
      'convTranspose2d: padding -1 must be a non-negative integer',
    );
    // @ts-expect-error: the shape types reject it too
    expect(() => convTranspose2d(ones([1, 3, 2, 2]), ones([3, 1, 2, 2]), { groups: 2 })).toThrow(
      'convTranspose2d: input channels 3 not divisible by groups 2',
    );
  });
});

describe('maxPool2d / avgPool2d: bad input', () => {
  it('bad input: window too big, zero stride, rank, option lengths, padding, dtype', () => {
    const x = dyn(x44());
    expect(() => maxPool2d(x, { window: 5 })).toThrow('maxPool2d: window 5 exceeds padded input 4');
    expect(() => avgPool2d(x, { window: 5 })).toThrow('avgPool2d: window 5 exceeds padded input 4');
    expect(() => maxPool2d(x, { window: 2, stride: 0 })).toThrow('maxPool2d: stride 0 is not positive');
    expect(() => maxPool2d(dyn(zeros([3])), { window: 2 })).toThrow(
      'maxPool2d: input rank 1 and expected rank 4 differ',
    );
    expect(() => maxPool2d(x, { window: [2, 2, 2] })).toThrow(
      'maxPool2d: window length 3 and spatial rank 2 differ',
    );
    expect(() => maxPool2d(x, { window: 2, padding: -1 })).toThrow(
      'maxPool2d: padding -1 must be a non-negative integer',
    );
    expect(() => maxPool2d(x, { window: 2, padding: 3 })).toThrow(
      'maxPool2d: padding [3, 3] must be between 0 and half the window 2',
    );
    expect(() => avgPool2d(ones([1, 1, 2, 2], { dtype: 'i32' }), { window: 2 })).toThrow(
      'avgPool2d: needs a float tensor, got i32',
    );
  });
});
