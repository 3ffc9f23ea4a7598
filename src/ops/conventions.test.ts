/**
 * The derivative conventions at kinks and ties, pinned on every backend (issue 10). The
 * values are PyTorch 1.13's (and JAX's): relu'(0) = 0, leakyRelu'(0) = slope, elu'(0) =
 * alpha, d/dx pow(x, 0) = 0 everywhere (also at x = 0), clip passes the gradient at its
 * bounds, and duplicate indices of take / takeAlongAxis / embedding accumulate.
 * `max`/`min` reductions without indices keep the even split among ties (JAX's rule).
 */
import { describe } from 'vitest';
import { backendsUnderTest, expectT, useBackend } from '../../test/backends/helpers.ts';
import type { Tensor } from '../index.ts';
import * as tg from '../index.ts';

type V = Tensor<number[], 'f32'>;
const BACKENDS = await backendsUnderTest();
const gradOf = (f: (x: V) => Tensor, x: number[]) =>
  tg.grad((v: V) => tg.sum(f(v)) as Tensor<[], 'f32'>)(tg.tensor(x) as V);

describe.each(BACKENDS)('kink and tie conventions on $name', (backend) => {
  const it = useBackend(backend);

  it("relu'(0) = 0", async () => {
    await expectT(gradOf(tg.relu, [-1, 0, 2]), [3], [0, 0, 1]);
  });

  it("leakyRelu'(0) = slope (the branch is x > 0)", async () => {
    await expectT(
      gradOf((x) => tg.leakyRelu(x), [-1, 0, 2]),
      [3],
      [0.01, 0.01, 1],
    );
  });

  it("elu'(0) = alpha", async () => {
    // default alpha = 1; the old min(x, 0) tie rule gave 1/2 here
    await expectT(
      gradOf((x) => tg.elu(x), [-1, 0, 2]),
      [3],
      [Math.exp(-1), 1, 1],
    );
  });

  it('pow(x, 0) has gradient 0 everywhere, including x = 0 (no NaN); 0^0 = 1', async () => {
    await expectT(tg.pow(tg.tensor([0, 2, -1]), 0), [3], [1, 1, 1]);
    await expectT(
      gradOf((x) => tg.pow(x, 0), [0, 2, -1]),
      [3],
      [0, 0, 0],
    );
  });

  it('clip passes the gradient at the bounds (PyTorch clamp: 1 on [lo, hi])', async () => {
    await expectT(
      gradOf((x) => tg.clip(x, 0, 1), [-1, 0, 0.5, 1, 2]),
      [5],
      [0, 1, 1, 1, 0],
    );
  });

  it('duplicate indices accumulate in take, takeAlongAxis and embedding', async () => {
    const ids = tg.tensor(new Int32Array([1, 1, 2, 1]), [4]);
    await expectT(
      gradOf((x) => tg.take(x, ids, { axis: 0 }), [5, 6, 7]),
      [3],
      [0, 3, 1],
    );
    const along = tg.tensor(new Int32Array([0, 0, 1, 1, 1, 1]), [2, 3]);
    const g = tg.grad((v: V) => tg.sum(tg.takeAlongAxis(v as never, along as never, 1) as V))(
      tg.tensor([1, 2, 3, 4], [2, 2]) as V,
    );
    await expectT(g, [2, 2], [2, 1, 0, 3]);
    const table = tg.tensor([1, 2, 3, 4, 5, 6], [3, 2]) as Tensor<[3, 2], 'f32'>;
    const gt = tg.grad((t: Tensor<[3, 2], 'f32'>) => tg.sum(tg.nn.embedding({ table: t }, ids)))(table);
    await expectT(gt, [3, 2], [0, 0, 3, 3, 1, 1]);
  });

  it('max / min reductions without indices split the gradient evenly among ties', async () => {
    await expectT(
      gradOf((x) => tg.max(x), [1, 3, 3]),
      [3],
      [0, 0.5, 0.5],
    );
    await expectT(
      gradOf((x) => tg.min(x), [2, 2, 3]),
      [3],
      [0.5, 0.5, 0],
    );
  });
});
