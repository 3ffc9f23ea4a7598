/**
 * convTranspose1d and convTranspose3d are the adjoints of conv1d / conv3d (PyTorch's
 * definition: the gradient of the convolution w.r.t. its input, weight [C_in, C_out/groups, k…]),
 * checked against `vjp` of the convolution on every backend.
 */
import { describe } from 'vitest';
import { backendsUnderTest, expectT, lcg, useBackend } from '../../test/backends/helpers.ts';
import type { Tensor } from '../index.ts';
import { conv1d, conv3d, convTranspose1d, convTranspose3d, tensor, vjp } from '../index.ts';

const BACKENDS = await backendsUnderTest();
type T = Tensor<number[], 'f32'>;
const rand = (shape: number[], seed: number) =>
  tensor(
    lcg(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  ) as T;

describe.each(BACKENDS)('transposed convolutions on $name', (backend) => {
  const it = useBackend(backend);

  it('convTranspose1d(y, w) = d/dx <conv1d(x, w), y>, stride 2, padding 1, groups 2', async () => {
    const x = rand([2, 4, 9], 1);
    const w = rand([6, 2, 3], 2);
    const opts = { stride: 2, padding: 1, groups: 2 } as const;
    const [y, pull] = vjp((v: T) => conv1d(v, w as never, opts) as T, x);
    const up = rand([...(y.shape as number[])], 3);
    const [dx] = pull(up);
    const t = convTranspose1d(up, w, { ...opts, outputPadding: 0 });
    await expectT(t, [2, 4, 9], Array.from(await dx.data()), 1e-4, 1e-5);
  });

  it('convTranspose3d(y, w) = d/dx <conv3d(x, w), y>, stride 2, dilation [1, 2, 1]', async () => {
    const x = rand([1, 2, 5, 7, 5], 4);
    const w = rand([3, 2, 3, 2, 3], 5);
    const opts = { stride: 2, dilation: [1, 2, 1] } as const;
    const [y, pull] = vjp((v: T) => conv3d(v, w as never, opts) as T, x);
    const up = rand([...(y.shape as number[])], 6);
    const [dx] = pull(up);
    await expectT(convTranspose3d(up, w, opts), [1, 2, 5, 7, 5], Array.from(await dx.data()), 1e-4, 1e-5);
  });
});
