import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { mul, square, sub } from '../ops/elementwise.ts';
import { mean } from '../ops/reductions.ts';
import { applyUpdates, sgd } from '../optim/optimizers.ts';
import { valueAndGrad } from '../transforms/api.ts';
import { checkpointEvery, earlyStopping, hook } from './callbacks.ts';
import { fit as trainFit } from './fit.ts';
import { meanOf } from './metrics.ts';
import { formatDuration, formatProgress } from './progress.ts';

// Fit w in y = w·x by SGD; x = 1 so the loss is (w - 3)² and each step is known.
type P = { w: Tensor };
type B = { x: Tensor; y: Tensor };
const opt = sgd(0.25);
const loss = (p: P, b: B) => mean(square(sub(mul(b.x as never, p.w as never), b.y as never) as never));
const step = (p: P, s: ReturnType<typeof opt.init<P>>, b: B) => {
  const [l, g] = valueAndGrad(loss)(p, b);
  const [u, s2] = opt.update(g, s, p);
  return { params: applyUpdates(p, u), state: s2, loss: l as Tensor };
};
const batch = (n: number): B => ({
  x: tensor(new Float32Array(n).fill(1)),
  y: tensor(new Float32Array(n).fill(3)),
});
const p0 = { w: tensor([1]) };

/** A clock advancing 0.5 s each time it is read. */
const fakeClock = () => {
  let t = 0;
  return () => (t += 0.5);
};

