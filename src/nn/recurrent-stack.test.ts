/**
 * Recurrent stacks: equal to the explicit layer-by-layer composition (with the documented
 * dropout keys), no dropout when not training, and gradients that match finite differences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { nn, random, sum, tensor } from '../index.ts';
import type { Key } from '../random/index.ts';
import { checkGrads } from '../testing/index.ts';

const seq = (t: number, b: number, f: number, seed: number) => random.normal(random.key(seed), [t, b, f]);
const arr = (x: unknown) => (x as Tensor).toArray();

type Kind = 'rnn' | 'lstm' | 'gru';
const layers = { rnn: nn.rnn, lstm: nn.lstm, gru: nn.gru } as const;
const stacks = { rnn: nn.rnnStack, lstm: nn.lstmStack, gru: nn.gruStack } as const;

/** The stack written by hand: layer i on the (dropped-out) outputs of layer i - 1. */
function byHand(
  kind: Kind,
  bi: boolean,
  params: readonly unknown[],
  xs: Tensor,
  rate: number,
  key: Key | null,
) {
  const layer = (bi ? nn.bidirectional(layers[kind] as never) : layers[kind]) as unknown as (
    p: unknown,
    x: Tensor,
  ) => [Tensor, unknown];
  const keys = key && params.length > 1 ? random.splitKeys(key, { num: params.length - 1 }) : [];
  let h = xs;
  const finals: unknown[] = [];
  params.forEach((p, i) => {
    if (i > 0 && key) h = nn.dropout(keys[i - 1]!, rate, h, { training: true });
    const [ys, s] = layer(p, h);
    finals.push(s);
    h = ys;
  });
  return [h, finals] as const;
}

const flatStates = (s: unknown): unknown =>
  (s as Tensor).shape
    ? arr(s)
    : Object.fromEntries(Object.entries(s as object).map(([k, v]) => [k, flatStates(v)]));

