import type { DType, TypedArray } from '../../core/dtype.ts';
import { withCpuConv, withCpuPool } from '../../core/install-kernels.ts';
import type { PrimName, PrimParams } from '../../core/primitives.ts';
import { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from './backend.ts';
import { WebGpuUnavailableError } from './errors.ts';

// Tests run primitives on the backend directly, not through lax, which installs these loops.
withCpuConv();
withCpuPool();

/** Whether a missing adapter must fail the tests (CI, or TYPEGRAD_REQUIRE_WEBGPU=1). */
export function webGpuRequired(): boolean {
  const env = typeof process !== 'undefined' ? process.env : {};
  return Boolean(env.CI) || env.TYPEGRAD_REQUIRE_WEBGPU === '1';
}

/**
 * A backend for tests, or undefined (after a loud warning) when there is no adapter and
 * the environment does not require one. In CI a missing adapter throws, failing the file.
 */
export async function acquireTestBackend(
  // The kernel tests test the WGSL kernels, so tiny ops are not forwarded to the host here
  // (host.test.ts checks that forwarding gives the kernels' results).
  options: WebGpuBackendOptions = { hostForwarding: false },
): Promise<WebGpuBackend | undefined> {
  try {
    return await createWebGpuBackend(options);
  } catch (e) {
    if (e instanceof WebGpuUnavailableError && !webGpuRequired()) {
      console.warn(
        `\n*** typegrad: SKIPPING the WebGPU backend tests: ${e.message}\n` +
          '*** Set CI=1 or TYPEGRAD_REQUIRE_WEBGPU=1 to make a missing adapter fail.\n',
      );
      return undefined;
    }
    throw e;
  }
}

export interface HostTensor {
  data: ArrayLike<number>;
  shape: readonly number[];
  dtype: DType;
}

export function t(data: ArrayLike<number>, shape: readonly number[], dtype: DType = 'f32'): HostTensor {
  return { data, shape, dtype };
}

function toTyped(x: HostTensor): TypedArray {
  switch (x.dtype) {
    case 'f16':
    case 'f32':
      return Float32Array.from(x.data);
    case 'i32':
      return Int32Array.from(x.data);
    case 'bool':
      return Uint8Array.from(x.data);
    default:
      return Float64Array.from(x.data);
  }
}

/** Uploads inputs, runs one primitive, reads the result back and frees everything. */
export async function runPrim<P extends PrimName>(
  backend: WebGpuBackend,
  prim: P,
  inputs: readonly HostTensor[],
  params: PrimParams[P],
  out: { shape: readonly number[]; dtype: DType },
): Promise<number[]> {
  const ops = inputs.map((x) => ({
    buffer: backend.upload(toTyped(x), x.dtype),
    shape: x.shape,
    dtype: x.dtype,
  }));
  try {
    const buf = backend.run(prim, ops, params, out);
    const size = out.shape.reduce((a, b) => a * b, 1);
    try {
      return Array.from(await backend.read(buf, out.dtype, size));
    } finally {
      backend.dispose(buf);
    }
  } finally {
    for (const o of ops) backend.dispose(o.buffer);
  }
}

/** A record with no parameters (for the parameterless primitives). */
export const NONE = {} as Record<string, never>;

/** Elementwise closeness with NaN == NaN and exact infinities; rtol/atol as in numpy. */
export function expectClose(
  actual: readonly number[],
  expected: readonly number[],
  rtol = 1e-5,
  atol = 1e-6,
): void {
  if (actual.length !== expected.length) {
    throw new Error(
      `length ${actual.length} != expected ${expected.length}\nactual:   ${actual}\nexpected: ${expected}`,
    );
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Number.isNaN(e)
      ? Number.isNaN(a)
      : !Number.isFinite(e)
        ? a === e
        : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok)
      throw new Error(`element ${i}: got ${a}, expected ${e}\nactual:   ${actual}\nexpected: ${expected}`);
  }
}
