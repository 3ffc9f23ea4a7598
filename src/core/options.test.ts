import { describe, expect, it } from 'vitest';
import * as tg from '../index.ts';
import { nn, optim, random } from '../index.ts';
import { checkOptions } from './options.ts';

const x = () => tg.zeros([2, 3]);
const key = () => random.key(0);
const bad = { bogus: 1 } as never;

/** Every public function taking an options object, called with an unknown key. */
const calls: [string, () => unknown][] = [
  ['sum', () => tg.sum(x(), bad)],
  ['mean', () => tg.mean(x(), bad)],
  ['max', () => tg.max(x(), bad)],
  ['min', () => tg.min(x(), bad)],
  ['variance', () => tg.variance(x(), bad)],
  ['logsumexp', () => tg.logsumexp(x(), bad)],
  ['argmax', () => tg.argmax(x(), bad)],
  ['argmin', () => tg.argmin(x(), bad)],
  ['softmax', () => tg.softmax(x(), bad)],
  ['logSoftmax', () => tg.logSoftmax(x(), bad)],
  ['leakyRelu', () => tg.leakyRelu(x(), bad)],
  ['elu', () => tg.elu(x(), bad)],
  ['transpose', () => tg.transpose(x(), bad)],
  ['flatten', () => tg.flatten(x(), bad)],
  ['squeeze', () => tg.squeeze(x(), bad)],
  ['concat', () => tg.concat([x(), x()], bad)],
  ['stack', () => tg.stack([x(), x()], bad)],
  [
    'pad',
    () =>
      tg.pad(
        x(),
        [
          [0, 0],
          [0, 0],
        ],
        bad,
      ),
  ],
  ['take', () => tg.take(x(), tg.zeros([1], { dtype: 'i32' }), bad)],
  ['oneHot', () => tg.oneHot(tg.zeros([2], { dtype: 'i32' }), 3, bad)],
  ['tensor', () => tg.tensor([1, 2], bad)],
  ['zeros', () => tg.zeros([2], bad)],
  ['ones', () => tg.ones([2], bad)],
  ['full', () => tg.full([2], 1, bad)],
  ['arange', () => tg.arange(0, 3, bad)],
  ['eye', () => tg.eye(2, bad)],
  ['assertShape', () => tg.assertShape(x(), [2, 3], bad)],
  ['conv2d', () => tg.conv2d(tg.zeros([1, 1, 3, 3]), tg.zeros([1, 1, 1, 1]), { bogus: 1 } as { stride?: 1 })],
  ['conv1d', () => tg.conv1d(tg.zeros([1, 1, 3]), tg.zeros([1, 1, 1]), { bogus: 1 } as { stride?: 1 })],
  ['convTranspose2d', () => tg.convTranspose2d(tg.zeros([1, 1, 3, 3]), tg.zeros([1, 1, 1, 1]), bad)],
  ['maxPool2d', () => tg.maxPool2d(tg.zeros([1, 1, 4, 4]), { window: 2, bogus: 1 } as never)],
  ['avgPool2d', () => tg.avgPool2d(tg.zeros([1, 1, 4, 4]), { window: 2, bogus: 1 } as never)],
  ['grad', () => tg.grad(() => tg.zeros([]), bad)],
  ['valueAndGrad', () => tg.valueAndGrad(() => tg.zeros([]), bad)],
  ['vmap', () => tg.vmap((a: tg.Tensor) => a, bad)],
  ['jit', () => tg.jit((a: tg.Tensor) => a, bad)],
  ['scan', () => tg.scan((c: tg.Tensor, a: tg.Tensor) => [c, a] as const, tg.zeros([]), tg.zeros([3]), bad)],
  [
    'whileLoop',
    () =>
      tg.whileLoop(
        (c: tg.Tensor) => tg.less(c, 1),
        (c) => c,
        tg.zeros([]),
        bad,
      ),
  ],
  ['random.split', () => random.split(key(), bad)],
  ['random.splitKeys', () => random.splitKeys(key(), bad)],
  ['random.uniform', () => random.uniform(key(), [2], bad)],
  ['random.normal', () => random.normal(key(), [2], bad)],
  ['random.truncatedNormal', () => random.truncatedNormal(key(), [2], bad)],
  ['random.categorical', () => random.categorical(key(), x(), bad)],
  ['nn.init.uniform', () => nn.init.uniform(bad)],
  ['nn.init.normal', () => nn.init.normal(bad)],
  ['nn.init', () => nn.init.glorotUniform(key(), [2, 2], bad)],
  ['nn.dense.init', () => nn.dense.init(key(), { in: 2, out: 2, bogus: 1 } as never)],
  ['nn.conv2d.init', () => nn.conv2d.init(key(), { in: 1, out: 1, kernel: 1, bogus: 1 } as never)],
  ['nn.embedding.init', () => nn.embedding.init(key(), { vocab: 2, dim: 2, bogus: 1 } as never)],
  ['nn.layerNorm.init', () => nn.layerNorm.init(key(), { features: 2, bogus: 1 } as never)],
  ['nn.rnn.init', () => nn.rnn.init(key(), { in: 2, hidden: 2, bogus: 1 } as never)],
  ['nn.lstm.init', () => nn.lstm.init(key(), { in: 2, hidden: 2, bogus: 1 } as never)],
  [
    'nn.multiHeadAttention.init',
    () => nn.multiHeadAttention.init(key(), { dim: 4, heads: 2, bogus: 1 } as never),
  ],
  ['nn.layerNorm', () => nn.layerNorm(nn.layerNorm.init(key(), { features: 3 }), x(), bad)],
  ['nn.rnn', () => nn.rnn(nn.rnn.init(key(), { in: 3, hidden: 2 }), tg.zeros([1, 2, 3]), bad)],
  ['nn.lstm', () => nn.lstm(nn.lstm.init(key(), { in: 3, hidden: 2 }), tg.zeros([1, 2, 3]), bad)],
  ['nn.attention', () => nn.attention(x(), x(), x(), bad)],
  ['nn.dropout', () => nn.dropout(key(), 0.5, x(), { training: true, bogus: 1 } as never)],
  ['nn.softmaxCrossEntropy', () => nn.softmaxCrossEntropy(x(), tg.zeros([2], { dtype: 'i32' }), bad)],
  ['optim.momentum', () => optim.momentum(0.1, bad)],
  ['optim.adam', () => optim.adam(0.1, bad)],
  ['optim.adamw', () => optim.adamw(0.1, bad)],
  ['optim.rmsprop', () => optim.rmsprop(0.1, bad)],
  ['optim.cosineDecay', () => optim.cosineDecay(0.1, 10, bad)],
  ['data.batchCount', () => tg.data.batchCount(10, 3, bad)],
];