describe('train.fit', () => {
  it('runs the epochs, records running means and one line per epoch off a TTY', async () => {
    const lines: string[] = [];
    const { params, history, stopped } = await trainFit({
      params: p0,
      state: opt.init(p0),
      step,
      batches: () => [batch(4), batch(2)],
      epochs: 2,
      sink: { tty: false, write: (s) => lines.push(s) },
      clock: fakeClock(),
    });
    // w: 1 → 2 → 2.5 → 2.75 → 2.875 (halving the gap each step); losses 4, 1, 0.25, 0.0625
    expect(params.w.toArray()).toEqual([2.875]);
    expect(history.map((r) => [r.epoch, r.steps, r.examples])).toEqual([
      [1, 2, 6],
      [2, 2, 6],
    ]);
    expect(history[0]!.train.loss).toBeCloseTo((4 * 4 + 1 * 2) / 6, 6);
    expect(history[1]!.train.loss).toBeCloseTo((0.25 * 4 + 0.0625 * 2) / 6, 6);
    expect(stopped).toBe(false);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^epoch 1\/2 {2}step 2\/2 {2}loss 3\.000 {2}[\d.]+ steps\/s {2}\d+ ex\/s {2}ETA \d:\d\d\n$/,
    );
  });

  it('redraws one line on a TTY, evaluates, and is silent on request', async () => {
    const out: string[] = [];
    const forward = (p: P, b: B) => ({ p, b });
    const { history } = await trainFit({
      params: p0,
      state: opt.init(p0),
      step,
      batches: () => [batch(1), batch(1), batch(1)],
      epochs: 1,
      evaluate: {
        batches: () => [batch(2)],
        forward,
        metrics: [meanOf('mse', (o: ReturnType<typeof forward>) => [loss(o.p, o.b) as Tensor, 2])],
      },
      sink: { tty: true, write: (s) => out.push(s) },
      redrawSeconds: 0,
      clock: fakeClock(),
    });
    expect(out.length).toBe(4); // three redraws and the final line
    expect(out.every((s) => s.startsWith('\r'))).toBe(true);
    expect(out[3]).toMatch(/\| eval mse 0\.06250/); // w = 2.75 → (0.25)²
    expect(out[3]!.endsWith('\u001b[K\n')).toBe(true);
    expect(history[0]!.eval!.mse).toBeCloseTo(0.0625, 6);
    const silent = await trainFit({
      params: p0,
      state: opt.init(p0),
      step,
      batches: () => [batch(1)],
      epochs: 1,
      progress: 'silent',
    });
    expect(silent.history).toHaveLength(1);
  });

  it('checkpoints every N steps, stops early and calls hooks', async () => {
    const saved: [number, number][] = [];
    const epochs: number[] = [];
    const result = await trainFit({
      params: p0,
      state: opt.init(p0),
      // a constant batch of y = w keeps the loss fixed at 0 from epoch 1 on: no improvement
      step: (p: P, s: ReturnType<typeof opt.init<P>>, b: B) => ({ ...step(p, s, b), loss: 1 }),
      batches: () => [batch(1), batch(1)],
      epochs: 10,
      progress: 'silent',
      callbacks: [
        checkpointEvery(3, (p: P, _s, k) => saved.push([k, p.w.toArray() as never])),
        earlyStopping({ metric: 'train.loss', patience: 1 }),
        hook({ onEpochEnd: (r) => epochs.push(r.epoch) }),
      ],
    });
    expect(result.stopped).toBe(true);
    expect(epochs).toEqual([1, 2, 3]); // best at 1, waited 2 > patience 1 at epoch 3
    expect(saved.map(([k]) => k)).toEqual([3, 6]);
  });

  it('with stepsPerEpoch, takes the steps of each epoch in turn from the passes over the data', async () => {
    const seen: number[] = [];
    const passes: number[] = [];
    const closed: number[] = [];
    const { history } = await trainFit({
      params: 0,
      state: null,
      step: (p: number, s: null, b: number) => {
        seen.push(b);
        return { params: p + 1, state: s, loss: b };
      },
      // three batches a pass, tagged by their pass
      batches: function* (pass) {
        passes.push(pass);
        try {
          yield* [10 * pass, 10 * pass + 1, 10 * pass + 2];
        } finally {
          closed.push(pass);
        }
      },
      epochs: 3,
      stepsPerEpoch: 4,
      examplesIn: () => 1,
      progress: 'silent',
    });
    expect(seen).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32]);
    expect(passes).toEqual([0, 1, 2, 3]);
    expect(closed).toEqual([0, 1, 2, 3]); // the last pass too, when fit ends
    expect(history.map((r) => [r.steps, r.train.loss])).toEqual([
      [4, (0 + 1 + 2 + 10) / 4],
      [4, (11 + 12 + 20 + 21) / 4],
      [4, (22 + 30 + 31 + 32) / 4],
    ]);
    await expect(
      trainFit({ params: 0, state: 0, step, batches: () => [], epochs: 1, stepsPerEpoch: 2 } as never),
    ).rejects.toThrow('train.fit: batches(0) gave no batches');
    await expect(
      trainFit({ params: 0, state: 0, step, batches: () => [1], epochs: 1, stepsPerEpoch: 1.5 } as never),
    ).rejects.toThrow('train.fit: stepsPerEpoch must be a positive integer, got 1.5');
  });

  it('names bad input', async () => {
    await expect(
      trainFit({ params: p0, state: opt.init(p0), step, batches: () => [], epochs: 1, progress: 'silent' }),
    ).rejects.toThrow('train.fit: epoch 1 has no batches');
    await expect(
      trainFit({ params: p0, state: opt.init(p0), step, batches: () => [], epochs: 0 }),
    ).rejects.toThrow('train.fit: epochs must be a positive integer, got 0');
    const stopper = earlyStopping({ metric: 'eval.acc' });
    expect(() =>
      stopper.onEpochEnd!({ epoch: 1, steps: 1, examples: 1, seconds: 1, train: { loss: 1 } }, null as never),
    ).toThrow('train.earlyStopping: no metric "eval.acc" in the epoch record (have train.loss)');
  });
});

describe('progress line', () => {
  it('formats rates, metrics and the ETA', () => {
    expect(
      formatProgress({
        epoch: 1,
        epochs: 2,
        step: 10,
        stepsPerEpoch: 20,
        seconds: 2,
        examples: 640,
        values: { loss: 0.5 },
      }),
    ).toBe('epoch 1/2  step 10/20  loss 0.5000  5.0 steps/s  320 ex/s  ETA 0:06');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
