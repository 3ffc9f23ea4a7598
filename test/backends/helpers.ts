/**
 * Shared by the backend suites: which backends to run, how to read values, tolerances.
 *
 * `cpu` always runs. `webgpu` runs when an adapter exists (Node: the `webgpu` package with
 * SwiftShader, see WEBGPU-TESTING.md; browser: navigator.gpu). Without one it is skipped
 * with a loud warning, unless `CI` or `TYPEGRAD_REQUIRE_WEBGPU` is set (or we are in a
 * browser, whose project exists only to test WebGPU): then acquiring it throws and the
 * suite fails.
 */
import { beforeEach, expect, it } from 'vitest';
import { cpuBackend, type KernelSet } from '../../src/backends/cpu/index.ts';
import { WebGpuUnavailableError } from '../../src/backends/webgpu/errors.ts';
import type { BackendName } from '../../src/index.ts';
import { getBackend, setBackend, type Tensor } from '../../src/index.ts';

/** Whether a missing adapter must fail (CI, TYPEGRAD_REQUIRE_WEBGPU, or any browser run). */
export function webGpuRequired(): boolean {
  const proc = (
    globalThis as { process?: { env?: Record<string, string | undefined>; versions?: { node?: string } } }
  ).process;
  if (!proc?.versions?.node) return true; // a browser: the browser project is there for WebGPU
  const env = proc.env ?? {};
  return Boolean(env.CI) || Boolean(env.TYPEGRAD_REQUIRE_WEBGPU && env.TYPEGRAD_REQUIRE_WEBGPU !== '0');
}

let probed: Promise<boolean> | undefined;

/**
 * True when `setBackend('webgpu')` works. Without an adapter: false after a loud warning,
 * or a thrown error when WebGPU is required. Leaves the CPU backend current.
 */
export function webGpuAvailable(): Promise<boolean> {
  probed ??= (async () => {
    const before = getBackend();
    try {
      await setBackend('webgpu');
      return true;
    } catch (e) {
      if (e instanceof WebGpuUnavailableError && !webGpuRequired()) {
        console.warn(
          `\n*** typegrad: SKIPPING the WebGPU backend suites (test/backends): ${e.message}\n` +
            '*** Set CI=1 or TYPEGRAD_REQUIRE_WEBGPU=1 to make a missing adapter fail.\n',
        );
        return false;
      }
      throw e;
    } finally {
      await setBackend(before);
    }
  })();
  return probed;
}

export interface BackendCase {
  readonly name: BackendName;
  /** false: skip this backend's tests (no adapter and not required) */
  readonly available: boolean;
  /** CPU only: the kernel set the tests run on (default: the backend's own choice, wasm where SIMD validates). */
  readonly kernels?: KernelSet;
}

/** The kernel set the CPU backend picked at creation, restored after each `cpu-js` test. */
const defaultKernels = cpuBackend.kernels;

/**
 * The backends a suite runs on: `describe.each(await backendsUnderTest())`. The CPU runs
 * twice where its default kernel set is `wasm`: on it, and on the pure-JS fallback.
 */
export async function backendsUnderTest(): Promise<BackendCase[]> {
  return [
    { name: 'cpu', available: true },
    ...(defaultKernels === 'wasm' ? [{ name: 'cpu' as const, available: true, kernels: 'js' as const }] : []),
    { name: 'webgpu', available: await webGpuAvailable() },
  ];
}

/**
 * Inside `describe.each(await backendsUnderTest())`: makes the backend current before each
 * test (restoring the CPU after) and returns `it`, skipped where the backend is unavailable.
 * Tensors made in a test body then live on the backend under test.
 */
export function useBackend(backend: BackendCase): ReturnType<typeof it.skipIf> {
  const { name, available } = backend;
  beforeEach(async () => {
    if (available) {
      await setBackend(name);
      expect(getBackend()).toBe(name);
    }
    return async () => {
      await setBackend('cpu');
    };
  });
  useKernels(backend);
  return it.skipIf(!available);
}

/**
 * Inside a `describe` of a backend case: runs each test on the case's CPU kernel set (if it
 * names one), restoring the default after. `useBackend` does this; suites that switch
 * backends themselves call it directly.
 */
export function useKernels({ kernels }: BackendCase): void {
  beforeEach(() => {
    if (kernels) cpuBackend.kernels = kernels;
    return () => {
      cpuBackend.kernels = defaultKernels;
    };
  });
}

/** Values of a tensor as plain numbers (works on every backend). */
export async function values(t: Tensor): Promise<number[]> {
  return Array.from((await t.data()) as ArrayLike<number>);
}

