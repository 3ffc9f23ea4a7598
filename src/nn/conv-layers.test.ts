/**
 * nn.conv1d, nn.conv3d and nn.convTranspose2d: init shapes (PyTorch's layouts) and the layer
 * equal to the op plus a bias per output channel, on every backend.
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, lcg, useBackend } from '../../test/backends/helpers.ts';
import type { Tensor } from '../index.ts';
import { conv1d, conv3d, convTranspose2d, nn, random, tensor } from '../index.ts';

const BACKENDS = await backendsUnderTest();
const rand = <const S extends number[]>(shape: S, seed: number) =>
  tensor(
    lcg(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  ) as unknown as Tensor<S, 'f32'>;

/** y + b per channel (axis 1), on host values. */
async function plusBias(y: Tensor, b: number[]): Promise<number[]> {
  const v = Array.from((await y.data()) as Float32Array);
  const per = (y.shape as number[]).slice(2).reduce((a, c) => a * c, 1);
  const ch = y.shape[1] as number;
  return v.map((x, i) => x + b[Math.floor(i / per) % ch]!);
}

describe.each(BACKENDS)('conv layers on $name', (backend) => {
  const it = useBackend(backend);

  it('conv1d: w [out, in/groups, k], y = conv1d(x, w) + b', async () => {
    const p = nn.conv1d.init(random.key(1), {
      in: 4,
      out: 6,
      kernel: 3,
      groups: 2,
      biasInit: () => rand([6], 9) as never,
    });
    expect(p.w.shape).toEqual([6, 2, 3]);
    const x = rand([2, 4, 7], 2);
    const y = nn.conv1d(p, x, { padding: 1, groups: 2 });
    const want = await plusBias(
      conv1d(x, p.w as never, { padding: 1, groups: 2 }),
      Array.from(await p.b.data()),
    );
    await expectT(y, [2, 6, 7], want);
  });

  it('conv3d: w [out, in, kD, kH, kW], y = conv3d(x, w) + b', async () => {
    const p = nn.conv3d.init(random.key(2), {
      in: 2,
      out: 3,
      kernel: [2, 3, 2],
      biasInit: () => rand([3], 8) as never,
    });
    expect(p.w.shape).toEqual([3, 2, 2, 3, 2]);
    const x = rand([1, 2, 4, 5, 3], 3);
    const y = nn.conv3d(p, x, { stride: 2 });
    const want = await plusBias(conv3d(x, p.w as never, { stride: 2 }), Array.from(await p.b.data()));
    await expectT(y, [1, 3, 2, 2, 1], want);
  });

  it('convTranspose2d: w [in, out/groups, kH, kW], y = convTranspose2d(x, w) + b', async () => {
    const p = nn.convTranspose2d.init(random.key(3), {
      in: 4,
      out: 3,
      kernel: 2,
      biasInit: () => rand([3], 7) as never,
    });
    expect(p.w.shape).toEqual([4, 3, 2, 2]);
    const x = rand([1, 4, 3, 3], 4);
    const y = nn.convTranspose2d(p, x, { stride: 2 });
    const want = await plusBias(
      convTranspose2d(x, p.w as never, { stride: 2 }),
      Array.from(await p.b.data()),
    );
    await expectT(y, [1, 3, 6, 6], want);
  });
});

describe('conv layers: bad config (CPU)', () => {
  cpuIt('names the layer and the value', () => {
    expect(() => nn.conv3d.init(random.key(0), { in: 2, out: 3, kernel: [2, 2] as never })).toThrow(
      'nn.conv3d.init: kernel must be a positive integer or 3 of them, got [2,2]',
    );
    expect(() => nn.conv1d.init(random.key(0), { in: 3, out: 4, kernel: 3, groups: 2 })).toThrow(
      'nn.conv1d.init: in 3 and out 4 must be divisible by groups 2',
    );
  });
});
