import { test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
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
  assertEqual<Conv2d<[8, 1, 28, 28], [6, 1, 5, 5], { padding: 2 }>, [8, 6, 28, 28]>();
  assertEqual<Conv2d<[8, 6, 14, 14], [16, 6, 5, 5]>, [8, 16, 10, 10]>();
  assertEqual<Conv2d<[1, 3, 32, 32], [8, 3, 3, 3], { stride: 2; padding: 'same' }>, [1, 8, 16, 16]>();
  assertEqual<Conv2d<[1, 4, 10, 10], [8, 2, 3, 3], { groups: 2; dilation: 2 }>, [1, 8, 6, 6]>();
  assertEqual<Conv2d<[1, 3, 9, 9], [4, 3, 3, 3], { stride: [1, 2]; padding: [1, [0, 2]] }>, [1, 4, 9, 5]>();
  assertEqual<Conv1d<[2, 3, 100], [4, 3, 7], { stride: 3; padding: [[1, 2]] }>, [2, 4, 33]>();
  assertEqual<Conv2d<[1, 3, number, 10], [2, 3, 3, 3]>, [1, 2, number, 8]>();
});

test('conv errors', () => {
  assertEqual<
    Conv2dCheck<[8, 3, 28, 28], [6, 1, 5, 5]>,
    ShapeError<'conv2d: input channels 3 and weight in-channels 1 differ'>
  >();
  assertEqual<
    Conv2dCheck<[8, 4, 28, 28], [6, 1, 5, 5], { groups: 3 }>,
    ShapeError<'conv2d: input channels 4 not divisible by groups 3'>
  >();
  assertEqual<
    Conv2dCheck<[1, 4, 8, 8], [3, 2, 3, 3], { groups: 2 }>,
    ShapeError<'conv2d: output channels 3 not divisible by groups 2'>
  >();
  assertEqual<
    Conv2dCheck<[1, 4, 8, 8], [2, 1, 3, 3], { groups: 2 }>,
    ShapeError<'conv2d: input channels per group 2 and weight in-channels 1 differ'>
  >();
  assertEqual<
    Conv2dCheck<[1, 1, 3, 3], [1, 1, 5, 5]>,
    ShapeError<'conv2d: dilated kernel 5 exceeds padded input 3'>
  >();
  assertEqual<
    Conv2dCheck<[1, 1, 3], [1, 1, 5, 5]>,
    ShapeError<'conv2d: input rank 3 and expected rank 4 differ'>
  >();
  assertEqual<
    Conv2dCheck<[1, 1, 8, 8], [1, 1, 3, 3], { stride: [1, 2, 3] }>,
    ShapeError<'conv2d: stride length 3 and spatial rank 2 differ'>
  >();
  assertEqual<
    Conv2dCheck<[1, 1, 8, 8], [1, 1, 3, 3], { stride: 0 }>,
    ShapeError<'conv2d: stride 0 is not positive'>
  >();
});

test('pooling', () => {
  assertEqual<Pool2d<[8, 6, 28, 28], { window: 2 }>, [8, 6, 14, 14]>();
  assertEqual<Pool2d<[8, 6, 27, 27], { window: 3; stride: 2 }>, [8, 6, 13, 13]>();
  assertEqual<Pool2d<[1, 6, 5, 5], { window: [2, 3]; padding: 'same' }>, [1, 6, 3, 2]>();
  assertEqual<Pool1d<[2, 3, 10], { window: 3; stride: 1; padding: 1 }>, [2, 3, 10]>();
  assertEqual<
    Pool2dCheck<'maxPool2d', [1, 1, 2, 2], { window: 3 }>,
    ShapeError<'maxPool2d: window 3 exceeds padded input 2'>
  >();
  // pooling demands [N, C, ...spatial] as conv does
  assertEqual<
    Pool2dCheck<'avgPool2d', [8], { window: 2 }>,
    ShapeError<'avgPool2d: input rank 1 and expected rank 4 differ'>
  >();
  assertEqual<
    Pool2dCheck<'maxPool2d', [6, 28, 28], { window: 2 }>,
    ShapeError<'maxPool2d: input rank 3 and expected rank 4 differ'>
  >();
});

