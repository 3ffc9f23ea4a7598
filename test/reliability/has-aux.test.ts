/**
 * Issue 11 item 0: `hasAux` returns the aux as a concrete tensor (its primal value) even when
 * it depends on the differentiated argument, under jit, vmap and nested transforms, on
 * every backend.
 */
import { describe, expect } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, expectT, useBackend } from '../backends/helpers.ts';

const BACKENDS = await backendsUnderTest();
type V = Tensor<[3], 'f32'>;
const W = [0.5, -1, 2];
const X = [1, 2, 3];
const wx = W.map((w, i) => w * X[i]!);

describe.each(BACKENDS)('hasAux on $name', (backend) => {
  const test = useBackend(backend);
  const loss = (w: V, x: V) => [tg.sum(tg.mul(w, x)), tg.tanh(tg.mul(w, x))] as const;

  test('valueAndGrad returns the aux as a concrete tensor', async () => {
    const w = tg.tensor(W) as V;
    const x = tg.tensor(X) as V;
    const [[value, aux], g] = tg.valueAndGrad(loss, { hasAux: true })(w, x);
    await expectT(value, [], [wx.reduce((a, b) => a + b)]);
    await expectT(aux, [3], wx.map(Math.tanh));
    await expectT(g, [3], X);
  });

  test('grad with a stopGradient aux and a record aux', async () => {
    const w = tg.tensor(W) as V;
    const x = tg.tensor(X) as V;
    const [g, aux] = tg.grad(
      (a: V) => [tg.sum(tg.mul(a, x)), { s: tg.stopGradient(tg.mul(a, x)), n: 7 }] as const,
      { hasAux: true },
    )(w);
    await expectT(g, [3], X);
    await expectT(aux.s, [3], wx);
    expect(aux.n).toBe(7);
  });

  test('under jit and vmap', async () => {
    const w = tg.tensor(W) as V;
    const x = tg.tensor(X) as V;
    const step = tg.jit((a: V, b: V) => tg.valueAndGrad(loss, { hasAux: true })(a, b));
    for (let i = 0; i < 2; i++) {
      const [[, aux], g] = step(w, x);
      await expectT(aux, [3], wx.map(Math.tanh));
      await expectT(g, [3], X);
    }
    const ws = tg.tensor([W, W.map((v) => 2 * v)]) as Tensor<[2, 3], 'f32'>;
    const [auxes, gs] = tg.vmap((a: V) => {
      const [g, aux] = tg.grad(loss, { hasAux: true })(a, x);
      return [aux, g] as const;
    })(ws);
    await expectT(auxes, [2, 3], [...wx.map(Math.tanh), ...wx.map((v) => Math.tanh(2 * v))]);
    await expectT(gs, [2, 3], [...X, ...X]);
  });

  test('nested: grad of a function using an inner hasAux grad', async () => {
    const x = tg.tensor(X) as V;
    // outer(w) = sum(aux) where aux = w*x from the inner grad: d/dw = x
    const outer = tg.grad((a: V) => {
      const [, aux] = tg.grad((b: V) => [tg.sum(tg.square(b)), tg.mul(b, x)] as const, { hasAux: true })(a);
      return tg.sum(aux);
    });
    await expectT(outer(tg.tensor(W) as V), [3], X);
  });
});
