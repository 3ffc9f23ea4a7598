/**
 * Issue 11 item 5 and the wrong-op messages, exactly as reported, on every backend: each
 * is an Error naming the public op and the value, and nothing is computed from garbage.
 */
import { describe, expect } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, useBackend } from '../backends/helpers.ts';

const BACKENDS = await backendsUnderTest();
const bad = (f: () => unknown) => f as () => unknown;

describe.each(BACKENDS)('invalid numbers on $name', (backend) => {
  const test = useBackend(backend);
  const x = () => tg.tensor([1, 2, 3, 4]) as Tensor;
  const img = () => tg.ones([1, 1, 4, 4]);

  test.each([
    ['slice 0.5', bad(() => tg.slice(x(), [[0.5, 3]] as never)), 'slice: axis 0 has the bound 0.5'],
    ['slice NaN', bad(() => tg.slice(x(), [[Number.NaN, 3]] as never)), 'slice: axis 0 has the bound NaN'],
    [
      'conv2d padding 1.5',
      bad(() => tg.conv2d(img(), tg.ones([1, 1, 2, 2]), { padding: 1.5 })),
      'conv2d: padding 1.5 must be a non-negative integer',
    ],
    [
      'conv2d padding -1',
      bad(() => tg.conv2d(img(), tg.ones([1, 1, 2, 2]), { padding: -1 })),
      'conv2d: padding -1 must be a non-negative integer',
    ],
    [
      'pool stride 1.5',
      bad(() => tg.maxPool2d(img(), { window: 2, stride: 1.5 })),
      'maxPool2d: stride 1.5 is not an integer',
    ],
    [
      'pool window 2.5',
      bad(() => tg.maxPool2d(img(), { window: 2.5 })),
      'maxPool2d: window 2.5 is not an integer',
    ],
    [
      'pool window 0',
      bad(() => tg.avgPool2d(img(), { window: 0 } as never)),
      'avgPool2d: window 0 is not positive',
    ],
    [
      'oneHot 2.5',
      bad(() => tg.oneHot(tg.tensor([0, 1], { dtype: 'i32' }) as never, 2.5)),
      'oneHot: depth 2.5 is not an integer',
    ],
    [
      'i32 1.5',
      bad(() => tg.tensor([1.5, 2], { dtype: 'i32' })),
      'tensor: element 0 is 1.5, which is not an i32',
    ],
    [
      'i32 NaN',
      bad(() => tg.tensor([Number.NaN], { dtype: 'i32' })),
      'tensor: element 0 is NaN, which is not an i32',
    ],
    [
      "tensor(['a'])",
      bad(() => tg.tensor(['a'] as never)),
      'tensor: element 0 is string "a"; values must be numbers or booleans',
    ],
    ['tensor([1, null])', bad(() => tg.tensor([1, null] as never)), 'tensor: element 1 is null'],
    [
      'int64',
      bad(() => tg.tensor([1], { dtype: 'int64' as never })),
      "tensor: unknown dtype 'int64' (dtypes: f16, f32, f64, i32, bool)",
    ],
    [
      "add(x, 'x')",
      bad(() => tg.add(x(), 'x' as never)),
      "add: expected a Tensor or a number, got the string 'x'",
    ],
    [
      'add(x, [1, 2])',
      bad(() => tg.add(x(), [1, 2] as never)),
      'add: expected a Tensor or a number, got the array [1,2] (wrap it: tensor([1,2]))',
    ],
    ['max(zeros([0]))', bad(() => tg.max(tg.zeros([0]))), 'max: reducing f32[0] over an axis of size 0'],
    ['exp(3)', bad(() => tg.exp(3 as never)), 'exp: the operand must be a tensor, got the number 3'],
    [
      'mul(bool, 2.5)',
      bad(() => tg.mul(tg.tensor([true]), 2.5)),
      'mul: the scalar 2.5 is not an integer but the tensor is bool (computed in i32)',
    ],
  ] as const)('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });

  test('matmul on a disposed rank-1 input names matmul', () => {
    const v = tg.ones([3]);
    v.dispose();
    expect(() => tg.matmul(v, tg.ones([3, 2]))).toThrow('matmul: tensor f32[3] was disposed');
  });
});
