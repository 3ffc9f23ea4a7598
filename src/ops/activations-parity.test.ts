/**
 * silu, gelu (exact and tanh), softplus (beta, threshold) and erf/erfc: values and gradients
 * against PyTorch 1.13 (test/torch-fixtures/activations.json, scripts/torch-fixtures/
 * gen_parity.py) on every backend; erf against Math-free known values (A&S Table 7.1).
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, useBackend } from '../../test/backends/helpers.ts';
import fx from '../../test/torch-fixtures/activations.json' with { type: 'json' };
import type { Tensor } from '../index.ts';
import { erf, erfc, gelu, grad, silu, softplus, sum, tensor } from '../index.ts';

type V = Tensor<number[], 'f32'>;
const BACKENDS = await backendsUnderTest();
const xs = () => tensor(Float32Array.from(fx.x), [fx.x.length]) as V;
const gradOf = (f: (v: V) => Tensor) => grad((v: V) => sum(f(v)) as Tensor<[], 'f32'>)(xs());
const n = fx.x.length;

describe.each(BACKENDS)('activations vs PyTorch on $name', (backend) => {
  const it = useBackend(backend);

  it('silu and its gradient', async () => {
    await expectT(silu(xs()), [n], fx.silu);
    await expectT(gradOf(silu), [n], fx.silu_grad, 1e-5, 1e-6);
  });

  it('gelu: exact erf form by default, tanh on request; gradients', async () => {
    await expectT(gelu(xs()), [n], fx.gelu_none, 1e-5, 1e-6);
    await expectT(gradOf(gelu), [n], fx.gelu_none_grad, 1e-5, 2e-6);
    await expectT(gelu(xs(), { approximate: 'tanh' }), [n], fx.gelu_tanh, 1e-5, 1e-6);
    await expectT(
      gradOf((v) => gelu(v, { approximate: 'tanh' })),
      [n],
      fx.gelu_tanh_grad,
      1e-5,
      2e-6,
    );
  });

  it('softplus with beta and threshold: x exactly past the threshold', async () => {
    const cases = [
      ['softplus_b1_t20', {}],
      ['softplus_b2_t5', { beta: 2, threshold: 5 }],
      ['softplus_b0.5_t3', { beta: 0.5, threshold: 3 }],
    ] as const;
    for (const [key, opts] of cases) {
      await expectT(softplus(xs(), opts), [n], fx[key]);
      await expectT(
        gradOf((v) => softplus(v, opts)),
        [n],
        fx[`${key}_grad`],
      );
    }
    // past the threshold the value is x itself, bit for bit
    const big = tensor([25, 1e6]);
    expect(Array.from(await softplus(big).data())).toEqual([25, 1e6]);
  });

  it('erf and erfc: known values (Abramowitz & Stegun Table 7.1), tail and derivative at 0', async () => {
    const at = tensor([0, 0.5, 1, 2, -1, -3]);
    await expectT(
      erf(at),
      [6],
      [0, 0.5204998778, 0.8427007929, 0.995322265, -0.8427007929, -0.9999779095],
      1e-6,
      2e-7,
    );
    // relative in the tail; 4e-6 covers WGSL's exp (a few ulps off at -25), the fit itself is 1.2e-7
    await expectT(erfc(tensor([3, 5])), [2], [2.209049699858544e-5, 1.5374597944280349e-12], 4e-6, 0);
    // d/dx erf = 2/√π e^(-x²), also at 0
    const d = grad((v: V) => sum(erf(v)) as Tensor<[], 'f32'>)(tensor([0, 1]) as V);
    await expectT(d, [2], [2 / Math.sqrt(Math.PI), (2 / Math.sqrt(Math.PI)) * Math.exp(-1)], 1e-5, 1e-6);
  });
});

describe('activations: bad options', () => {
  cpuIt('name the function and the value', () => {
    expect(() => gelu(tensor([1]), { approximate: 'erf' as never })).toThrow(
      `gelu: approximate must be 'none' or 'tanh', got "erf"`,
    );
    expect(() => softplus(tensor([1]), { beta: 0 })).toThrow(
      'softplus: beta must be a finite number > 0, got 0',
    );
  });
});
