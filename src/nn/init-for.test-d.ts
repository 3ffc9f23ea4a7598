/**
 * Type tests of `layer.initFor`: the parameter records take x's literal dims (the same types as
 * `init` with the sizes written out), and an input of the wrong rank is an error on x.
 */
import { describe, expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import type { Key } from '../random/index.ts';
import * as nn from './index.ts';

declare const key: Key;
declare const flat: Tensor<['B', 784], 'f32'>;
declare const img: Tensor<['B', 3, 32, 32], 'f32'>;
declare const seq: Tensor<['T', 'B', 8], 'f32'>;
declare const tokens: Tensor<['B', 'T', 64], 'f32'>;
declare const dynamic: Tensor<number[], 'f32'>;

describe('initFor gives the record init gives with the sizes written out', () => {
  test('dense', () => {
    expectTypeOf(nn.dense.initFor(key, flat, { out: 10 })).toEqualTypeOf<nn.DenseParams<784, 10, 'f32'>>();
    expectTypeOf(nn.dense.initFor(key, flat, { out: 10, bias: false, dtype: 'f64' })).toEqualTypeOf<
      nn.DenseNoBiasParams<784, 10, 'f64'>
    >();
    // an input of unknown rank gives a dynamic size, as `in: number` would
    expectTypeOf(nn.dense.initFor(key, dynamic, { out: 10 }).w).toEqualTypeOf<Tensor<[number, 10], 'f32'>>();
  });

  test('convolutions', () => {
    expectTypeOf(nn.conv2d.initFor(key, img, { out: 16, kernel: 3 })).toEqualTypeOf<
      nn.Conv2dParams<16, 3, 3, 3, 'f32'>
    >();
    expectTypeOf(nn.conv2d.initFor(key, img, { out: 6, kernel: [5, 1], groups: 3 }).w).toEqualTypeOf<
      Tensor<[6, 1, 5, 1], 'f32'>
    >();
    // a named channel dim stays named (one group), as the input's dims do
    expectTypeOf(nn.conv1d.initFor(key, seq, { out: 4, kernel: 3 }).w).toEqualTypeOf<
      Tensor<[4, 'B', 3], 'f32'>
    >();
    expectTypeOf(nn.conv1d.initFor(key, seq, { out: 4, kernel: 3, groups: 2 }).w).toEqualTypeOf<
      Tensor<[4, number, 3], 'f32'>
    >();
  });

  test('norms, recurrent layers and attention', () => {
    expectTypeOf(nn.layerNorm.initFor(key, tokens)).toEqualTypeOf<nn.LayerNormParams<64, 'f32'>>();
    expectTypeOf(nn.batchNorm.initFor(null, img)).toEqualTypeOf<nn.NormParams<3, 'f32'>>();
    expectTypeOf(nn.batchNorm.initStateFor(img, { dtype: 'f64' })).toEqualTypeOf<
      nn.BatchNormState<3, 'f64'>
    >();
    expectTypeOf(nn.groupNorm.initFor(null, img)).toEqualTypeOf<nn.NormParams<3, 'f32'>>();
    expectTypeOf(nn.rnn.initFor(key, seq, { hidden: 16 })).toEqualTypeOf<nn.RnnParams<8, 16, 'f32'>>();
    expectTypeOf(nn.lstm.initFor(key, seq, { hidden: 16 })).toEqualTypeOf<nn.LstmParams<8, 16, 'f32'>>();
    expectTypeOf(nn.gru.initFor(key, seq, { hidden: 16 })).toEqualTypeOf<nn.GruParams<8, 16, 'f32'>>();
    expectTypeOf(nn.multiHeadAttention.initFor(key, tokens, { heads: 4, headDim: 16 })).toEqualTypeOf<
      nn.MultiHeadAttentionParams<64, 4, 16, 'f32'>
    >();
  });

  test('later layers stay checked', () => {
    const p = nn.dense.initFor(key, flat, { out: 10 });
    expectTypeOf(nn.dense(p, flat)).toEqualTypeOf<Tensor<['B', 10], 'f32'>>();
    const [ys] = nn.lstm(nn.lstm.initFor(key, seq, { hidden: 16 }), seq);
    expectTypeOf(nn.dense.initFor(key, ys, { out: 3 }).w).toEqualTypeOf<Tensor<[16, 3], 'f32'>>();
  });

  test('negative: wrong rank, sizes that come from x, unknown keys', () => {
    // @ts-expect-error conv2d needs [N, C, H, W]
    nn.conv2d.initFor(key, flat, { out: 16, kernel: 3 });
    // @ts-expect-error an LSTM needs [T, B, F]
    nn.lstm.initFor(key, img, { hidden: 16 });
    // @ts-expect-error `in` comes from x
    nn.dense.initFor(key, flat, { in: 784, out: 10 });
    // @ts-expect-error `features` comes from x
    nn.layerNorm.initFor(key, flat, { features: 784 });
    const p = nn.dense.initFor(key, flat, { out: 10 });
    // @ts-expect-error the layer made for 784 features does not take 3 channels
    nn.dense(p, img);
  });
});
