/**
 * The PyTorch-style losses (crossEntropy, nllLoss, mse/l1/smoothL1/huber, BCE with and without
 * logits): values and gradients for every reduction and option against PyTorch 1.13
 * (test/torch-fixtures/losses.json, from scripts/torch-fixtures/gen_parity.py), on every
 * backend. Bad labels and options, which throw before any kernel runs, are CPU-only at the end.
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, useBackend } from '../../test/backends/helpers.ts';
import fx from '../../test/torch-fixtures/losses.json' with { type: 'json' };
import type { Tensor } from '../index.ts';
import { grad, jit, logSoftmax, nn, sum, tensor } from '../index.ts';
import type { Reduction } from './loss-reduction.ts';

type L = Tensor<[4, 3], 'f32'>;
type P = Tensor<[2, 4], 'f32'>;
interface ValueGrad {
  readonly value: number[];
  readonly grad?: number[];
}
const BACKENDS = await backendsUnderTest();
const f32 = <const S extends number[]>(xs: readonly number[], shape: S) =>
  tensor(Float32Array.from(xs), shape) as unknown as Tensor<S, 'f32'>;
const i32 = <const S extends number[]>(xs: readonly number[], shape: S) =>
  tensor(Int32Array.from(xs), shape) as unknown as Tensor<S, 'i32'>;
const logits = () => f32(fx.logits, [4, 3]);
const labels = () => i32(fx.labels, [4]);
const weight = () => f32(fx.weight, [3]);
const REDUCTIONS = ['mean', 'sum', 'none'] as const;
const shapeOf = (r: Reduction, full: number[]) => (r === 'none' ? full : []);

/** Value and gradient (of the sum of the loss) of `f` at `x` against a fixture entry. */
async function check<S extends number[]>(
  f: (x: Tensor<S, 'f32'>) => Tensor,
  x: Tensor<S, 'f32'>,
  want: ValueGrad,
  shape: number[],
): Promise<void> {
  await expectT(f(x), shape, want.value, 1e-5, 1e-6);
  if (want.grad) {
    const g = grad((v: Tensor<S, 'f32'>) => sum(f(v)) as Tensor<[], 'f32'>)(x);
    await expectT(g, x.shape as unknown as number[], want.grad, 1e-5, 1e-6);
  }
}

describe.each(BACKENDS)('losses vs PyTorch on $name', (backend) => {
  const it = useBackend(backend);

  it('crossEntropy with labels: weight, ignoreIndex, labelSmoothing, every reduction', async () => {
    const optionSets = {
      plain: {},
      weight: { weight: weight() },
      ignore: { ignoreIndex: 2 },
      weight_ignore: { weight: weight(), ignoreIndex: 2 },
      smooth: { labelSmoothing: 0.2 },
      weight_ignore_smooth: { weight: weight(), ignoreIndex: 2, labelSmoothing: 0.2 },
    };
    for (const [name, opts] of Object.entries(optionSets))
      for (const reduction of REDUCTIONS) {
        const want = fx.ce[`${name}_${reduction}` as keyof typeof fx.ce];
        await check(
          (x: L) => nn.crossEntropy(x, labels(), { ...opts, reduction }),
          logits(),
          want,
          shapeOf(reduction, [4]),
        );
      }
  });

  it('crossEntropy with probability targets (soft labels), weight and smoothing', async () => {
    const probs = f32(fx.probs, [4, 3]);
    for (const reduction of REDUCTIONS) {
      await check(
        (x: L) => nn.crossEntropy(x, probs, { reduction }),
        logits(),
        fx.ce[`soft_plain_${reduction}`],
        shapeOf(reduction, [4]),
      );
      await check(
        (x: L) => nn.crossEntropy(x, probs, { reduction, weight: weight(), labelSmoothing: 0.1 }),
        logits(),
        fx.ce[`soft_weight_smooth_${reduction}`],
        shapeOf(reduction, [4]),
      );
    }
  });

  it('crossEntropy on [N, C, d] logits with [N, d] labels', async () => {
    const x = f32(fx.spatial.logits, [2, 3, 2]);
    const y = i32(fx.spatial.labels, [2, 2]);
    const f = (v: Tensor<[2, 3, 2], 'f32'>) => nn.crossEntropy(v, y, { weight: weight(), ignoreIndex: 1 });
    await check(f, x, { value: fx.spatial.mean, grad: fx.spatial.grad }, []);
    await expectT(nn.crossEntropy(x, y, { reduction: 'none' }), [2, 2], fx.spatial.none);
  });

  it('nllLoss with weight and ignoreIndex, every reduction', async () => {
    const logp = logSoftmax(logits());
    for (const reduction of REDUCTIONS)
      await check(
        (v: L) => nn.nllLoss(v, labels(), { weight: weight(), ignoreIndex: 0, reduction }),
        logp,
        fx.nll[reduction],
        shapeOf(reduction, [4]),
      );
  });

  it('mseLoss, l1Loss, smoothL1Loss (beta), huberLoss (delta), every reduction', async () => {
    const target = f32(fx.target, [2, 4]);
    const pred = f32(fx.pred, [2, 4]);
    for (const reduction of REDUCTIONS) {
      const reg = (k: string) => fx.regression[`${k}_${reduction}` as keyof typeof fx.regression];
      const s = shapeOf(reduction, [2, 4]);
      await check((p: P) => nn.mseLoss(p, target, { reduction }), pred, reg('mse'), s);
      await check((p: P) => nn.l1Loss(p, target, { reduction }), pred, reg('l1'), s);
      await check((p: P) => nn.smoothL1Loss(p, target, { reduction }), pred, reg('smoothL1_b1'), s);
      await check(
        (p: P) => nn.smoothL1Loss(p, target, { reduction, beta: 0.5 }),
        pred,
        reg('smoothL1_b0.5'),
        s,
      );
      await check((p: P) => nn.huberLoss(p, target, { reduction }), pred, reg('huber_d1'), s);
      await check((p: P) => nn.huberLoss(p, target, { reduction, delta: 0.5 }), pred, reg('huber_d0.5'), s);
    }
  });

  it('binaryCrossEntropyWithLogits with weight and posWeight, exact at ±100', async () => {
    const b = fx.bce;
    const x = f32(b.x, [2, 4]);
    const t = f32(b.t, [2, 4]);
    const w = f32(b.w, [2, 4]);
    const pw = f32(b.posWeight, [4]);
    for (const reduction of REDUCTIONS)
      await check(
        (v: P) => nn.binaryCrossEntropyWithLogits(v, t, { weight: w, posWeight: pw, reduction }),
        x,
        b[`logits_${reduction}`],
        shapeOf(reduction, [2, 4]),
      );
    await check((v: P) => nn.binaryCrossEntropyWithLogits(v, t), x, b.logits_plain, []);
  });

  it('binaryCrossEntropy on probabilities: log clamped at -100 (p = 0 and 1 give 100)', async () => {
    const b = fx.bce;
    const t = f32(b.t, [2, 4]);
    const w = f32(b.w, [2, 4]);
    // p = 0, 1 and 1e-50 (0 in f32; log(1e-50) = -115 in PyTorch's f64) all hit the clamp
    const p = f32(b.p, [2, 4]);
    for (const reduction of REDUCTIONS)
      await expectT(
        nn.binaryCrossEntropy(p, t, { weight: w, reduction }),
        shapeOf(reduction, [2, 4]),
        b[`probs_${reduction}`].value,
        1e-5,
        1e-5,
      );
    const p2 = f32(b.p2, [2, 4]);
    await check((v: P) => nn.binaryCrossEntropy(v, t, { weight: w }), p2, b.probs2_mean, []);
  });

  it('under jit: crossEntropy with every option is one traced program', async () => {
    const f = jit((x: L, y: Tensor<[4], 'i32'>) =>
      nn.crossEntropy(x, y, { weight: weight(), ignoreIndex: 2, labelSmoothing: 0.2 }),
    );
    await expectT(f(logits(), labels()), [], fx.ce.weight_ignore_smooth_mean.value);
  });
});