test('pooling: ceilMode, dilation, 1-d / 3-d and adaptive output sizes (PyTorch formulas)', () => {
  // ceil((5 - 2) / 2) + 1 = 3; the last window starts at 4 < 5, so it is kept.
  assertEqual<Pool2d<[1, 1, 5, 5], { window: 2; ceilMode: true }>, [1, 1, 3, 3]>();
  // ceil((6 + 2 - 3) / 2) + 1 = 4; the last window starts at 6 < 6 + 1 (input + low padding): kept.
  assertEqual<Pool2d<[1, 1, 6, 6], { window: 3; stride: 2; padding: 1; ceilMode: true }>, [1, 1, 4, 4]>();
  // ceil((4 + 2 - 2) / 2) + 1 = 3, but the last window would start at 4 - 1 = 3 + ... dropped at 4 >= 4 + 1.
  assertEqual<Pool1d<[1, 1, 4], { window: 2; stride: 2; padding: 1; ceilMode: true }>, [1, 1, 3]>();
  assertEqual<Pool2d<[1, 1, 7, 7], { window: 2; stride: 1; dilation: 2 }>, [1, 1, 5, 5]>();
  assertEqual<Pool3d<[2, 3, 8, 9, 10], { window: 2 }>, [2, 3, 4, 4, 5]>();
  assertEqual<
    Pool3d<['N', 3, 4, 5, 5], { window: 2; stride: [1, 2, 2]; ceilMode: true }>,
    ['N', 3, 3, 3, 3]
  >();
  assertEqual<AdaptivePool2d<['N', 64, 7, 7], [1, 1]>, ['N', 64, 1, 1]>();
  assertEqual<AdaptivePool2d<[2, 3, 9, 9], 4>, [2, 3, 4, 4]>();
  assertEqual<
    Pool2dCheck<'maxPool2d', [1, 1, 5, 5], { window: 3; dilation: 3 }>,
    ShapeError<'maxPool2d: window 7 exceeds padded input 5'>
  >();
  assertEqual<
    Pool3dCheck<'maxPool3d', [1, 1, 1, 4, 4], { window: 2 }>,
    ShapeError<'maxPool3d: window 2 exceeds padded input 1'>
  >();
  assertEqual<
    AdaptivePool2dCheck<'adaptiveAvgPool2d', [1, 1, 4, 4], [1, 2, 3]>,
    ShapeError<'adaptiveAvgPool2d: output size length 3 and spatial rank 2 differ'>
  >();
});

test('slice with Python semantics', () => {
  assertEqual<Slice<[10, 5], [{ start: 2; stop: 7 }]>, [5, 5]>();
  assertEqual<Slice<[10], [{ start: -3 }]>, [3]>();
  assertEqual<Slice<[10], [{ step: -1 }]>, [10]>();
  assertEqual<Slice<[10], [{ start: 8; stop: 1; step: -3 }]>, [3]>();
  assertEqual<Slice<[10], [{ start: 1; stop: 100; step: 3 }]>, [3]>();
  assertEqual<Slice<[10], [{ start: 5; stop: 2 }]>, [0]>();
  assertEqual<Slice<['B', 3], [undefined, { stop: 2 }]>, ['B', 2]>();
  assertEqual<Slice<['B', 3], [{ stop: 2 }]>, [number, 3]>();
  assertEqual<Slice<[10], [{ start: number }]>, [number]>();
  assertEqual<SliceCheck<[10], [{ step: 0 }]>, ShapeError<'slice: axis 0 has step 0'>>();
  assertEqual<SliceCheck<[10], [null, null]>, ShapeError<'slice: spec count 2 exceeds rank 1'>>();
});

test('pad', () => {
  assertEqual<Pad<[2, 3], [[1, 1], [0, 2]]>, [4, 5]>();
  assertEqual<Pad<['B', 3], [[0, 0], [2, 2]]>, ['B', 7]>();
  assertEqual<Pad<[4], [[-1, -2]]>, [1]>();
  assertEqual<PadCheck<[2, 3], [[1, 1]]>, ShapeError<'pad: widths length 1 and rank 2 differ'>>();
  assertEqual<
    PadCheck<[2, 3], [[-2, -1], [0, 0]]>,
    ShapeError<'pad: axis 0 of size 2 and widths -2, -1 give size -1'>
  >();
});