describe('nn.rnnStack / lstmStack / gruStack', () => {
  it('property: equals the explicit composition, with dropout while training', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Kind>('rnn', 'lstm', 'gru'),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(1000),
        fc.constantFrom(0, 0.3),
        (kind, bi, n, hidden, seed, rate) => {
          const stack = stacks[kind] as unknown as typeof nn.lstmStack;
          const p = stack.init(random.key(seed), { in: 3, hidden, layers: n, bidirectional: bi } as never);
          expect(p.length).toBe(n);
          // layer i's parameters are the layer's own init with the i-th split key
          const k0 = random.splitKeys(random.key(seed), { num: n })[0]!;
          const one = (bi ? nn.bidirectional(layers[kind] as never) : layers[kind]).init(k0, {
            in: 3,
            hidden,
          } as never);
          expect(flatStates(p[0])).toEqual(flatStates(one));
          const xs = seq(4, 2, 3, seed + 1);
          const dkey = random.key(seed + 2);
          const [ys, finals] = stack(p as never, xs as never, { dropout: rate, training: true, key: dkey });
          const [want, wantFinals] = byHand(kind, bi, p as never, xs as Tensor, rate, rate > 0 ? dkey : null);
          expect(ys.shape).toEqual([4, 2, bi ? 2 * hidden : hidden]);
          expect(arr(ys)).toEqual(arr(want));
          expect(finals.map(flatStates)).toEqual(wantFinals.map(flatStates));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('no dropout when not training (any key), and it changes the outputs while training', () => {
    const p = nn.lstmStack.init(random.key(3), { in: 3, hidden: 5, layers: 3 });
    const xs = seq(6, 2, 3, 4);
    const [plain] = nn.lstmStack(p, xs as never);
    const [evalYs] = nn.lstmStack(p, xs as never, { dropout: 0.5, training: false });
    const [evalKeyed] = nn.lstmStack(p, xs as never, { dropout: 0.5, training: false, key: random.key(9) });
    expect(arr(evalYs)).toEqual(arr(plain));
    expect(arr(evalKeyed)).toEqual(arr(plain));
    const [trainYs] = nn.lstmStack(p, xs as never, { dropout: 0.5, training: true, key: random.key(9) });
    expect(arr(trainYs)).not.toEqual(arr(plain));
    const [again] = nn.lstmStack(p, xs as never, { dropout: 0.5, training: true, key: random.key(9) });
    expect(arr(again)).toEqual(arr(trainYs));
  });

  it('initFor reads in from xs; initial states per layer; known small values', () => {
    const xs = tensor([[[1, -1]], [[0.5, 2]]]); // [T=2, B=1, F=2]
    const p = nn.gruStack.initFor(random.key(0), xs, { hidden: 2, layers: 2 });
    expect(p[0].wx.shape).toEqual([2, 6]);
    expect(p[1]!.wx.shape).toEqual([2, 6]);
    const q = nn.gruStack.init(random.key(0), { in: 2, hidden: 2, layers: 2 });
    expect(p.map(flatStates)).toEqual(q.map(flatStates));
    const h0 = [tensor([[0.1, -0.2]]), tensor([[0.3, 0.4]])];
    const [ys, finals] = nn.gruStack(p, xs, { initial: h0 as never });
    const [y1, f1] = nn.gru(p[0], xs, { initial: h0[0] as never });
    const [y2, f2] = nn.gru(p[1]!, y1, { initial: h0[1] as never });
    expect(arr(ys)).toEqual(arr(y2));
    expect(arr(finals[0])).toEqual(arr(f1));
    expect(arr(finals[1])).toEqual(arr(f2));
    // an all-zero rnn stack maps anything to tanh(0) = 0
    const zero = nn.rnnStack.init(random.key(0), {
      in: 2,
      hidden: 3,
      layers: 2,
      kernelInit: nn.init.zeros,
      recurrentInit: nn.init.zeros,
    });
    expect(arr(nn.rnnStack(zero, xs)[0])).toEqual([[[0, 0, 0]], [[0, 0, 0]]]);
  });

  it('gradient check: 2 bidirectional LSTM layers with dropout (f64, fixed mask)', () => {
    const p = nn.lstmStack.init(random.key(1), {
      in: 2,
      hidden: 2,
      layers: 2,
      bidirectional: true,
      dtype: 'f64',
    });
    const xs = random.normal(random.key(2), [3, 2, 2], { dtype: 'f64' });
    const key = random.key(5);
    const report = checkGrads(
      (params: typeof p, x: Tensor) =>
        sum(nn.lstmStack(params, x as never, { dropout: 0.4, training: true, key })[0] as Tensor),
      [p, xs],
      { modes: ['rev'], seed: 3 },
    );
    expect(report.compared).toBeGreaterThan(0);
    expect(report.maxRatio).toBeLessThan(1);
  });

  it('bad input: names the function and the value', () => {
    const p = nn.lstmStack.init(random.key(0), { in: 3, hidden: 2, layers: 2 });
    const xs = seq(2, 1, 3, 0);
    expect(() => nn.lstmStack(p, xs as never, { dropout: 0.5 })).toThrow(
      'nn.lstmStack: with dropout, options.training must be true or false, got undefined',
    );
    expect(() => nn.lstmStack(p, xs as never, { dropout: 0.5, training: true })).toThrow(
      'nn.lstmStack: dropout while training needs options.key',
    );
    expect(() => nn.lstmStack(p, xs as never, { dropout: 1.5, training: true })).toThrow(
      'nn.lstmStack: dropout must be a rate in [0, 1), got the number 1.5',
    );
    expect(() => nn.lstmStack(p, xs as never, { drop: 0.1 } as never)).toThrow(/nn\.lstmStack.*drop/);
    expect(() => nn.lstmStack([] as never, xs as never)).toThrow(
      'nn.lstmStack: params must be the non-empty array',
    );
    expect(() => nn.lstmStack.init(random.key(0), { in: 3, hidden: 2, layers: 0 })).toThrow(
      'nn.lstmStack.init: layers must be a positive integer, got 0',
    );
    expect(() => nn.lstmStack(p, seq(2, 1, 4, 0) as never)).toThrow(
      'nn.lstm: input last dim 4 and features 3 differ',
    );
  });
});
