/** Type tests of the PyTorch-parity layers and losses (issue 10): result types and misuse. */
import { describe, expectTypeOf, test } from 'vitest';
import { nn, type Tensor } from '../index.ts';

declare const logits: Tensor<['B', 10], 'f32'>;
declare const labels: Tensor<['B'], 'i32'>;
declare const seg: Tensor<['B', 5, 8, 8], 'f32'>;
declare const segLabels: Tensor<['B', 8, 8], 'i32'>;
declare const pred: Tensor<[4, 3], 'f32'>;
declare const target: Tensor<[4, 3], 'f32'>;
declare const other: Tensor<[4, 2], 'f32'>;
declare const ints: Tensor<[4, 3], 'i32'>;

describe('losses', () => {
  test('crossEntropy / nllLoss: a scalar, or the label shape for reduction none', () => {
    expectTypeOf(nn.crossEntropy(logits, labels)).toEqualTypeOf<Tensor<[], 'f32'>>();
    expectTypeOf(nn.crossEntropy(logits, labels, { reduction: 'none' })).toEqualTypeOf<
      Tensor<['B'], 'f32'>
    >();
    expectTypeOf(nn.crossEntropy(seg, segLabels, { reduction: 'none', ignoreIndex: 0 })).toEqualTypeOf<
      Tensor<['B', 8, 8], 'f32'>
    >();
    expectTypeOf(nn.nllLoss(logits, labels, { reduction: 'sum' })).toEqualTypeOf<Tensor<[], 'f32'>>();
    // @ts-expect-error the labels of [B, 5, 8, 8] logits are [B, 8, 8]
    nn.crossEntropy(seg, labels);
    // @ts-expect-error reduction is 'mean' | 'sum' | 'none'
    nn.crossEntropy(logits, labels, { reduction: 'avg' });
    // @ts-expect-error integer logits
    nn.nllLoss(ints, labels);
  });

  test('regression and binary losses: same shapes, reduction none keeps them', () => {
    expectTypeOf(nn.mseLoss(pred, target)).toEqualTypeOf<Tensor<[], 'f32'>>();
    expectTypeOf(nn.huberLoss(pred, target, { reduction: 'none', delta: 2 })).toEqualTypeOf<
      Tensor<[4, 3], 'f32'>
    >();
    expectTypeOf(nn.binaryCrossEntropyWithLogits(pred, target, { reduction: 'sum' })).toEqualTypeOf<
      Tensor<[], 'f32'>
    >();
    // @ts-expect-error smoothL1Loss: input and target shapes differ
    nn.smoothL1Loss(pred, other);
    // @ts-expect-error binaryCrossEntropy: input and target shapes differ
    nn.binaryCrossEntropy(pred, other);
    // @ts-expect-error beta is a number
    nn.smoothL1Loss(pred, target, { beta: 'one' });
  });
});

declare const img: Tensor<['B', 3, 8, 8], 'f32'>;
declare const seq: Tensor<['B', 5, 16], 'f32'>;

describe('normalisation layers', () => {
  test('batchNorm returns [y, new state]; groupNorm and layerNorm keep the shape', () => {
    const p = nn.batchNorm.init(null, { features: 3 });
    const s = nn.batchNorm.initState({ features: 3 });
    expectTypeOf(p).toEqualTypeOf<nn.NormParams<3, 'f32'>>();
    expectTypeOf(nn.batchNorm(p, s, img, { training: true })).toEqualTypeOf<
      [Tensor<['B', 3, 8, 8], 'f32'>, nn.BatchNormState<3, 'f32'>]
    >();
    expectTypeOf(nn.groupNorm(p, img, 3)).toEqualTypeOf<Tensor<['B', 3, 8, 8], 'f32'>>();
    const ln = nn.layerNorm.init(null, { normalizedShape: [5, 16] });
    expectTypeOf(ln).toEqualTypeOf<nn.LayerNormNdParams<[5, 16], 'f32'>>();
    expectTypeOf(nn.layerNorm(ln, seq)).toEqualTypeOf<Tensor<['B', 5, 16], 'f32'>>();
    expectTypeOf(
      nn.layerNorm.init(null, { normalizedShape: [16], elementwiseAffine: false }),
    ).toEqualTypeOf<nn.NoParams>();
    // @ts-expect-error batchNorm needs the training flag
    nn.batchNorm(p, s, img, {});
    // @ts-expect-error groups is a number
    nn.groupNorm(p, img, { groups: 3 });
    // @ts-expect-error without params the normalizedShape option is required
    nn.layerNorm({}, seq);
  });
});

declare const xs: Tensor<['T', 'B', 8], 'f32'>;
declare const key: import('../random/index.ts').Key;
declare const ids: Tensor<['B', 'L'], 'i32'>;

describe('recurrent and simple layers', () => {
  test('gru, rnn relu, dense without bias, embedding paddingIdx', () => {
    const g = nn.gru.init(key, { in: 8, hidden: 16 });
    expectTypeOf(g.wx).toEqualTypeOf<Tensor<[8, 48], 'f32'>>();
    expectTypeOf(nn.gru(g, xs)).toEqualTypeOf<[Tensor<['T', 'B', 16], 'f32'>, Tensor<['B', 16], 'f32'>]>();
    const r = nn.rnn.init(key, { in: 8, hidden: 4 });
    expectTypeOf(nn.rnn(r, xs, { nonlinearity: 'relu' })[1]).toEqualTypeOf<Tensor<['B', 4], 'f32'>>();
    const d = nn.dense.init(key, { in: 8, out: 3, bias: false });
    expectTypeOf(d).toEqualTypeOf<nn.DenseNoBiasParams<8, 3, 'f32'>>();
    const e = nn.embedding.init(key, { vocab: 100, dim: 8, paddingIdx: 0 });
    expectTypeOf(nn.embedding(e, ids, { paddingIdx: 0 })).toEqualTypeOf<Tensor<['B', 'L', 8], 'f32'>>();
    const wrong = nn.gru.init(key, { in: 9, hidden: 16 });
    // @ts-expect-error nn.gru: input last dim 8 and features 9 differ
    nn.gru(wrong, xs);
    // @ts-expect-error nonlinearity is 'tanh' | 'relu'
    nn.rnn(r, xs, undefined, { nonlinearity: 'gelu' });
  });
});

declare const signal: Tensor<['B', 16, 100], 'f32'>;
declare const volume: Tensor<['B', 2, 8, 8, 8], 'f32'>;

describe('conv layers', () => {
  test('nn.conv1d / nn.conv3d are typed like nn.conv2d', () => {
    const c1 = nn.conv1d.init(key, { in: 16, out: 32, kernel: 5 });
    expectTypeOf(c1.w).toEqualTypeOf<Tensor<[32, 16, 5], 'f32'>>();
    expectTypeOf(nn.conv1d(c1, signal)).toEqualTypeOf<Tensor<['B', 32, 96], 'f32'>>();
    const c3 = nn.conv3d.init(key, { in: 2, out: 4, kernel: 3 });
    expectTypeOf(nn.conv3d(c3, volume, { padding: 1 })).toEqualTypeOf<Tensor<['B', 4, 8, 8, 8], 'f32'>>();
    const wrong = nn.conv1d.init(key, { in: 8, out: 32, kernel: 5 });
    // @ts-expect-error conv1d: input channels 16 and weight in-channels 8 differ
    nn.conv1d(wrong, signal);
    const t2 = nn.convTranspose2d.init(key, { in: 16, out: 3, kernel: 2 });
    expectTypeOf(t2.b).toEqualTypeOf<Tensor<[3], 'f32'>>();
  });
});
