/**
 * The run-time twins of the layer guards: with dims the types cannot see (plain `number`),
 * each layer throws the same message its compile error shows, naming the layer.
 */
import { describe, expect, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import { zeros } from '../ops/creation.ts';
import { key } from '../random/index.ts';
import * as nn from './index.ts';

/** A zero tensor whose static shape is unknown, so only the run-time check sees its dims. */
const dyn = (shape: number[], dtype: 'f32' | 'i32' = 'f32') =>
  zeros(shape, { dtype }) as unknown as Tensor<number[], never>;
const k = key(0);

const cases: [string, () => unknown, string][] = [
  [
    'nn.conv1d',
    () => nn.conv1d(nn.conv1d.init(k, { in: 3, out: 2, kernel: 3 }), dyn([1, 4, 8])),
    'nn.conv1d: input channels 4 and weight in-channels 3 differ',
  ],
  [
    'nn.conv3d',
    () => nn.conv3d(nn.conv3d.init(k, { in: 3, out: 2, kernel: 1 }), dyn([1, 4, 2, 2, 2])),
    'nn.conv3d: input channels 4 and weight in-channels 3 differ',
  ],
  [
    'nn.convTranspose2d',
    () => nn.convTranspose2d(nn.convTranspose2d.init(k, { in: 3, out: 2, kernel: 2 }), dyn([1, 4, 2, 2])),
    'nn.convTranspose2d: input channels 4 and weight in-channels 3 differ',
  ],
  [
    'nn.batchNorm',
    () =>
      nn.batchNorm(
        nn.batchNorm.init(k, { features: 3 }),
        nn.batchNorm.initState({ features: 3 }),
        dyn([2, 4]),
        {
          training: true,
        },
      ),
    'nn.batchNorm: input channels 4 and features 3 differ',
  ],
  [
    'nn.groupNorm',
    () => nn.groupNorm(nn.groupNorm.init(k, { features: 4 }), dyn([2, 6, 3]), 2),
    'nn.groupNorm: input channels 6 and features 4 differ',
  ],
  [
    'nn.gru',
    () => nn.gru(nn.gru.init(k, { in: 3, hidden: 2 }), dyn([2, 1, 4])),
    'nn.gru: input last dim 4 and features 3 differ',
  ],
  [
    'nn.lstmCell',
    () => {
      const p = nn.lstm.init(k, { in: 3, hidden: 2 });
      return nn.lstmCell(p, { h: zeros([1, 2]), c: zeros([1, 2]) }, dyn([1, 4]));
    },
    'nn.lstmCell: input last dim 4 and features 3 differ',
  ],
  [
    'nn.lstm initial state',
    () =>
      nn.lstm(nn.lstm.init(k, { in: 3, hidden: 2 }), dyn([5, 4, 3]), {
        initial: { h: dyn([2, 2]), c: dyn([2, 2]) } as never,
      }),
    'nn.lstm: initial state batch 2 and 4 differ',
  ],
  [
    'nn.bidirectional',
    () => {
      const bi = nn.bidirectional(nn.rnn);
      return bi(bi.init(k, { in: 3, hidden: 2 }), dyn([5, 1, 4]));
    },
    'nn.bidirectional: input last dim 4 and features 3 differ',
  ],
  [
    'nn.attention',
    () => nn.attention(dyn([1, 2, 4]), dyn([1, 3, 4]), dyn([1, 5, 4])),
    'nn.attention: key length 3 and value length 5 differ',
  ],
  [
    'nn.crossEntropy',
    () => nn.crossEntropy(dyn([2, 5]), dyn([3], 'i32')),
    'crossEntropy: labels and expected shapes [3] and [2] differ',
  ],
  [
    'nn.nllLoss',
    () => nn.nllLoss(dyn([2, 5, 4]), dyn([2, 3], 'i32')),
    'nllLoss: labels and expected shapes [2, 3] and [2, 4] differ',
  ],
];

describe('layer guards at run time name the layer, with the compile-time text', () => {
  test.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
