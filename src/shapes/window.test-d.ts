import { expectTypeOf, test } from 'vitest';
import type { Conv1d, Conv2d, Conv2dCheck } from './conv.ts';
import type { ShapeError } from './dim.ts';
import type { Pad, PadCheck } from './pad.ts';
import type {
  AdaptivePool2d,
  AdaptivePool2dCheck,
  Pool1d,
  Pool2d,
  Pool2dCheck,
  Pool3d,
  Pool3dCheck,
} from './pool.ts';
import type { Slice, SliceCheck } from './slice.ts';

test('conv output sizes', () => {
  expectTypeOf<Conv2d<[8, 1, 28, 28], [6, 1, 5, 5], { padding: 2 }>>().toEqualTypeOf<[8, 6, 28, 28]>();
  expectTypeOf<Conv2d<[8, 6, 14, 14], [16, 6, 5, 5]>>().toEqualTypeOf<[8, 16, 10, 10]>();
  expectTypeOf<Conv2d<[1, 3, 32, 32], [8, 3, 3, 3], { stride: 2; padding: 'same' }>>().toEqualTypeOf<
    [1, 8, 16, 16]
  >();
  expectTypeOf<Conv2d<[1, 4, 10, 10], [8, 2, 3, 3], { groups: 2; dilation: 2 }>>().toEqualTypeOf<
    [1, 8, 6, 6]
  >();
  expectTypeOf<Conv2d<[1, 3, 9, 9], [4, 3, 3, 3], { stride: [1, 2]; padding: [1, [0, 2]] }>>().toEqualTypeOf<
    [1, 4, 9, 5]
  >();
  expectTypeOf<Conv1d<[2, 3, 100], [4, 3, 7], { stride: 3; padding: [[1, 2]] }>>().toEqualTypeOf<
    [2, 4, 33]
  >();
  expectTypeOf<Conv2d<[1, 3, number, 10], [2, 3, 3, 3]>>().toEqualTypeOf<[1, 2, number, 8]>();
});

test('conv errors', () => {
  expectTypeOf<Conv2dCheck<[8, 3, 28, 28], [6, 1, 5, 5]>>().toEqualTypeOf<
    ShapeError<'conv2d: input channels 3 and weight in-channels 1 differ'>
  >();
  expectTypeOf<Conv2dCheck<[8, 4, 28, 28], [6, 1, 5, 5], { groups: 3 }>>().toEqualTypeOf<
    ShapeError<'conv2d: input channels 4 not divisible by groups 3'>
  >();
  expectTypeOf<Conv2dCheck<[1, 4, 8, 8], [3, 2, 3, 3], { groups: 2 }>>().toEqualTypeOf<
    ShapeError<'conv2d: output channels 3 not divisible by groups 2'>
  >();
  expectTypeOf<Conv2dCheck<[1, 4, 8, 8], [2, 1, 3, 3], { groups: 2 }>>().toEqualTypeOf<
    ShapeError<'conv2d: input channels per group 2 and weight in-channels 1 differ'>
  >();
  expectTypeOf<Conv2dCheck<[1, 1, 3, 3], [1, 1, 5, 5]>>().toEqualTypeOf<
    ShapeError<'conv2d: dilated kernel 5 exceeds padded input 3'>
  >();
  expectTypeOf<Conv2dCheck<[1, 1, 3], [1, 1, 5, 5]>>().toEqualTypeOf<
    ShapeError<'conv2d: input rank 3 and expected rank 4 differ'>
  >();
  expectTypeOf<Conv2dCheck<[1, 1, 8, 8], [1, 1, 3, 3], { stride: [1, 2, 3] }>>().toEqualTypeOf<
    ShapeError<'conv2d: stride length 3 and spatial rank 2 differ'>
  >();
  expectTypeOf<Conv2dCheck<[1, 1, 8, 8], [1, 1, 3, 3], { stride: 0 }>>().toEqualTypeOf<
    ShapeError<'conv2d: stride 0 is not positive'>
  >();
});

test('pooling', () => {
  expectTypeOf<Pool2d<[8, 6, 28, 28], { window: 2 }>>().toEqualTypeOf<[8, 6, 14, 14]>();
  expectTypeOf<Pool2d<[8, 6, 27, 27], { window: 3; stride: 2 }>>().toEqualTypeOf<[8, 6, 13, 13]>();
  expectTypeOf<Pool2d<[1, 6, 5, 5], { window: [2, 3]; padding: 'same' }>>().toEqualTypeOf<[1, 6, 3, 2]>();
  expectTypeOf<Pool1d<[2, 3, 10], { window: 3; stride: 1; padding: 1 }>>().toEqualTypeOf<[2, 3, 10]>();
  expectTypeOf<Pool2dCheck<'maxPool2d', [1, 1, 2, 2], { window: 3 }>>().toEqualTypeOf<
    ShapeError<'maxPool2d: window 3 exceeds padded input 2'>
  >();
  // pooling demands [N, C, ...spatial] as conv does
  expectTypeOf<Pool2dCheck<'avgPool2d', [8], { window: 2 }>>().toEqualTypeOf<
    ShapeError<'avgPool2d: input rank 1 and expected rank 4 differ'>
  >();
  expectTypeOf<Pool2dCheck<'maxPool2d', [6, 28, 28], { window: 2 }>>().toEqualTypeOf<
    ShapeError<'maxPool2d: input rank 3 and expected rank 4 differ'>
  >();
});

