/**
 * Issue 11: samplers free their own intermediates, so after a draw memory() holds exactly
 * the result (not 20-45x its size until GC), on every backend.
 */
import { describe, expect } from 'vitest';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, useBackend } from '../backends/helpers.ts';

const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('sampler memory on $name', (backend) => {
  const test = useBackend(backend);
  const usage = () => tg.memory()[backend.name] ?? { tensors: 0, bytes: 0 };

  test.each([
    ['uniform', (k: tg.random.Key) => tg.random.uniform(k, [784, 512], { minval: -1, maxval: 1 })],
    ['normal', (k: tg.random.Key) => tg.random.normal(k, [784, 512], { std: 0.1 })],
    ['truncatedNormal', (k: tg.random.Key) => tg.random.truncatedNormal(k, [784, 512])],
    ['bernoulli', (k: tg.random.Key) => tg.random.bernoulli(k, 0.3, [784, 512])],
  ] as const)('random.%s leaves only its result alive', (_, draw) => {
    const key = tg.random.key(1);
    const before = usage();
    const t = draw(key);
    const after = usage();
    expect(after.tensors - before.tensors).toBe(1);
    expect(after.bytes - before.bytes).toBe(t.size * (t.dtype === 'bool' ? 1 : 4));
    t.dispose();
    key.dispose();
  });
});

type Init = (k: tg.random.Key) => unknown;
const { nn } = tg;

/** Every layer init, by default and (where it has one) with a kernelInit of He normal. */
const LAYER_INITS: readonly (readonly [string, Init])[] = [
  ['nn.dense.init', (k) => nn.dense.init(k, { in: 784, out: 512 })],
  ['nn.dense.init (heNormal)', (k) => nn.dense.init(k, { in: 784, out: 512, kernelInit: nn.init.heNormal })],
  ['nn.dense.init (no bias)', (k) => nn.dense.init(k, { in: 64, out: 32, bias: false })],
  ['nn.conv2d.init', (k) => nn.conv2d.init(k, { in: 3, out: 16, kernel: 3 })],
  [
    'nn.conv2d.init (heNormal)',
    (k) => nn.conv2d.init(k, { in: 8, out: 16, kernel: [3, 5], kernelInit: nn.init.heNormal }),
  ],
  ['nn.embedding.init', (k) => nn.embedding.init(k, { vocab: 100, dim: 16 })],
  ['nn.embedding.init (paddingIdx)', (k) => nn.embedding.init(k, { vocab: 100, dim: 16, paddingIdx: 0 })],
  ['nn.layerNorm.init', (k) => nn.layerNorm.init(k, { features: 64 })],
  ['nn.batchNorm.init', (k) => nn.batchNorm.init(k, { features: 32 })],
  ['nn.groupNorm.init', (k) => nn.groupNorm.init(k, { features: 32 })],
  ['nn.rnn.init', (k) => nn.rnn.init(k, { in: 16, hidden: 32 })],
  ['nn.rnn.init (heNormal)', (k) => nn.rnn.init(k, { in: 16, hidden: 32, kernelInit: nn.init.heNormal })],
  ['nn.lstm.init (forgetBias)', (k) => nn.lstm.init(k, { in: 16, hidden: 32, forgetBias: 1 })],
  ['nn.lstm.init (heNormal)', (k) => nn.lstm.init(k, { in: 16, hidden: 32, kernelInit: nn.init.heNormal })],
  ['nn.gru.init', (k) => nn.gru.init(k, { in: 16, hidden: 32 })],
  ['nn.gru.init (heNormal)', (k) => nn.gru.init(k, { in: 16, hidden: 32, kernelInit: nn.init.heNormal })],
  ['nn.multiHeadAttention.init', (k) => nn.multiHeadAttention.init(k, { dim: 64, heads: 4 })],
  [
    'nn.multiHeadAttention.init (heNormal)',
    (k) => nn.multiHeadAttention.init(k, { dim: 64, heads: 4, kernelInit: nn.init.heNormal }),
  ],
  ['nn.bidirectional.init (lstm)', (k) => nn.bidirectional(nn.lstm).init(k, { in: 16, hidden: 32 })],
];