describe('unknown option keys are an error naming the function and the key', () => {
  it.each(calls)('%s', (name, call) => {
    expect(call).toThrow(`${name}: unknown option 'bogus'`);
  });

  it('sum(x, { keepDims: true }) is not silently ignored', () => {
    expect(() => tg.sum(x(), { keepDims: true } as never)).toThrow(
      "sum: unknown option 'keepDims' (known options: axis, keepdims)",
    );
  });

  it('the old positional forms are rejected with the options they should be', () => {
    expect(() => tg.concat([x(), x()], 1 as never)).toThrow(
      'concat: options must be an object like { axis }, got the number 1; did you mean { axis: 1 }?',
    );
    expect(() => tg.transpose(x(), [1, 0] as never)).toThrow(
      'transpose: options must be an object like { perm }, got the array [1,0]; did you mean { perm: [1,0] }?',
    );
    expect(() => tg.zeros([2], 'i32' as never)).toThrow(
      "zeros: options must be an object like { dtype }, got the string 'i32'; did you mean { dtype: 'i32' }?",
    );
  });

  it('known keys and absent options pass', () => {
    expect(() => checkOptions('sum', undefined, ['axis'])).not.toThrow();
    expect(() => checkOptions('sum', { axis: 0, keepdims: true }, ['axis', 'keepdims'])).not.toThrow();
    expect(() => checkOptions('flatten', null, [])).toThrow('flatten: options must be an object');
  });
});
