import { describe, expect, it } from 'vitest';
import type { PrimName, PrimParams } from '../../core/primitives.ts';
import { conv2d, maxPool2d, tensor } from '../../index.ts';
import { createCpuBackend } from './index.ts';

// No test helper here: the loops must come from the ops, as in an app.
describe('CPU kernel slots', () => {
  const be = createCpuBackend({ kernels: 'js' });
  const run = <P extends PrimName>(prim: P, xs: number[][], params: PrimParams[P]): number[] => {
    const ops = xs.map((data) => ({
      buffer: be.upload(Float64Array.from(data), 'f32'),
      shape: [1, 1, data.length],
      dtype: 'f32' as const,
    }));
    const n = prim === 'conv_general' ? 2 : 1;
    return Array.from(be.readSync!(be.run(prim, ops, params, { shape: [1, 1, n], dtype: 'f32' }), 'f32', n));
  };
  const conv: PrimParams['conv_general'] = {
    strides: [1],
    padding: [[0, 0]],
    lhsDilation: [1],
    rhsDilation: [1],
    groups: 1,
  };
  const pool: PrimParams['window_max'] = {
    out: [1],
    window: [2],
    strides: [2],
    padding: [0],
    dilation: [1],
    adaptive: false,
  };
  const image = tensor([
    [
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ]);

  it('conv_general and the max pools name the missing kernel until an op installs it', () => {
    expect(() => run('conv_general', [[1, 2], [3]], conv)).toThrow(
      'cpu conv_general: kernel not installed (the ops that bind conv_general install it; run one first)',
    );
    expect(() => run('window_max', [[1, 2]], pool)).toThrow('cpu window_max: kernel not installed');
    expect(conv2d(image, tensor([[[[2]]]])).toArray()).toEqual([
      [
        [
          [2, 4],
          [6, 8],
        ],
      ],
    ]);
    expect(maxPool2d(image, { window: 2 }).toArray()).toEqual([[[[4]]]]);
    expect(run('conv_general', [[1, 2], [3]], conv)).toEqual([3, 6]);
    expect(run('window_max', [[1, 2]], pool)).toEqual([2]);
  });
});
