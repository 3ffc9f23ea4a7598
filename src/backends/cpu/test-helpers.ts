/** Test support: run one primitive on the CPU backend from plain arrays. */
import type { DType, TypedArray } from '../../core/dtype.ts';
import { withCpuConv, withCpuPool } from '../../core/install-kernels.ts';
import type { PrimName, PrimParams } from '../../core/primitives.ts';
import { cpuBackend } from './index.ts';

// Tests run primitives on the backend directly, not through lax, which installs these loops.
withCpuConv();
withCpuPool();

export interface In {
  data: ArrayLike<number>;
  shape: readonly number[];
  dtype?: DType;
}

/** Runs `prim` and returns the output's storage. */
export function runRaw<P extends PrimName>(
  prim: P,
  inputs: readonly In[],
  params: PrimParams[P],
  shape: readonly number[],
  dtype: DType = 'f32',
): TypedArray {
  const ops = inputs.map((x) => {
    const d = x.dtype ?? 'f32';
    return { buffer: cpuBackend.upload(Float64Array.from(x.data), d), shape: x.shape, dtype: d };
  });
  const buf = cpuBackend.run(prim, ops, params, { shape, dtype });
  return cpuBackend.readSync!(
    buf,
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
}

/** Runs `prim` and returns the output as a plain number array. */
export function run<P extends PrimName>(
  prim: P,
  inputs: readonly In[],
  params: PrimParams[P],
  shape: readonly number[],
  dtype: DType = 'f32',
): number[] {
  return Array.from(runRaw(prim, inputs, params, shape, dtype));
}

export const NONE = {} as Record<string, never>;
