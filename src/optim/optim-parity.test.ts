/**
 * SGD (weightDecay, dampening, nesterov, momentum), Adam (weightDecay, amsgrad), AdamW
 * (amsgrad, default decay 0.01) and RMSprop (centered, momentum, weightDecay): four steps from
 * the same params and gradients as PyTorch 1.13's torch.optim (test/torch-fixtures/
 * optimizers.json, from scripts/torch-fixtures/gen_parity.py), on every backend and under jit.
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, useBackend } from '../../test/backends/helpers.ts';
import fx from '../../test/torch-fixtures/optimizers.json' with { type: 'json' };
import type { Tensor } from '../index.ts';
import { jit, optim, tensor } from '../index.ts';

type V = Tensor<[3], 'f32'>;
const BACKENDS = await backendsUnderTest();
const vec = (xs: readonly number[]) => tensor(Float32Array.from(xs), [3]) as V;

const CASES: Record<keyof typeof fx.runs, () => optim.Optimizer> = {
  sgd: () => optim.sgd(0.1),
  sgd_wd: () => optim.sgd(0.1, { weightDecay: 0.1 }),
  sgd_mom: () => optim.sgd(0.1, { momentum: 0.9 }),
  sgd_mom_damp: () => optim.sgd(0.1, { momentum: 0.9, dampening: 0.5, weightDecay: 0.01 }),
  sgd_nesterov: () => optim.sgd(0.1, { momentum: 0.8, nesterov: true, weightDecay: 0.05 }),
  adam: () => optim.adam(0.1),
  adam_wd: () => optim.adam(0.1, { weightDecay: 0.1 }),
  adam_amsgrad: () => optim.adam(0.1, { amsgrad: true, b1: 0.8, b2: 0.9 }),
  adamw: () => optim.adamw(0.1),
  adamw_amsgrad: () => optim.adamw(0.1, { amsgrad: true, weightDecay: 0.1 }),
  rmsprop: () => optim.rmsprop(0.01),
  rmsprop_centered: () => optim.rmsprop(0.01, { centered: true }),
  rmsprop_all: () => optim.rmsprop(0.01, { centered: true, momentum: 0.9, weightDecay: 0.1, decay: 0.9 }),
  rmsprop_mom: () => optim.rmsprop(0.01, { momentum: 0.5 }),
};

/** Runs the four fixture steps with `update` (maybe jitted); returns the params after each. */
function trajectory(opt: optim.Optimizer, useJit: boolean): V[] {
  const step = (p: V, s: unknown, g: V) => {
    const [u, next] = opt.update(g, s as never, p);
    return [optim.applyUpdates(p, u), next] as const;
  };
  const run = useJit ? jit(step) : step;
  let p = vec(fx.params);
  let s: unknown = opt.init(p);
  const out: V[] = [];
  for (const g of fx.grads) {
    [p, s] = run(p, s, vec(g)) as [V, unknown];
    out.push(p);
  }
  return out;
}

describe.each(BACKENDS)('optimizers vs torch.optim on $name', (backend) => {
  const it = useBackend(backend);

  for (const [name, make] of Object.entries(CASES))
    it(`${name}: four steps match PyTorch`, async () => {
      const got = trajectory(make(), false);
      const want = fx.runs[name as keyof typeof fx.runs];
      for (let k = 0; k < want.length; k++) await expectT(got[k]!, [3], want[k]!, 1e-5, 1e-6);
    });

  it('the same under jit (state with optional buffers is a pytree)', async () => {
    for (const name of ['sgd_nesterov', 'adam_amsgrad', 'rmsprop_all'] as const) {
      const got = trajectory(CASES[name](), true);
      await expectT(got[3]!, [3], fx.runs[name][3]!, 1e-5, 1e-6);
    }
  });
});

describe('optimizers: bad options (CPU)', () => {
  cpuIt('name the optimizer and the value', () => {
    expect(() => optim.sgd(0.1, { nesterov: true })).toThrow(
      'optim.sgd: nesterov needs momentum > 0 and dampening 0, got momentum 0, dampening 0',
    );
    expect(() => optim.sgd(0.1, { momentum: -1 })).toThrow(
      'optim.sgd: momentum must be a finite number >= 0, got -1',
    );
    expect(() => optim.adam(0.1, { weightDecay: -0.1 })).toThrow(
      'optim.adam: weightDecay must be a finite number >= 0',
    );
    const p = vec([1, 2, 3]);
    const opt = optim.sgd(0.1, { weightDecay: 0.1 });
    expect(() => opt.update(p, opt.init(p))).toThrow(
      'optim.sgd: update(grads, state, params) needs the params',
    );
  });
});
