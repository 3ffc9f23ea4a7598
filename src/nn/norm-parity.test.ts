/**
 * nn.batchNorm (1-d and 2-d, training and eval, running statistics returned as new state),
 * nn.groupNorm and nn.layerNorm over a trailing normalizedShape, against PyTorch 1.13
 * (test/torch-fixtures/norms.json, from scripts/torch-fixtures/gen_parity.py), on every
 * backend, and under jit and grad.
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, useBackend } from '../../test/backends/helpers.ts';
import fx from '../../test/torch-fixtures/norms.json' with { type: 'json' };
import type { Tensor } from '../index.ts';
import { grad, jit, mul, nn, sum, tensor, valueAndGrad } from '../index.ts';

const BACKENDS = await backendsUnderTest();
const f32 = <const S extends number[]>(xs: readonly number[], shape: S) =>
  tensor(Float32Array.from(xs), shape) as unknown as Tensor<S, 'f32'>;
type X4 = Tensor<[2, 3, 2, 2], 'f32'>;
type P3 = nn.NormParams<3>;
const params = (): P3 => ({ gamma: f32(fx.gamma, [3]), beta: f32(fx.beta, [3]) });
const stats = (): nn.BatchNormState<3> => ({ mean: f32(fx.runningMean, [3]), var: f32(fx.runningVar, [3]) });
const x4 = () => f32(fx.x, [2, 3, 2, 2]);

describe.each(BACKENDS)('normalisation layers vs PyTorch on $name', (backend) => {
  const it = useBackend(backend);

  it('batchNorm 2-d, training: batch statistics, running stats as new state, gradient', async () => {
    const s0 = stats();
    const [y, s1] = nn.batchNorm(params(), s0, x4(), { training: true });
    await expectT(y, [2, 3, 2, 2], fx.bn2d_train.y);
    await expectT(s1.mean, [3], fx.bn2d_train.runningMean);
    await expectT(s1.var, [3], fx.bn2d_train.runningVar);
    await expectT(s0.mean, [3], fx.runningMean); // not mutated
    const up = f32(fx.bn2d_train.upstream, [2, 3, 2, 2]);
    const gx = grad((x: X4) => sum(mul(nn.batchNorm(params(), stats(), x, { training: true })[0], up)))(x4());
    await expectT(gx, [2, 3, 2, 2], fx.bn2d_train.grad_x, 1e-4, 1e-5);
  });

  it('batchNorm eval uses the running statistics and returns them unchanged', async () => {
    const s0 = stats();
    const [y, s1] = nn.batchNorm(params(), s0, x4(), { training: false });
    await expectT(y, [2, 3, 2, 2], fx.bn2d_eval.y);
    expect(s1).toBe(s0);
  });

  it('batchNorm 1-d with momentum 0.3 and eps 1e-3', async () => {
    const want = fx['bn1d_train_m0.3_eps1e-3'];
    const [y, s] = nn.batchNorm(params(), stats(), f32(fx.x1, [4, 3]), {
      training: true,
      momentum: 0.3,
      eps: 1e-3,
    });
    await expectT(y, [4, 3], want.y);
    await expectT(s.mean, [3], want.runningMean);
    await expectT(s.var, [3], want.runningVar);
  });

  it('batchNorm under jit (state out as an output) and grad (state out as hasAux)', async () => {
    const step = jit((p: P3, s: nn.BatchNormState<3>, x: X4) => nn.batchNorm(p, s, x, { training: true }));
    const [y, s1] = step(params(), stats(), x4());
    await expectT(y, [2, 3, 2, 2], fx.bn2d_train.y);
    await expectT(s1.var, [3], fx.bn2d_train.runningVar);
    const up = f32(fx.bn2d_train.upstream, [2, 3, 2, 2]);
    const [[, s2], g] = valueAndGrad(
      (p: P3) => {
        const [out, next] = nn.batchNorm(p, stats(), x4(), { training: true });
        return [sum(mul(out, up)), next] as const;
      },
      { hasAux: true },
    )(params());
    await expectT(s2.mean, [3], fx.bn2d_train.runningMean);
    expect(g.gamma.shape).toEqual([3]);
  });

  it('groupNorm: 2 groups of 2 channels, and its gradient', async () => {
    const g = fx.groupNorm;
    const p = { gamma: f32(g.gamma, [4]), beta: f32(g.beta, [4]) };
    const x = f32(g.x, [2, 4, 3]);
    await expectT(nn.groupNorm(p, x, 2), [2, 4, 3], g.y);
    const up = f32(g.upstream, [2, 4, 3]);
    const gx = grad((v: Tensor<[2, 4, 3], 'f32'>) => sum(mul(nn.groupNorm(p, v, 2), up)))(x);
    await expectT(gx, [2, 4, 3], g.grad_x, 1e-4, 1e-5);
  });

  it('layerNorm over a trailing normalizedShape [3, 4], with and without affine parameters', async () => {
    const l = fx.layerNorm;
    const x = f32(l.x, [2, 3, 4]);
    const p = { gamma: f32(l.gamma, [3, 4]), beta: f32(l.beta, [3, 4]) };
    await expectT(nn.layerNorm(p, x), [2, 3, 4], l.affine);
    const none = nn.layerNorm.init(null, { normalizedShape: [3, 4], elementwiseAffine: false });
    expect(none).toEqual({});
    await expectT(nn.layerNorm(none, x, { normalizedShape: [3, 4] }), [2, 3, 4], l.plain);
    const init = nn.layerNorm.init(null, { normalizedShape: [3, 4] });
    expect(init.gamma.shape).toEqual([3, 4]);
  });
});

describe('normalisation layers: bad input (CPU)', () => {
  cpuIt('names the layer and the value at fault', () => {
    const x = tensor([[1, 2, 3]]) as Tensor<[1, 3], 'f32'>;
    expect(() => nn.batchNorm(params(), stats(), x, { training: true })).toThrow(
      'nn.batchNorm: training needs more than 1 value per channel, got input f32[1, 3]',
    );
    expect(() => nn.batchNorm(params(), stats(), x, {} as never)).toThrow(
      'nn.batchNorm: options.training must be true or false, got undefined',
    );
    expect(() => nn.groupNorm(params(), x, 2)).toThrow(
      'nn.groupNorm: groups must be a positive integer dividing the 3 channels, got 2',
    );
    expect(() => nn.layerNorm({}, x, { normalizedShape: [4] })).toThrow(
      'layerNorm: input f32[1, 3] does not end in the normalized shape [4]',
    );
    expect(() => nn.layerNorm({} as never, x)).toThrow(
      'layerNorm: without gamma and beta, pass the normalizedShape',
    );
  });
});
