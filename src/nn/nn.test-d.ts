/**
 * Type tests of the layers and losses: result shapes (positive) and compile errors naming the
 * op and both dims on the offending argument (negative; the message is asserted on the
 * guarded parameter's type, the error's presence with `@ts-expect-error`).
 */
import { flow, pipe } from 'fp-ts/lib/function.js';
import { describe, expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import type { Key } from '../random/index.ts';
import * as nn from './index.ts';

declare const x784: Tensor<['B', 784], 'f32'>;
declare const x400: Tensor<['B', 400], 'f32'>;
declare const img: Tensor<['B', 1, 28, 28], 'f32'>;
declare const seq: Tensor<['T', 'B', 8], 'f32'>;
declare const labels: Tensor<['B'], 'i32'>;
declare const labels7: Tensor<[7], 'i32'>;
declare const key: Key;
declare const ids: Tensor<['B', 'T'], 'i32'>;
declare const q: Tensor<['B', 5, 16], 'f32'>;
declare const k: Tensor<['B', 7, 16], 'f32'>;
declare const v: Tensor<['B', 7, 32], 'f32'>;
declare const kBad: Tensor<['B', 7, 8], 'f32'>;
declare const vBad: Tensor<['B', 6, 32], 'f32'>;
declare const x: Tensor<['B', 'T', 16], 'f32'>;
declare const logits: Tensor<['B', 10], 'f32'>;

const p1 = nn.dense.init(key, { in: 784, out: 512 });
const p2 = nn.dense.init(key, { in: 512, out: 10 });
const pBad = nn.dense.init(key, { in: 400, out: 10 });

describe('dense', () => {
  test('init types the record from the config; apply gives [B, out]', () => {
    expectTypeOf(p1).toEqualTypeOf<nn.DenseParams<784, 512, 'f32'>>();
    expectTypeOf(p1.w).toEqualTypeOf<Tensor<[784, 512], 'f32'>>();
    expectTypeOf(nn.dense.init(key, { in: 3, out: 2, dtype: 'f64' }).b).toEqualTypeOf<Tensor<[2], 'f64'>>();
    expectTypeOf(nn.dense(p1, x784)).toEqualTypeOf<Tensor<['B', 512], 'f32'>>();
  });
  test('a model composed with pipe and flow is shape-checked', () => {
    const y = pipe(
      x784,
      (h) => nn.dense(p1, h),
      nn.relu,
      (h) => nn.dense(p2, h),
    );
    expectTypeOf(y).toEqualTypeOf<Tensor<['B', 10], 'f32'>>();
    const model = flow(
      (h: Tensor<['B', 784], 'f32'>) => nn.dense(p1, h),
      nn.relu,
      (h) => nn.dense(p2, h),
    );
    expectTypeOf(model).returns.toEqualTypeOf<Tensor<['B', 10], 'f32'>>();
    pipe(
      x784,
      (h) => nn.dense(p1, h),
      nn.relu,
      // @ts-expect-error nn.dense: input features 512 and weight rows 400 differ
      (h) => nn.dense(pBad, h),
    );
    // @ts-expect-error nn.dense: input features 400 and weight rows 784 differ
    nn.dense(p1, x400);
  });
  test('the error names nn.dense and both dims on the input', () => {
    expectTypeOf<
      Parameters<typeof nn.dense<['B', 400], 784, 512, 'f32'>>[1]
    >().toEqualTypeOf<'nn.dense: input features 400 and weight rows 784 differ'>();
  });
});

describe('conv2d, pooling, flatten: a LeNet-style stack', () => {
  const c1 = nn.conv2d.init(key, { in: 1, out: 6, kernel: 5 });
  const c3 = nn.conv2d.init(key, { in: 6, out: 16, kernel: 5 });
  const f5 = nn.dense.init(key, { in: 400, out: 120 });
  test('shapes flow through', () => {
    expectTypeOf(c1.w).toEqualTypeOf<Tensor<[6, 1, 5, 5], 'f32'>>();
    expectTypeOf(nn.conv2d.init(key, { in: 4, out: 6, kernel: [3, 5], groups: 2 }).w).toEqualTypeOf<
      Tensor<[6, 2, 3, 5], 'f32'>
    >();
    const y = pipe(
      img,
      (h) => nn.conv2d(c1, h, { padding: 2 }),
      nn.relu,
      (h) => nn.maxPool2d(h, { window: 2 }),
      (h) => nn.conv2d(c3, h),
      nn.relu,
      (h) => nn.maxPool2d(h, { window: 2 }),
      nn.flatten,
      (h) => nn.dense(f5, h),
    );
    expectTypeOf(y).toEqualTypeOf<Tensor<['B', 120], 'f32'>>();
  });
  test('a channel mismatch is an error naming conv2d', () => {
    // @ts-expect-error nn.conv2d: input channels 1 and weight in-channels 6 differ
    nn.conv2d(c3, img);
    expectTypeOf<
      Parameters<typeof nn.conv2d<['B', 1, 28, 28], 16, 6, 5, 5, 'f32'>>[1]
    >().toEqualTypeOf<'nn.conv2d: input channels 1 and weight in-channels 6 differ'>();
    // without padding the flattened size is 256, not 400
    pipe(
      img,
      (h) => nn.conv2d(c1, h),
      (h) => nn.maxPool2d(h, { window: 2 }),
      (h) => nn.conv2d(c3, h),
      (h) => nn.maxPool2d(h, { window: 2 }),
      nn.flatten,
      // @ts-expect-error nn.dense: input features 256 and weight rows 400 differ
      (h) => nn.dense(f5, h),
    );
  });
});

describe('other layers', () => {
  test('dropout, embedding, layerNorm keep or extend shapes', () => {
    expectTypeOf(nn.dropout(key, 0.5, x784, { training: true })).toEqualTypeOf<Tensor<['B', 784], 'f32'>>();
    const e = nn.embedding.init(key, { vocab: 100, dim: 16 });
    expectTypeOf(nn.embedding(e, ids)).toEqualTypeOf<Tensor<['B', 'T', 16], 'f32'>>();
    const ln = nn.layerNorm.init(key, { features: 784 });
    expectTypeOf(nn.layerNorm(ln, x784)).toEqualTypeOf<Tensor<['B', 784], 'f32'>>();
    // @ts-expect-error nn.layerNorm: input last dim 400 and features 784 differ
    nn.layerNorm(ln, x400);
    expectTypeOf<
      Parameters<typeof nn.layerNorm<nn.LayerNormParams<784>, ['B', 400], 'f32'>>[1]
    >().toEqualTypeOf<'nn.layerNorm: input last dim 400 and features 784 differ'>();
  });
  test('lstm and rnn over [T, B, F]', () => {
    const lp = nn.lstm.init(key, { in: 8, hidden: 32 });
    expectTypeOf(lp.wx).toEqualTypeOf<Tensor<[8, 128], 'f32'>>();
    expectTypeOf(lp.wh).toEqualTypeOf<Tensor<[32, 128], 'f32'>>();
    const [ys, s] = nn.lstm(lp, seq);
    expectTypeOf(ys).toEqualTypeOf<Tensor<['T', 'B', 32], 'f32'>>();
    expectTypeOf(s.h).toEqualTypeOf<Tensor<['B', 32], 'f32'>>();
    const rp = nn.rnn.init(key, { in: 8, hidden: 4 });
    expectTypeOf(nn.rnn(rp, seq)[0]).toEqualTypeOf<Tensor<['T', 'B', 4], 'f32'>>();
    const wrong = nn.lstm.init(key, { in: 9, hidden: 32 });
    // @ts-expect-error nn.lstm: input last dim 8 and features 9 differ
    nn.lstm(wrong, seq);
  });
  test('attention', () => {
    expectTypeOf(nn.attention(q, k, v)).toEqualTypeOf<Tensor<['B', 5, 32], 'f32'>>();
    // @ts-expect-error nn.attention: input last dim 8 and query dim 16 differ
    nn.attention(q, kBad, v);
    // @ts-expect-error nn.attention: key length 7 and value length 6 differ
    nn.attention(q, k, vBad);
    const mha = nn.multiHeadAttention.init(key, { dim: 16, heads: 4, headDim: 4 });
    expectTypeOf(nn.multiHeadAttention(mha, x)).toEqualTypeOf<Tensor<['B', 'T', 16], 'f32'>>();
  });
});

describe('losses', () => {
  test('scalars of the logits dtype', () => {
    expectTypeOf(nn.softmaxCrossEntropy(logits, labels)).toEqualTypeOf<Tensor<[], 'f32'>>();
    expectTypeOf(nn.accuracy(logits, labels)).toEqualTypeOf<Tensor<[], 'f32'>>();
    expectTypeOf(nn.mse(x784, x784)).toEqualTypeOf<Tensor<[], 'f32'>>();
    expectTypeOf(nn.sigmoidBinaryCrossEntropy(x784, x784)).toEqualTypeOf<Tensor<[], 'f32'>>();
  });
  test('batch mismatches name the loss and both dims', () => {
    // @ts-expect-error nn.softmaxCrossEntropy: batch dims B and 7 differ
    nn.softmaxCrossEntropy(logits, labels7);
    expectTypeOf<
      Parameters<typeof nn.softmaxCrossEntropy<'B', 10, 'f32', 7>>[1]
    >().toEqualTypeOf<'nn.softmaxCrossEntropy: batch dims B and 7 differ'>();
    // @ts-expect-error nn.mse: prediction and target shapes [B, 784] and [B, 400] differ
    nn.mse(x784, x400);
    expectTypeOf<
      Parameters<typeof nn.mse<['B', 784], ['B', 400], 'f32'>>[1]
    >().toEqualTypeOf<'nn.mse: prediction and target shapes [B, 784] and [B, 400] differ'>();
  });
});
