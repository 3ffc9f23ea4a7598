/** Type tests of the recurrent stacks: per-layer records, output widths, and errors on x. */
import { describe, expectTypeOf, test } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import type { Key } from '../random/index.ts';
import * as nn from './index.ts';

declare const key: Key;
declare const seq: Tensor<['T', 'B', 8], 'f32'>;
declare const seq9: Tensor<['T', 'B', 9], 'f32'>;

describe('recurrent stacks', () => {
  test('init types each layer; apply gives [T, B, H] (2H both ways) and one state per layer', () => {
    const p = nn.lstmStack.init(key, { in: 8, hidden: 32, layers: 3 });
    expectTypeOf(p).toEqualTypeOf<
      readonly [nn.LstmParams<8, 32, 'f32'>, ...nn.LstmParams<32, 32, 'f32'>[]]
    >();
    const [ys, finals] = nn.lstmStack(p, seq, { dropout: 0.1, training: true, key });
    expectTypeOf(ys).toEqualTypeOf<Tensor<['T', 'B', 32], 'f32'>>();
    expectTypeOf(finals).toEqualTypeOf<nn.LstmState<'B', 32, 'f32'>[]>();
    const bi = nn.gruStack.initFor(key, seq, { hidden: 16, layers: 2, bidirectional: true });
    expectTypeOf(bi[0].forward.wx).toEqualTypeOf<Tensor<[8, 48], 'f32'>>();
    expectTypeOf(bi[1]!.backward.wx).toEqualTypeOf<Tensor<[32, 48], 'f32'>>();
    const [bys, bfinals] = nn.gruStack(bi, seq);
    expectTypeOf(bys).toEqualTypeOf<Tensor<['T', 'B', 32], 'f32'>>();
    expectTypeOf(bfinals[0]!.forward).toEqualTypeOf<Tensor<['B', 16], 'f32'>>();
    expectTypeOf(nn.rnnStack(nn.rnnStack.initFor(key, seq, { hidden: 4, layers: 2 }), seq)[0]).toEqualTypeOf<
      Tensor<['T', 'B', 4], 'f32'>
    >();
  });

  test('negative: wrong feature size, wrong rank, a layer of another kind', () => {
    const p = nn.lstmStack.init(key, { in: 8, hidden: 32, layers: 2 });
    // @ts-expect-error the stack reads 8 features
    nn.lstmStack(p, seq9);
    // @ts-expect-error initFor needs [T, B, F]
    nn.lstmStack.initFor(key, {} as Tensor<['B', 8]>, { hidden: 4, layers: 2 });
    // @ts-expect-error GRU parameters are not an LSTM stack
    nn.lstmStack(nn.gruStack.init(key, { in: 8, hidden: 32, layers: 2 }), seq);
    // @ts-expect-error `in` comes from xs
    nn.lstmStack.initFor(key, seq, { in: 8, hidden: 4, layers: 2 });
  });
});