/** `t.toArray()` on every backend: nested arrays of numbers (booleans for bool), read with `await t.data()`. */
export async function toNested(t: Tensor): Promise<unknown> {
  const flat = Array.from((await t.data()) as ArrayLike<number>, (v): number | boolean =>
    t.dtype === 'bool' ? v !== 0 : v,
  );
  const nest = (offset: number, dims: readonly number[]): unknown => {
    if (dims.length === 0) return flat[offset];
    const [n, ...rest] = dims as [number, ...number[]];
    const step = rest.reduce((p, d) => p * d, 1);
    return Array.from({ length: n }, (_, i) => nest(offset + i * step, rest));
  };
  return nest(0, t.shape as readonly number[]);
}

/**
 * `toBeCloseTo(expected[i], digits)` on every value of `t` (|actual - expected| < 10^-digits / 2),
 * after checking the count: the known-value unit tests' tolerance, on every backend.
 */
export async function expectCloseTo(t: Tensor, expected: ArrayLike<number>, digits = 5): Promise<void> {
  const got = await values(t);
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i]!, digits);
  });
}

/** Runs `fn` with `name` as the current backend, restoring the previous one after. */
export async function onBackend<T>(name: BackendName, fn: () => Promise<T> | T): Promise<T> {
  const before = getBackend();
  await setBackend(name);
  try {
    return await fn();
  } finally {
    await setBackend(before);
  }
}

/**
 * Checks a tensor's shape and values on any backend: f32/f64 results within `rtol` relative
 * plus `atol` absolute (default 1e-5 and 1e-6), other dtypes exactly (with -0 equal to 0).
 */
export async function expectT(
  t: Tensor,
  shape: readonly number[],
  want: ArrayLike<number>,
  rtol = 1e-5,
  atol = 1e-6,
): Promise<void> {
  expect([...(t.shape as readonly number[])]).toEqual([...shape]);
  const got = await values(t);
  if (t.dtype === 'f32' || t.dtype === 'f64') expectClose(got, Array.from(want), rtol, atol);
  else expect(got.map((v) => v + 0)).toEqual(Array.from(want, (v) => v + 0)); // -0 == 0
}

/**
 * Elementwise closeness, numpy-style: |a - e| <= atol + rtol |e|; NaN matches NaN and
 * infinities must be equal. Throws naming the worst element.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-5,
  atol = 1e-6,
  what = '',
): void {
  const label = what ? `${what}: ` : '';
  if (actual.length !== expected.length)
    throw new Error(`${label}length ${actual.length} differs from the expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (Number.isNaN(e) ? !Number.isNaN(a) : a !== e) {
        worst = i;
        worstExcess = Number.POSITIVE_INFINITY;
      }
      continue;
    }
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && !(excess < worstExcess)) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess;
    }
  }
  if (worst >= 0) {
    const head = (xs: ArrayLike<number>) => Array.from(xs).slice(0, 16).join(', ');
    throw new Error(
      `${label}element ${worst}: got ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol})\n` +
        `actual:   ${head(actual)}${actual.length > 16 ? ' …' : ''}\nexpected: ${head(expected)}${expected.length > 16 ? ' …' : ''}`,
    );
  }
}

export { lcg } from '../lcg.ts';

/** Reference 2-d convolution (NCHW, OIHW, groups 1) in float64. */
export function refConv2d(
  x: ArrayLike<number>,
  xs: readonly [number, number, number, number],
  w: ArrayLike<number>,
  ws: readonly [number, number, number, number],
  stride = 1,
  pad = 0,
): { data: number[]; shape: [number, number, number, number] } {
  const [n, c, h, wd] = xs;
  const [o, , kh, kw] = ws;
  const oh = Math.floor((h + 2 * pad - kh) / stride) + 1;
  const ow = Math.floor((wd + 2 * pad - kw) / stride) + 1;
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let s = 0;
          for (let ic = 0; ic < c; ic++)
            for (let di = 0; di < kh; di++)
              for (let dj = 0; dj < kw; dj++) {
                const yi = i * stride + di - pad;
                const xj = j * stride + dj - pad;
                if (yi < 0 || yi >= h || xj < 0 || xj >= wd) continue;
                s += x[((b * c + ic) * h + yi) * wd + xj]! * w[((oc * c + ic) * kh + di) * kw + dj]!;
              }
          out.push(s);
        }
  return { data: out, shape: [n, o, oh, ow] };
}
