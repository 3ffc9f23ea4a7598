import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../ops/creation.ts';
import { evaluate } from './evaluate.ts';
import { accuracy, bitsPerChar, crossEntropy, meanOf, perplexity, topK } from './metrics.ts';

const logits = tensor([
  [2, 1, 0],
  [0, 3, 1],
  [1, 0, 2],
  [0, 1, 0.5],
]);
const labels = tensor([0, 2, 1, 1], { dtype: 'i32' });
// log-softmax picks: row 0 label 0, row 1 label 2, row 2 label 1, row 3 label 1
const lse = (r: number[]) => Math.log(r.reduce((a, x) => a + Math.exp(x), 0));
const nll = [lse([2, 1, 0]) - 2, lse([0, 3, 1]) - 1, lse([1, 0, 2]) - 0, lse([0, 1, 0.5]) - 1];
const meanNll = nll.reduce((a, b) => a + b) / 4;
const forward = (_p: null, b: { logits: typeof logits; labels: typeof labels }) => b;
const metrics = [accuracy(), topK(2), crossEntropy(), perplexity(), bitsPerChar()];

describe('train metrics and evaluate', () => {
  it('gives known values on one batch', async () => {
    const got = await evaluate(null, [{ logits, labels }], { forward, metrics });
    expect(got.accuracy).toBe(0.5); // rows 0 and 3
    expect(got.top2).toBe(0.75); // row 2's label is third
    expect(got.loss).toBeCloseTo(meanNll, 6);
    expect(got.perplexity).toBeCloseTo(Math.exp(meanNll), 5);
    expect(got.bitsPerChar).toBeCloseTo(meanNll / Math.LN2, 6);
  });

  it('equals the one-batch value when split into uneven batches', async () => {
    const split = [
      { logits: tensor([[2, 1, 0]]), labels: tensor([0], { dtype: 'i32' }) },
      {
        logits: tensor([
          [0, 3, 1],
          [1, 0, 2],
          [0, 1, 0.5],
        ]),
        labels: tensor([2, 1, 1], { dtype: 'i32' }),
      },
    ];
    const got = await evaluate(null, split, { forward: (_p: null, b: (typeof split)[number]) => b, metrics });
    expect(got.accuracy).toBe(0.5);
    expect(got.loss).toBeCloseTo(meanNll, 6);
  });

  it('flattens [T, B, C] and weights by a mask', async () => {
    const lm = {
      logits: tensor([
        [
          [2, 1, 0],
          [0, 3, 1],
        ],
        [
          [1, 0, 2],
          [0, 1, 0.5],
        ],
      ]),
      labels: tensor(
        [
          [0, 2],
          [1, 1],
        ],
        { dtype: 'i32' },
      ),
    };
    const got = await evaluate(
      null,
      [
        {
          ...lm,
          mask: tensor([
            [1, 0],
            [0, 1],
          ]),
        },
      ],
      {
        forward: (_p: null, b) => b,
        metrics: [accuracy(), crossEntropy()],
      },
    );
    expect(got.accuracy).toBe(1);
    expect(got.loss).toBeCloseTo((nll[0]! + nll[3]!) / 2, 6);
  });

  it('perplexity of a uniform model is the vocabulary size; bits per char of 256 is 8', async () => {
    const uniform = { logits: zeros([3, 256]), labels: tensor([0, 7, 255], { dtype: 'i32' }) };
    const got = await evaluate(null, [uniform], {
      forward: (_p: null, b) => b,
      metrics: [perplexity(), bitsPerChar()],
    });
    expect(got.perplexity).toBeCloseTo(256, 3);
    expect(got.bitsPerChar).toBeCloseTo(8, 5);
  });

  it('meanOf weights batch means by their counts', async () => {
    const m = meanOf('v', (b: { v: number; n: number }) => [b.v, b.n]);
    const got = await evaluate(
      null,
      [
        { v: 1, n: 1 },
        { v: 4, n: 3 },
      ],
      { forward: (_p: null, b) => b, metrics: [m] },
    );
    expect(got.v).toBe(13 / 4);
  });

  it('names bad input', async () => {
    expect(() => topK(0)).toThrow('train.topK: k must be a positive integer, got 0');
    await expect(
      evaluate(null, [{ logits, labels: tensor([0, 1], { dtype: 'i32' }) }], {
        forward: (_p: null, b) => b,
        metrics: [accuracy()],
      }),
    ).rejects.toThrow('train.accuracy: labels i32[2] must have the leading dims of logits f32[4, 3]');
    await expect(evaluate(null, [], { forward, metrics: [accuracy(), accuracy()] })).rejects.toThrow(
      'train.evaluate: two metrics are named "accuracy"',
    );
  });
});