/** Inits that fail on their config: the message names the init and the value at fault. */
const FAILING_INITS: readonly (readonly [string, Init, RegExp])[] = [
  [
    'dense in 0',
    (k) => nn.dense.init(k, { in: 0, out: 4 }),
    /nn\.dense\.init: in must be a positive integer, got 0/,
  ],
  [
    'dense out 0',
    (k) => nn.dense.init(k, { in: 4, out: 0 }),
    /nn\.dense\.init: out must be a positive integer, got 0/,
  ],
  [
    'conv2d kernel 0',
    (k) => nn.conv2d.init(k, { in: 3, out: 8, kernel: 0 }),
    /nn\.conv2d\.init: kernel must be a positive integer, got 0/,
  ],
  [
    'conv2d kernel [3, 1.5]',
    (k) => nn.conv2d.init(k, { in: 3, out: 8, kernel: [3, 1.5] }),
    /nn\.conv2d\.init: kernel must be a positive integer, got 1\.5/,
  ],
  [
    'conv2d in 0',
    (k) => nn.conv2d.init(k, { in: 0, out: 8, kernel: 3 }),
    /nn\.conv2d\.init: in must be a positive integer, got 0/,
  ],
  [
    'conv2d out 2.5',
    (k) => nn.conv2d.init(k, { in: 3, out: 2.5, kernel: 3 }),
    /nn\.conv2d\.init: out must be a positive integer, got 2\.5/,
  ],
  [
    'rnn hidden 0',
    (k) => nn.rnn.init(k, { in: 4, hidden: 0 }),
    /nn\.rnn\.init: hidden must be a positive integer, got 0/,
  ],
  [
    'lstm hidden 0',
    (k) => nn.lstm.init(k, { in: 4, hidden: 0 }),
    /nn\.lstm\.init: hidden must be a positive integer, got 0/,
  ],
  [
    'gru hidden 0',
    (k) => nn.gru.init(k, { in: 4, hidden: 0 }),
    /nn\.gru\.init: hidden must be a positive integer, got 0/,
  ],
  [
    'embedding paddingIdx out of range',
    (k) => nn.embedding.init(k, { vocab: 10, dim: 4, paddingIdx: 10 }),
    /nn\.embedding\.init: paddingIdx must be an integer in \[-10, 10\), got 10/,
  ],
  [
    'multiHeadAttention dim 30 over 4 heads',
    (k) => nn.multiHeadAttention.init(k, { dim: 30, heads: 4 }),
    /nn\.multiHeadAttention\.init: dim 30 is not divisible by heads 4/,
  ],
  [
    'dense biasInit throwing after the kernel is drawn',
    (k) =>
      nn.dense.init(k, {
        in: 8,
        out: 4,
        biasInit: () => {
          throw new Error('biasInit: refused');
        },
      }),
    /biasInit: refused/,
  ],
  [
    'bidirectional gru whose second direction fails',
    (k) => {
      let calls = 0;
      const second = (key: tg.random.Key, shape: readonly number[]) => {
        if (++calls > 1) throw new Error('kernelInit: refused');
        return nn.init.glorotUniform(key, shape);
      };
      return nn.bidirectional(nn.gru).init(k, { in: 4, hidden: 4, kernelInit: second as tg.nn.Initializer });
    },
    /kernelInit: refused/,
  ],
];

function paramTensors(params: unknown, into: tg.Tensor[] = []): tg.Tensor[] {
  if (params instanceof tg.Tensor) into.push(params);
  else if (params !== null && typeof params === 'object')
    for (const v of Object.values(params)) paramTensors(v, into);
  return into;
}

describe.each(BACKENDS)('layer init memory on $name', (backend) => {
  const test = useBackend(backend);
  const usage = () => tg.memory()[backend.name] ?? { tensors: 0, bytes: 0 };

  test.each(LAYER_INITS)('%s leaves exactly its parameters alive', (_, init) => {
    const key = tg.random.key(3);
    const before = usage();
    const params = paramTensors(init(key));
    const after = usage();
    expect(params.length).toBeGreaterThan(0);
    expect(after.tensors - before.tensors).toBe(params.length);
    expect(after.bytes - before.bytes).toBe(params.reduce((n, t) => n + t.size * 4, 0));
    for (const t of params) t.dispose();
    key.dispose();
  });

  test.each(FAILING_INITS)('a failing init (%s) leaves memory unchanged', (_, init, message) => {
    const key = tg.random.key(3);
    const before = usage();
    expect(() => init(key)).toThrow(message);
    expect(usage()).toEqual(before);
    key.dispose();
  });
});