test('pooling: ceilMode, dilation, 1-d / 3-d and adaptive output sizes (PyTorch formulas)', () => {
  // ceil((5 - 2) / 2) + 1 = 3; the last window starts at 4 < 5, so it is kept.
  expectTypeOf<Pool2d<[1, 1, 5, 5], { window: 2; ceilMode: true }>>().toEqualTypeOf<[1, 1, 3, 3]>();
  // ceil((6 + 2 - 3) / 2) + 1 = 4; the last window starts at 6 < 6 + 1 (input + low padding): kept.
  expectTypeOf<Pool2d<[1, 1, 6, 6], { window: 3; stride: 2; padding: 1; ceilMode: true }>>().toEqualTypeOf<
    [1, 1, 4, 4]
  >();
  // ceil((4 + 2 - 2) / 2) + 1 = 3, but the last window would start at 4 - 1 = 3 + ... dropped at 4 >= 4 + 1.
  expectTypeOf<Pool1d<[1, 1, 4], { window: 2; stride: 2; padding: 1; ceilMode: true }>>().toEqualTypeOf<
    [1, 1, 3]
  >();
  expectTypeOf<Pool2d<[1, 1, 7, 7], { window: 2; stride: 1; dilation: 2 }>>().toEqualTypeOf<[1, 1, 5, 5]>();
  expectTypeOf<Pool3d<[2, 3, 8, 9, 10], { window: 2 }>>().toEqualTypeOf<[2, 3, 4, 4, 5]>();
  expectTypeOf<Pool3d<['N', 3, 4, 5, 5], { window: 2; stride: [1, 2, 2]; ceilMode: true }>>().toEqualTypeOf<
    ['N', 3, 3, 3, 3]
  >();
  expectTypeOf<AdaptivePool2d<['N', 64, 7, 7], [1, 1]>>().toEqualTypeOf<['N', 64, 1, 1]>();
  expectTypeOf<AdaptivePool2d<[2, 3, 9, 9], 4>>().toEqualTypeOf<[2, 3, 4, 4]>();
  expectTypeOf<Pool2dCheck<'maxPool2d', [1, 1, 5, 5], { window: 3; dilation: 3 }>>().toEqualTypeOf<
    ShapeError<'maxPool2d: window 7 exceeds padded input 5'>
  >();
  expectTypeOf<Pool3dCheck<'maxPool3d', [1, 1, 1, 4, 4], { window: 2 }>>().toEqualTypeOf<
    ShapeError<'maxPool3d: window 2 exceeds padded input 1'>
  >();
  expectTypeOf<AdaptivePool2dCheck<'adaptiveAvgPool2d', [1, 1, 4, 4], [1, 2, 3]>>().toEqualTypeOf<
    ShapeError<'adaptiveAvgPool2d: output size length 3 and spatial rank 2 differ'>
  >();
});

test('slice with Python semantics', () => {
  expectTypeOf<Slice<[10, 5], [{ start: 2; stop: 7 }]>>().toEqualTypeOf<[5, 5]>();
  expectTypeOf<Slice<[10], [{ start: -3 }]>>().toEqualTypeOf<[3]>();
  expectTypeOf<Slice<[10], [{ step: -1 }]>>().toEqualTypeOf<[10]>();
  expectTypeOf<Slice<[10], [{ start: 8; stop: 1; step: -3 }]>>().toEqualTypeOf<[3]>();
  expectTypeOf<Slice<[10], [{ start: 1; stop: 100; step: 3 }]>>().toEqualTypeOf<[3]>();
  expectTypeOf<Slice<[10], [{ start: 5; stop: 2 }]>>().toEqualTypeOf<[0]>();
  expectTypeOf<Slice<['B', 3], [undefined, { stop: 2 }]>>().toEqualTypeOf<['B', 2]>();
  expectTypeOf<Slice<['B', 3], [{ stop: 2 }]>>().toEqualTypeOf<[number, 3]>();
  expectTypeOf<Slice<[10], [{ start: number }]>>().toEqualTypeOf<[number]>();
  expectTypeOf<SliceCheck<[10], [{ step: 0 }]>>().toEqualTypeOf<ShapeError<'slice: axis 0 has step 0'>>();
  expectTypeOf<SliceCheck<[10], [null, null]>>().toEqualTypeOf<
    ShapeError<'slice: spec count 2 exceeds rank 1'>
  >();
});

test('pad', () => {
  expectTypeOf<Pad<[2, 3], [[1, 1], [0, 2]]>>().toEqualTypeOf<[4, 5]>();
  expectTypeOf<Pad<['B', 3], [[0, 0], [2, 2]]>>().toEqualTypeOf<['B', 7]>();
  expectTypeOf<Pad<[4], [[-1, -2]]>>().toEqualTypeOf<[1]>();
  expectTypeOf<PadCheck<[2, 3], [[1, 1]]>>().toEqualTypeOf<
    ShapeError<'pad: widths length 1 and rank 2 differ'>
  >();
  expectTypeOf<PadCheck<[2, 3], [[-2, -1], [0, 0]]>>().toEqualTypeOf<
    ShapeError<'pad: axis 0 of size 2 and widths -2, -1 give size -1'>
  >();
});
