import { expectTypeOf, test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type {
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose2dCheck,
  ConvTranspose3d,
} from './conv-transpose.ts';

type Msg<C> = C extends { __shapeError: infer M } ? M : never;

test('convTranspose output sizes: (in - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1', () => {
  assertEqual<ConvTranspose2d<[1, 2, 3, 3], [2, 1, 2, 2], { stride: 2 }>, [1, 1, 6, 6]>();
  assertEqual<
    ConvTranspose2d<['B', 16, 7, 7], [16, 8, 3, 3], { stride: 2; padding: 1; outputPadding: 1 }>,
    ['B', 8, 14, 14]
  >();
  assertEqual<ConvTranspose2d<[1, 4, 5, 5], [4, 3, 3, 3], { dilation: 2; groups: 2 }>, [1, 6, 9, 9]>();
  assertEqual<
    ConvTranspose2d<[1, 4, 5, 6], [4, 3, 3, 2], { stride: [2, 1]; padding: [1, 0] }>,
    [1, 3, 9, 7]
  >();
  assertEqual<ConvTranspose1d<[2, 4, 8], [4, 6, 2], { stride: 2 }>, [2, 6, 16]>();
  assertEqual<ConvTranspose3d<[1, 2, 4, 4, 4], [2, 5, 2, 2, 2], { stride: 2 }>, [1, 5, 8, 8, 8]>();
  assertEqual<ConvTranspose2d<[1, 2, number, 3], [2, 1, 2, 2]>, [1, 1, number, 4]>();
  assertEqual<ConvTranspose2d<number[], [2, 1, 2, 2]>, number[]>();
});

function insideGeneric<B extends number, N extends string>() {
  assertEqual<ConvTranspose2d<[B, 16, 7, 7], [16, 8, 2, 2], { stride: 2 }>, [B, 8, 14, 14]>();
  assertEqual<ConvTranspose2d<[N, 16, 7, 7], [16, 8, 2, 2], { stride: 2 }>, [N, 8, 14, 14]>();
  assertEqual<ConvTranspose2dCheck<[B, 16, 7, 7], [16, 8, 2, 2]>, unknown>();
}

test('convTranspose errors name the op and both values', () => {
  assertEqual<
    Msg<ConvTranspose2dCheck<[1, 3, 4, 4], [4, 2, 2, 2]>>,
    'convTranspose2d: input channels 3 and weight in-channels 4 differ'
  >();
  assertEqual<
    Msg<ConvTranspose2dCheck<[1, 3, 4, 4], [3, 2, 2, 2], { groups: 2 }>>,
    'convTranspose2d: input channels 3 not divisible by groups 2'
  >();
  assertEqual<
    Msg<ConvTranspose2dCheck<[1, 2, 4, 4], [2, 2, 3, 3], { stride: 2; outputPadding: 2 }>>,
    'convTranspose2d: outputPadding 2 must be smaller than stride 2 or dilation 1'
  >();
  assertEqual<
    Msg<ConvTranspose2dCheck<[1, 2, 4, 4], [2, 2, 2, 2], { padding: 2 }>>,
    'convTranspose2d: padding 2 exceeds the dilated kernel span 1'
  >();
  assertEqual<
    Msg<ConvTranspose2dCheck<[2, 4, 4], [2, 2, 2, 2]>>,
    'convTranspose2d: input rank 3 and expected rank 4 differ'
  >();
  assertEqual<
    Msg<ConvTranspose2dCheck<[1, 2, 4, 4], [2, 2, 2, 2], { stride: [2, 2, 2] }>>,
    'convTranspose2d: stride length 3 and spatial rank 2 differ'
  >();
  expectTypeOf(insideGeneric).toBeFunction();
});
