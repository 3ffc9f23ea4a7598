/** Type-test rows of the nn layers and losses (see case.ts); B is the batch dim, T time. */
import type { TypeCase } from './case.ts';

export const layerRows: TypeCase[] = [
  {
    name: 'nn.dense',
    ok: `const p = nn.dense.init(key, { in: 784, out: 400 });
same(nn.dense(p, t<[B, 784]>()))(t<[B, 400]>());
same(nn.dense(p, t<[T, B, 784]>()))(t<[T, B, 400]>());`,
    bad: `const p = nn.dense.init(key, { in: 784, out: 400 });
nn.dense(p, t<[B, 400]>()); // ERR: nn.dense: input features 400 and weight rows 784 differ
nn.dense(p, t<[B, T]>()); // ERR: nn.dense: input features T and weight rows 784 differ`,
  },
  {
    name: 'nn.conv2d',
    ok: `const p = nn.conv2d.init(key, { in: 1, out: 6, kernel: 5 });
same(nn.conv2d(p, t<[B, 1, 28, 28]>(), { padding: 2 }))(t<[B, 6, 28, 28]>());`,
    bad: `const p = nn.conv2d.init(key, { in: 3, out: 6, kernel: 5 });
nn.conv2d(p, t<[B, 1, 28, 28]>()); // ERR: nn.conv2d: input channels 1 and weight in-channels 3 differ`,
  },
  {
    name: 'nn.conv1d',
    ok: `const p = nn.conv1d.init(key, { in: 16, out: 32, kernel: 3 });
same(nn.conv1d(p, t<[B, 16, 100]>(), { padding: 1 }))(t<[B, 32, 100]>());`,
    bad: `const p = nn.conv1d.init(key, { in: 16, out: 32, kernel: 3 });
nn.conv1d(p, t<[B, 8, 100]>()); // ERR: nn.conv1d: input channels 8 and weight in-channels 16 differ`,
  },
  {
    name: 'nn.conv3d',
    ok: `const p = nn.conv3d.init(key, { in: 3, out: 4, kernel: 3 });
same(nn.conv3d(p, t<[B, 3, 8, 8, 8]>()))(t<[B, 4, 6, 6, 6]>());`,
    bad: `const p = nn.conv3d.init(key, { in: 3, out: 4, kernel: 3 });
nn.conv3d(p, t<[B, 4, 8, 8, 8]>()); // ERR: nn.conv3d: input channels 4 and weight in-channels 3 differ`,
  },
  {
    name: 'nn.convTranspose2d',
    ok: `const p = nn.convTranspose2d.init(key, { in: 16, out: 3, kernel: 2 });
same(nn.convTranspose2d(p, t<[B, 16, 8, 8]>(), { stride: 2 }))(t<[B, 3, 16, 16]>());`,
    bad: `const p = nn.convTranspose2d.init(key, { in: 16, out: 3, kernel: 2 });
nn.convTranspose2d(p, t<[B, 8, 8, 8]>()); // ERR: nn.convTranspose2d: input channels 8 and weight in-channels 16 differ`,
  },
  {
    name: 'nn.embedding',
    ok: `const p = nn.embedding.init(key, { vocab: 100, dim: 8 });
same(nn.embedding(p, t<[T, B], 'i32'>()))(t<[T, B, 8]>());`,
    noBad: 'any i32 ids shape is valid; an id out of range is a run-time error',
  },
  {
    name: 'nn.layerNorm',
    ok: `const p = nn.layerNorm.init(key, { features: 16 });
same(nn.layerNorm(p, t<[B, T, 16]>()))(t<[B, T, 16]>());
const nd = nn.layerNorm.init(key, { normalizedShape: [5, 16] });
same(nn.layerNorm(nd, t<[B, 5, 16]>()))(t<[B, 5, 16]>());`,
    bad: `const p = nn.layerNorm.init(key, { features: 16 });
nn.layerNorm(p, t<[B, T, 12]>()); // ERR: nn.layerNorm: input last dim 12 and features 16 differ
nn.layerNorm(p, t<[B, 16, T]>()); // ERR: nn.layerNorm: input last dim T and features 16 differ`,
  },
  {
    name: 'nn.batchNorm',
    ok: `const p = nn.batchNorm.init(key, { features: 6 });
const s = nn.batchNorm.initState({ features: 6 });
same(nn.batchNorm(p, s, t<[B, 6, 8, 8]>(), { training: true })[0])(t<[B, 6, 8, 8]>());`,
    bad: `const p = nn.batchNorm.init(key, { features: 6 });
const s = nn.batchNorm.initState({ features: 6 });
nn.batchNorm(p, s, t<[B, 8, 8, 6]>(), { training: true }); // ERR: nn.batchNorm: input channels 8 and features 6 differ
nn.batchNorm(p, s, t<[B, T, 8, 8]>(), { training: true }); // ERR: nn.batchNorm: input channels T and features 6 differ`,
  },
  {
    name: 'nn.groupNorm',
    ok: `const p = nn.groupNorm.init(key, { features: 32 });
same(nn.groupNorm(p, t<[B, 32, 8, 8]>(), 8))(t<[B, 32, 8, 8]>());`,
    bad: `const p = nn.groupNorm.init(key, { features: 32 });
nn.groupNorm(p, t<[B, 16, 8, 8]>(), 8); // ERR: nn.groupNorm: input channels 16 and features 32 differ`,
  },
  {
    name: 'nn.rnn',
    ok: `const p = nn.rnn.init(key, { in: 8, hidden: 4 });
const [ys, h] = nn.rnn(p, t<[T, B, 8]>());
same(ys)(t<[T, B, 4]>());
same(h)(t<[B, 4]>());`,
    bad: `const p = nn.rnn.init(key, { in: 8, hidden: 4 });
nn.rnn(p, t<[T, B, 9]>()); // ERR: nn.rnn: input last dim 9 and features 8 differ`,
  },
  {
    name: 'nn.lstm',
    ok: `const p = nn.lstm.init(key, { in: 8, hidden: 32 });
const [ys, st] = nn.lstm(p, t<[T, B, 8]>());
same(ys)(t<[T, B, 32]>());
same(st.c)(t<[B, 32]>());`,
    bad: `const p = nn.lstm.init(key, { in: 8, hidden: 32 });
nn.lstm(p, t<[B, 8]>()); // ERR: nn.lstm: input rank 2 and expected rank 3 differ`,
  },
  {
    name: 'nn.gru',
    ok: `const p = nn.gru.init(key, { in: 8, hidden: 32 });
same(nn.gru(p, t<[T, B, 8]>())[0])(t<[T, B, 32]>());`,
    bad: `const p = nn.gru.init(key, { in: 8, hidden: 32 });
nn.gru(p, t<[T, B, 16]>()); // ERR: nn.gru: input last dim 16 and features 8 differ`,
  },
  {
    name: 'nn.rnnCell',
    ok: `const p = nn.rnn.init(key, { in: 8, hidden: 4 });
same(nn.rnnCell(p, t<[B, 4]>(), t<[B, 8]>()))(t<[B, 4]>());`,
    bad: `const p = nn.rnn.init(key, { in: 8, hidden: 4 });
nn.rnnCell(p, t<[B, 4]>(), t<[B, 4]>()); // ERR: nn.rnnCell: input last dim 4 and features 8 differ`,
  },
  {
    name: 'nn.lstmCell',
    ok: `const p = nn.lstm.init(key, { in: 8, hidden: 32 });
same(nn.lstmCell(p, { h: t<[B, 32]>(), c: t<[B, 32]>() }, t<[B, 8]>()).h)(t<[B, 32]>());`,
    bad: `const p = nn.lstm.init(key, { in: 8, hidden: 32 });
nn.lstmCell(p, { h: t<[B, 32]>(), c: t<[B, 32]>() }, t<[B, 32]>()); // ERR: nn.lstmCell: input last dim 32 and features 8 differ`,
  },
  {
    name: 'nn.gruCell',
    ok: `const p = nn.gru.init(key, { in: 8, hidden: 32 });
same(nn.gruCell(p, t<[B, 32]>(), t<[B, 8]>()))(t<[B, 32]>());`,
    bad: `const p = nn.gru.init(key, { in: 8, hidden: 32 });
nn.gruCell(p, t<[B, 32]>(), t<[B, 9]>()); // ERR: nn.gruCell: input last dim 9 and features 8 differ`,
  },
  {
    name: 'nn.attention',
    ok: 'same(nn.attention(t<[B, T, 16]>(), t<[B, 7, 16]>(), t<[B, 7, 32]>()))(t<[B, T, 32]>());',
    bad: `nn.attention(t<[B, T, 16]>(), t<[B, T, 8]>(), t<[B, T, 8]>()); // ERR: nn.attention: input last dim 8 and query dim 16 differ
nn.attention(t<[B, T, 16]>(), t<[B, 7, 16]>(), t<[B, 6, 16]>()); // ERR: nn.attention: key length 7 and value length 6 differ`,
  },
  {
    name: 'nn.multiHeadAttention',
    ok: `const p = nn.multiHeadAttention.init(key, { dim: 16, heads: 4 });
same(nn.multiHeadAttention(p, t<[B, T, 16]>()))(t<[B, T, 16]>());
same(nn.multiHeadAttention(p, t<[B, T, 16]>(), { context: t<[B, 9, 16]>() }))(t<[B, T, 16]>());`,
    bad: `const p = nn.multiHeadAttention.init(key, { dim: 16, heads: 4 });
nn.multiHeadAttention(p, t<[B, T, 12]>()); // ERR: nn.multiHeadAttention: input last dim 12 and model dim 16 differ
nn.multiHeadAttention(p, t<[B, T, 16]>(), { context: t<[B, 9, 12]>() }); // ERR: nn.multiHeadAttention: input context width 12 and model dim 16 differ`,
  },
  {
    name: 'nn.flatten',
    ok: 'same(nn.flatten(t<[B, 16, 5, 5]>()))(t<[B, 400]>());',
    bad: 'nn.flatten(t<[B]>()); // ERR: flatten: axis 1 is out of range for rank 1',
  },
  {
    name: 'nn.dropout',
    ok: 'same(nn.dropout(key, 0.5, t<[B, T, 16]>(), { training: true }))(t<[B, T, 16]>());',
    noBad: 'keeps any shape',
  },
  {
    name: 'nn.softmaxCrossEntropy',
    ok: "same(nn.softmaxCrossEntropy(t<[B, 10]>(), t<[B], 'i32'>()))(t<[]>());",
    bad: `nn.softmaxCrossEntropy(t<[32, 10]>(), t<[16], 'i32'>()); // ERR: nn.softmaxCrossEntropy: batch dims 32 and 16 differ
nn.softmaxCrossEntropy(t<[B, 10]>(), t<[T], 'i32'>()); // ERR: nn.softmaxCrossEntropy: batch dims B and T differ`,
  },
  {
    name: 'nn.accuracy',
    ok: "same(nn.accuracy(t<[B, 10]>(), t<[B], 'i32'>()))(t<[]>());",
    bad: "nn.accuracy(t<[64, 10]>(), t<[32], 'i32'>()); // ERR: nn.accuracy: batch dims 64 and 32 differ",
  },
  {
    name: 'nn.mse',
    ok: 'same(nn.mse(t<[B, 3]>(), t<[B, 3]>()))(t<[]>());',
    bad: 'nn.mse(t<[B, 3]>(), t<[B, 4]>()); // ERR: nn.mse: prediction and target shapes [B, 3] and [B, 4] differ',
  },
  {
    name: 'nn.sigmoidBinaryCrossEntropy',
    ok: 'same(nn.sigmoidBinaryCrossEntropy(t<[B, 1]>(), t<[B, 1]>()))(t<[]>());',
    bad: 'nn.sigmoidBinaryCrossEntropy(t<[B, 1]>(), t<[B]>()); // ERR: nn.sigmoidBinaryCrossEntropy: logits and targets shapes [B, 1] and [B] differ',
  },
  ...[
    'mseLoss',
    'l1Loss',
    'smoothL1Loss',
    'huberLoss',
    'binaryCrossEntropy',
    'binaryCrossEntropyWithLogits',
  ].map(
    (op): TypeCase => ({
      name: `nn.${op}`,
      ok: `same(nn.${op}(t<[B, T]>(), t<[B, T]>()))(t<[]>());\nsame(nn.${op}(t<[B, T]>(), t<[B, T]>(), { reduction: 'none' }))(t<[B, T]>());`,
      bad: `nn.${op}(t<[B, 10]>(), t<[B, 1]>()); // ERR: ${op}: input and target shapes [B, 10] and [B, 1] differ`,
    }),
  ),
  {
    name: 'nn.crossEntropy',
    ok: "same(nn.crossEntropy(t<[B, 10]>(), t<[B], 'i32'>(), { reduction: 'none' }))(t<[B]>());",
    bad: "nn.crossEntropy(t<[B, 10, 8]>(), t<[B, 10], 'i32'>()); // ERR: crossEntropy: labels and expected shapes [B, 10] and [B, 8] differ",
  },
  {
    name: 'nn.nllLoss',
    ok: "same(nn.nllLoss(t<[B, 10]>(), t<[B], 'i32'>(), { reduction: 'none' }))(t<[B]>());",
    bad: "nn.nllLoss(t<[B, 10]>(), t<[B, 1], 'i32'>()); // ERR: nllLoss: labels and expected shapes [B, 1] and [B] differ",
  },
  {
    name: 'nn.bidirectional',
    ok: `const bi = nn.bidirectional(nn.lstm);
const [ys, st] = bi(bi.init(key, { in: 16, hidden: 32 }), t<[T, B, 16]>());
same(ys)(t<[T, B, 64]>());
same(st.backward.h)(t<[B, 32]>());
const g = nn.bidirectional(nn.gru);
same(g(g.init(key, { in: 16, hidden: 8 }), t<[T, B, 16]>())[0])(t<[T, B, 16]>());`,
    bad: `const bi = nn.bidirectional(nn.rnn);
bi(bi.init(key, { in: 16, hidden: 32 }), t<[T, B, 8]>()); // ERR: nn.bidirectional: input last dim 8 and features 16 differ`,
  },
  {
    name: 'nn.causalMask',
    ok: "same(nn.causalMask(4))(t<[number, number], 'bool'>());",
    noBad: 'takes a length, not a tensor',
  },
  ...(['rnn', 'lstm', 'gru'] as const).map(
    (k): TypeCase => ({
      name: `nn.${k}Stack`,
      ok: `const p = nn.${k}Stack.init(key, { in: 8, hidden: 32, layers: 2 });
same(nn.${k}Stack(p, t<[T, B, 8]>())[0])(t<[T, B, 32]>());
const bi = nn.${k}Stack.initFor(key, t<[T, B, 8]>(), { hidden: 16, layers: 2, bidirectional: true });
same(nn.${k}Stack(bi, t<[T, B, 8]>())[0])(t<[T, B, 32]>());`,
      bad: `const p = nn.${k}Stack.init(key, { in: 8, hidden: 32, layers: 2 });
nn.${k}Stack(p, t<[T, B, 9]>()); // ERR: nn.${k}Stack: input last dim 9 and features 8 differ
nn.${k}Stack(p, t<[T, B, T]>()); // ERR: nn.${k}Stack: input last dim T and features 8 differ`,
    }),
  ),
];