describe('losses: bad labels and options (CPU)', () => {
  cpuIt('a label out of range is an error naming the loss and the label', () => {
    const x = tensor([[1, 2, 3]]);
    expect(() => nn.crossEntropy(x, i32([3], [1]))).toThrow(
      'crossEntropy: label 3 (element 0) is out of range for 3 classes',
    );
    expect(() => nn.nllLoss(x, i32([-1], [1]))).toThrow(
      'nllLoss: label -1 (element 0) is out of range for 3 classes',
    );
    expect(() => nn.softmaxCrossEntropy(tensor([[1, 2]]) as Tensor<[1, 2], 'f32'>, i32([2], [1]))).toThrow(
      'softmaxCrossEntropy: label 2 (element 0) is out of range for 2 classes',
    );
    // an explicit ignoreIndex is the one exception
    expect(nn.crossEntropy(x, i32([-100], [1]), { ignoreIndex: -100, reduction: 'sum' }).item()).toBe(0);
  });

  cpuIt('inside a transform a bad label gives NaN, not a silent zero', () => {
    const f = jit((y: Tensor<[1], 'i32'>) => nn.crossEntropy(tensor([[1, 2, 3]]), y));
    expect(Number.isNaN(f(i32([5], [1])).item())).toBe(true);
  });

  cpuIt('bad options name the loss and the value', () => {
    const x = tensor([[1, 2, 3]]);
    const y = i32([0], [1]);
    expect(() => nn.crossEntropy(x, y, { reduction: 'avg' as never })).toThrow(
      `crossEntropy: reduction must be 'mean', 'sum' or 'none', got "avg"`,
    );
    expect(() => nn.crossEntropy(x, y, { labelSmoothing: 2 })).toThrow(
      'crossEntropy: labelSmoothing must be in [0, 1], got 2',
    );
    expect(() => nn.crossEntropy(x, y, { weight: tensor([1, 2]) })).toThrow(
      'crossEntropy: weight f32[2] must be [3], one per class',
    );
    expect(() => nn.crossEntropy(x, tensor([[0.2, 0.8, 0]]) as never, { ignoreIndex: 0 })).toThrow(
      'crossEntropy: ignoreIndex applies to i32 labels',
    );
    expect(() => nn.crossEntropy(x, i32([0, 1], [2]) as never)).toThrow(
      'crossEntropy: labels and expected shapes [2] and [1] differ',
    );
    expect(() => nn.smoothL1Loss(x, x, { beta: -1 })).toThrow(
      'smoothL1Loss: beta must be a finite number >= 0, got -1',
    );
    expect(() => nn.huberLoss(x, x, { delta: 0 })).toThrow(
      'huberLoss: delta must be a finite number > 0, got 0',
    );
    expect(() => nn.binaryCrossEntropyWithLogits(x, x, { posWeight: tensor([1, 2]) })).toThrow(
      'binaryCrossEntropyWithLogits',
    );
  });
});
