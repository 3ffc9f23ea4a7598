/**
 * std, variance with `correction`, and max/min with `{ indices: true }` against PyTorch 1.13
 * (test/torch-fixtures/reductions.json, from scripts/torch-fixtures/gen_parity.py), on every
 * backend.
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, useBackend } from '../../test/backends/helpers.ts';
import fx from '../../test/torch-fixtures/reductions.json' with { type: 'json' };
import type { Tensor } from '../index.ts';
import { grad, max, min, std, sum, tensor, variance } from '../index.ts';

type M = Tensor<[3, 4], 'f32'>;
type Q = Tensor<[3, 3], 'f32'>;
const BACKENDS = await backendsUnderTest();
const x = () => tensor(Float32Array.from(fx.x), [3, 4]) as M;
const ties = () => tensor(Float32Array.from(fx.ties), [3, 3]) as Q;

describe.each(BACKENDS)('reductions vs PyTorch on $name', (backend) => {
  const it = useBackend(backend);

  it('variance with correction 0 (the default) and 1 (torch.var default)', async () => {
    await expectT(variance(x()), [], fx.var_all_c0);
    await expectT(variance(x(), { correction: 1 }), [], fx.var_all_c1);
    await expectT(variance(x(), { axis: 1, correction: 0 }), [3], fx.var_ax1_c0);
    await expectT(variance(x(), { axis: 1, correction: 1 }), [3], fx.var_ax1_c1);
  });

  it('std and its gradient, correction 0 and 1', async () => {
    await expectT(std(x(), { axis: 0 }), [4], fx.std_ax0_c0);
    await expectT(std(x(), { axis: 0, correction: 1 }), [4], fx.std_ax0_c1);
    await expectT(std(x(), { axis: 0, correction: 1, keepdims: true }), [1, 4], fx.std_ax0_c1);
    const g0 = grad((v: M) => sum(std(v, { axis: 0 })))(x());
    await expectT(g0, [3, 4], fx.std_ax0_c0_grad, 1e-4, 1e-5);
    const g1 = grad((v: M) => sum(std(v, { axis: 0, correction: 1 })))(x());
    await expectT(g1, [3, 4], fx.std_ax0_c1_grad, 1e-4, 1e-5);
  });

  it('max/min with indices: first occurrence, gradient to the index', async () => {
    const mx = max(ties(), { axis: 1, indices: true });
    await expectT(mx.values, [3], fx.max_values);
    await expectT(mx.indices, [3], fx.max_indices);
    expect(mx.indices.dtype).toBe('i32');
    const mn = min(ties(), { axis: 0, indices: true });
    await expectT(mn.values, [3], fx.min_values);
    await expectT(mn.indices, [3], fx.min_indices);
    const gmax = grad((v: Q) => sum(max(v, { axis: 1, indices: true }).values))(ties());
    await expectT(gmax, [3, 3], fx.max_grad);
    const gmin = grad((v: Q) => sum(min(v, { axis: 0, indices: true }).values))(ties());
    await expectT(gmin, [3, 3], fx.min_grad);
    const kept = max(ties(), { axis: -1, keepdims: true, indices: true });
    await expectT(kept.values, [3, 1], fx.max_values);
    await expectT(kept.indices, [3, 1], fx.max_indices);
  });
});

describe('reductions: bad input', () => {
  cpuIt('correction that leaves no degrees of freedom, or a negative one, is an error', () => {
    expect(() => variance(tensor([1]), { correction: 1 })).toThrow(
      'variance: correction 1 leaves no degrees of freedom for 1 elements',
    );
    expect(() => std(tensor([1, 2]), { correction: -1 })).toThrow(
      'std: correction must be a finite number >= 0, got -1',
    );
  });

  cpuIt('indices: true needs one numeric axis', () => {
    expect(() => max(tensor([1, 2]), { axis: [0] as never, indices: true })).toThrow(
      'max: indices: true needs one axis (a number), got [0]',
    );
  });
});
