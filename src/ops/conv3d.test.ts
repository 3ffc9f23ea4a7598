/**
 * conv3d against a direct float64 loop (the definition of a cross-correlation, as PyTorch's
 * `F.conv3d`), with stride, padding, dilation and groups, on every backend; its gradient by
 * finite differences lives in property-tests/grad-parity.test.ts.
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, lcg, useBackend } from '../../test/backends/helpers.ts';
import { conv3d, tensor } from '../index.ts';

const BACKENDS = await backendsUnderTest();

/** out[n, o, z, y, x] = Σ_{c, i, j, k} x[n, g·C/G + c, z·s - p + i·d, …] · w[o, c, i, j, k]. */
function refConv3d(
  x: Float32Array,
  xs: readonly number[],
  w: Float32Array,
  ws: readonly number[],
  s: number,
  p: number,
  d: number,
  groups: number,
): { data: number[]; shape: number[] } {
  const [n, c, dd, hh, ww] = xs as [number, number, number, number, number];
  const [o, cg, kd, kh, kw] = ws as [number, number, number, number, number];
  const size = (len: number, k: number) => Math.floor((len + 2 * p - d * (k - 1) - 1) / s) + 1;
  const [od, oh, ow] = [size(dd, kd), size(hh, kh), size(ww, kw)];
  const og = o / groups;
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++)
      for (let z = 0; z < od; z++)
        for (let y = 0; y < oh; y++)
          for (let q = 0; q < ow; q++) {
            let acc = 0;
            const g = Math.floor(oc / og);
            for (let ci = 0; ci < cg; ci++)
              for (let i = 0; i < kd; i++)
                for (let j = 0; j < kh; j++)
                  for (let k = 0; k < kw; k++) {
                    const zi = z * s - p + i * d;
                    const yi = y * s - p + j * d;
                    const xi = q * s - p + k * d;
                    if (zi < 0 || zi >= dd || yi < 0 || yi >= hh || xi < 0 || xi >= ww) continue;
                    const ch = g * cg + ci;
                    acc +=
                      x[(((b * c + ch) * dd + zi) * hh + yi) * ww + xi]! *
                      w[(((oc * cg + ci) * kd + i) * kh + j) * kw + k]!;
                  }
            out.push(acc);
          }
  return { data: out, shape: [n, o, od, oh, ow] };
}

describe.each(BACKENDS)('conv3d on $name', (backend) => {
  const it = useBackend(backend);

  it('matches the direct loop: stride 2, padding 1, dilation 1 and 2, groups 2', async () => {
    const xs = [2, 4, 5, 4, 6] as const;
    const ws = [6, 2, 3, 2, 3] as const;
    const xd = lcg(2 * 4 * 5 * 4 * 6, 7);
    const wd = lcg(6 * 2 * 3 * 2 * 3, 8);
    for (const [s, p, d] of [
      [1, 0, 1],
      [2, 1, 1],
      [1, 2, 2],
    ] as const) {
      const want = refConv3d(xd, xs, wd, ws, s, p, d, 2);
      const y = conv3d(tensor(xd, [...xs]), tensor(wd, [...ws]), {
        stride: s,
        padding: p,
        dilation: d,
        groups: 2,
      });
      await expectT(y, want.shape, want.data, 1e-4, 1e-5);
    }
  });
});

describe('conv3d: bad input (CPU)', () => {
  cpuIt('a channel mismatch names conv3d', () => {
    const x = tensor(new Float32Array(2 * 3 * 2 * 2 * 2), [2, 3, 2, 2, 2]);
    const w = tensor(new Float32Array(4 * 2 * 1 * 1 * 1), [4, 2, 1, 1, 1]);
    expect(() => conv3d(x, w as never)).toThrow('conv3d: input channels 3 and weight in-channels 2 differ');
  });
});
