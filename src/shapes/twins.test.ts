/** The run-time twins give the shapes the type tests expect for the same inputs. */
import { expect, test } from 'vitest';
import {
  conv1dShape,
  conv2dShape,
  expandDimsShape,
  matmulShape,
  oneHotShape,
  pool1dShape,
  pool2dShape,
  reduceShape,
  reshapeShape,
  ShapeError,
  squeezeShape,
  stackShape,
  takeAlongAxisShape,
  takeShape,
} from './index.ts';

test('ShapeError is a real Error with its message', () => {
  const e = new ShapeError('matmul: inner dims 400 and 784 differ');
  expect(e).toBeInstanceOf(Error);
  expect(e.name).toBe('ShapeError');
  expect(() => matmulShape([2, 400], [784, 10])).toThrow(e);
});

test('the LeNet-5 shapes', () => {
  expect(conv2dShape([32, 1, 28, 28], [6, 1, 5, 5], { padding: 2 })).toEqual([32, 6, 28, 28]);
  expect(pool2dShape('maxPool2d', [32, 6, 28, 28], { window: 2 })).toEqual([32, 6, 14, 14]);
  expect(conv2dShape([32, 6, 14, 14], [16, 6, 5, 5])).toEqual([32, 16, 10, 10]);
  expect(reshapeShape([32, 16, 5, 5], [32, -1])).toEqual([32, 400]);
  expect(reshapeShape([60000, 28, 28], [-1, 784])).toEqual([60000, 784]);
});

test('conv and pool options', () => {
  expect(conv2dShape([1, 3, 32, 32], [8, 3, 3, 3], { stride: 2, padding: 'same' })).toEqual([1, 8, 16, 16]);
  expect(conv2dShape([1, 4, 10, 10], [8, 2, 3, 3], { groups: 2, dilation: 2 })).toEqual([1, 8, 6, 6]);
  expect(conv2dShape([1, 3, 9, 9], [4, 3, 3, 3], { stride: [1, 2], padding: [1, [0, 2]] })).toEqual([
    1, 4, 9, 5,
  ]);
  expect(conv1dShape([2, 3, 100], [4, 3, 7], { stride: 3, padding: [[1, 2]] })).toEqual([2, 4, 33]);
  expect(() => conv2dShape([1, 1, 8, 8], [1, 1, 3, 3], { stride: [1, 2, 3] })).toThrow(
    'conv2d: stride length 3 and spatial rank 2 differ',
  );
  expect(pool2dShape('maxPool2d', [1, 6, 5, 5], { window: [2, 3], padding: 'same' })).toEqual([1, 6, 3, 2]);
  expect(pool1dShape('avgPool1d', [2, 3, 10], { window: 3, stride: 1, padding: 1 })).toEqual([2, 3, 10]);
});

test('axis rules', () => {
  expect(reduceShape('sum', [2, 3, 4], [-1, 0])).toEqual({ shape: [3], axes: [0, 2] });
  expect(reduceShape('sum', [2, 3], undefined, true)).toEqual({ shape: [1, 1], axes: [0, 1] });
  expect(squeezeShape([1, 3, 1])).toEqual([3]);
  expect(squeezeShape([1, 3, 1], [0, -1])).toEqual([3]);
  expect(expandDimsShape([2, 3], -1)).toEqual([2, 3, 1]);
  expect(
    stackShape(
      [
        [2, 3],
        [2, 3],
        [2, 3],
      ],
      -1,
    ),
  ).toEqual([2, 3, 3]);
  expect(takeShape([10, 3], [2, 2], 1)).toEqual([10, 2, 2]);
  expect(takeShape([10, 3], [5])).toEqual([5]);
  expect(takeAlongAxisShape([10, 3], [10, 1], 1)).toEqual([10, 1]);
  expect(() => takeAlongAxisShape([10, 3], [4, 1], 1)).toThrow(
    'takeAlongAxis: dims 10 and 4 do not broadcast',
  );
  expect(oneHotShape([32], 10)).toEqual([32, 10]);
});
