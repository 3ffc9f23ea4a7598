import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { add, exp, mean, random, sum, tensor, zeros } from '../index.ts';

// JavaScript callers pass what the types would reject; each mistake is an Error naming the op.
const t = tensor([
  [1, 2],
  [3, 4],
]);
const js = (v: unknown): never => v as never;

describe('guardrails for JavaScript callers', () => {
  it('an array where a tensor belongs (would broadcast as NaNs)', () => {
    expect(() => add(t, js([1, 2]))).toThrow(
      'add: expected a Tensor or a number, got the array [1,2] (wrap it: tensor([1,2]))',
    );
    expect(() => add(js('1'), js(t))).toThrow("add: expected a Tensor or a number, got the string '1'");
    expect(() => exp(js([1]))).toThrow('exp: the operand must be a tensor, got the array [1]');
    expect(() => sum(js([1, 2]))).toThrow('sum: the operand must be a tensor, got the array [1,2]');
  });

  it('a positional value where an options object belongs', () => {
    expect(() => sum(t, js(1))).toThrow(
      'sum: options must be an object like { axis, keepdims }, got the number 1; did you mean { axis: 1 }?',
    );
    expect(() => mean(t, js([0, 1]))).toThrow('did you mean { axis: [0,1] }?');
    expect(() => tensor([1, 2, 3, 4], [2, 2], js('int32'))).toThrow(
      "tensor: options must be an object like { dtype }, got the string 'int32'; did you mean { dtype: 'i32' }?",
    );
  });

  it('numpy/PyTorch dtype names get the typegrad name suggested', () => {
    expect(() => tensor([1, 2], { dtype: js('float32') })).toThrow(
      "tensor: unknown dtype 'float32'; did you mean 'f32'? (dtypes: f16, f32, f64, i32, bool)",
    );
    expect(() => zeros([2], { dtype: js('int32') })).toThrow(
      "zeros: unknown dtype 'int32'; did you mean 'i32'?",
    );
    expect(() => zeros([2], { dtype: js('float16') })).toThrow(
      "zeros: unknown dtype 'float16'; did you mean 'f16'?",
    );
    expect(() => zeros([2], { dtype: js('bf16') })).toThrow(
      "zeros: unknown dtype 'bf16' (dtypes: f16, f32, f64, i32, bool)",
    );
    expect(() => zeros(js(2))).toThrow(
      'zeros: the shape must be an array of dims such as [2, 3], got the number 2',
    );
  });

  it('a number where a key belongs', () => {
    expect(() => random.normal(js(0), [2])).toThrow(
      'random.normal: the first argument must be a key from random.key(seed), got the number 0',
    );
    expect(() => random.uniform(js({ seed: 1 }), [2])).toThrow('got an object {seed}');
  });

  it('valid calls still work', () => {
    expect(sum(t, { axis: 1 }).toArray()).toEqual([3, 7]);
    expect(add(t, 1).toArray()).toEqual([
      [2, 3],
      [4, 5],
    ]);
    expect(tensor([1, 2, 3, 4], [2, 2], { dtype: 'i32' }).dtype).toBe('i32');
  });
});

describe('printing', () => {
  it('util.inspect and console.log show dtype, shape and values, not backend internals', () => {
    expect(inspect(t)).toBe('f32[2, 2] tensor([[1., 2.],\n [3., 4.]])');
    expect(inspect({ w: tensor([1, 2], { dtype: 'i32' }) })).toBe('{ w: i32[2] tensor([1, 2], dtype=i32) }');
  });

  it('print() logs the same and returns the tensor', () => {
    const lines: unknown[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => lines.push(...a);
    try {
      expect(tensor([1.5]).print().toArray()).toEqual([1.5]);
    } finally {
      console.log = log;
    }
    expect(lines).toEqual(['f32[1] tensor([1.5])']);
  });
});
