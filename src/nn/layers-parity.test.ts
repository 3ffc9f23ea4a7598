/**
 * nn.gru (PyTorch's nn.GRU, gates r, z, n, two biases), nn.rnn with nonlinearity 'relu' and the
 * documented one-bias conversion, nn.embedding paddingIdx and nn.dense without bias, against
 * PyTorch 1.13 (test/torch-fixtures/recurrent.json, from scripts/torch-fixtures/gen_parity.py)
 * or their defining formula, on every backend.
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, useBackend } from '../../test/backends/helpers.ts';
import fx from '../../test/torch-fixtures/recurrent.json' with { type: 'json' };
import type { Tensor } from '../index.ts';
import { add, grad, jit, mul, nn, random, sum, tensor, transpose } from '../index.ts';

const BACKENDS = await backendsUnderTest();
const f32 = <const S extends number[]>(xs: readonly number[], shape: S) =>
  tensor(Float32Array.from(xs), shape) as unknown as Tensor<S, 'f32'>;
const { f, h, b, t } = fx;
const xs = () => f32(fx.xs, [t, b, f]);
const h0 = () => f32(fx.h0, [b, h]);
/** PyTorch's [gates·H, in] weight as our [in, gates·H]. */
const wOf = (w: number[], gates: number, cols: number) =>
  transpose(f32(w, [gates * h, cols])) as unknown as Tensor<[number, number], 'f32'>;

const gruParams = (): nn.GruParams => ({
  wx: wOf(fx.gru.weight_ih, 3, f),
  wh: wOf(fx.gru.weight_hh, 3, h),
  bx: f32(fx.gru.bias_ih, [3 * h]),
  bh: f32(fx.gru.bias_hh, [3 * h]),
});

describe.each(BACKENDS)('recurrent and simple layers vs PyTorch on $name', (backend) => {
  const it = useBackend(backend);

  it('gru over a sequence (on scan) and as a cell, with PyTorch weights and both biases', async () => {
    const [ys, hT] = nn.gru(gruParams(), xs(), { initial: h0() });
    await expectT(ys, [t, b, h], fx.gru.ys, 1e-5, 1e-6);
    await expectT(hT, [b, h], fx.gru.hn, 1e-5, 1e-6);
    const h1 = nn.gru.cell(gruParams(), h0(), f32(fx.xs.slice(0, b * f), [b, f]));
    await expectT(h1, [b, h], fx.gru.ys.slice(0, b * h), 1e-5, 1e-6);
    const [ysJit] = jit((p: nn.GruParams, x: Tensor<[number, number, number], 'f32'>) =>
      nn.gru(p, x, { initial: h0() as never }),
    )(gruParams(), xs());
    await expectT(ysJit, [t, b, h], fx.gru.ys, 1e-5, 1e-6);
  });

  it("rnn with nonlinearity 'relu' and b = bias_ih + bias_hh", async () => {
    const r = fx.rnn_relu;
    const p = {
      wx: wOf(r.weight_ih, 1, f),
      wh: wOf(r.weight_hh, 1, h),
      b: add(f32(r.bias_ih, [h]), f32(r.bias_hh, [h])),
    };
    const [ys, hT] = nn.rnn(p, xs(), { initial: h0(), nonlinearity: 'relu' });
    await expectT(ys, [t, b, h], r.ys, 1e-5, 1e-6);
    await expectT(hT, [b, h], r.hn, 1e-5, 1e-6);
  });

  it('embedding paddingIdx: init zeroes the row, its gradient is 0, duplicates accumulate', async () => {
    const p = nn.embedding.init(random.key(1), { vocab: 4, dim: 2, paddingIdx: 0 });
    await expectT(p.table, [4, 2], [0, 0, ...Array.from(await p.table.data()).slice(2)]);
    const ids = tensor(Int32Array.from([0, 2, 0, 2, 3]), [5]);
    const table = f32([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const g = grad((tb: Tensor<[4, 2], 'f32'>) =>
      sum(mul(nn.embedding({ table: tb }, ids, { paddingIdx: 0 }), 2)),
    )(table);
    await expectT(g, [4, 2], [0, 0, 0, 0, 4, 4, 2, 2]);
    // the forward pass still reads the row
    await expectT(nn.embedding({ table }, ids, { paddingIdx: -4 }), [5, 2], [1, 2, 5, 6, 1, 2, 5, 6, 7, 8]);
  });

  it('dense without bias is x @ w', async () => {
    const p = nn.dense.init(random.key(2), { in: 3, out: 2, bias: false });
    expect(Object.keys(p)).toEqual(['w']);
    const x = f32([1, 2, 3], [1, 3]);
    const w = await p.w.data();
    await expectT(nn.dense(p, x), [1, 2], [w[0]! + 2 * w[2]! + 3 * w[4]!, w[1]! + 2 * w[3]! + 3 * w[5]!]);
  });
});

describe('recurrent and simple layers: bad options (CPU)', () => {
  cpuIt('name the layer and the value', () => {
    const p = nn.rnn.init(random.key(0), { in: 3, hidden: 2 });
    expect(() => nn.rnn(p, xs(), { nonlinearity: 'gelu' as never })).toThrow(
      `rnn: nonlinearity must be 'tanh' or 'relu', got "gelu"`,
    );
    expect(() => nn.embedding.init(random.key(0), { vocab: 4, dim: 2, paddingIdx: 4 })).toThrow(
      'nn.embedding.init: paddingIdx must be an integer in [-4, 4), got 4',
    );
  });
});
