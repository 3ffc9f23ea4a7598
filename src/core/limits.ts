import type { Backend } from '../backends/backend.ts';
import type { Aval } from './aval.ts';
import { formatShape } from './aval.ts';
import type { BackendName } from './backend-registry.ts';
import { byteSize } from './dtype.ts';

/**
 * Size checks made before anything is allocated, so a huge or malformed shape is a clear
 * error naming the op, the shape and the bytes, never the engine's `RangeError` or a
 * tensor of NaN size (which would poison `memory()`).
 *
 * Ceilings per backend: the CPU's defaults to 4 GiB per tensor (host typed arrays); the
 * WebGPU one is the device's binding limit (min of maxStorageBufferBindingSize and
 * maxBufferSize, from the adapter). `setAllocationLimit` overrides either.
 */
const CPU_DEFAULT_BYTES = 2 ** 32;
const overrides = new Map<string, number>();

/**
 * Sets the largest tensor, in bytes, that `backend` may allocate (`undefined`: back to the
 * default, 4 GiB on the CPU, the device's binding limit on WebGPU). Larger results are an
 * error naming the op before any memory is touched.
 *
 * @param backend - `'cpu'` or `'webgpu'`.
 * @param bytes - The ceiling in bytes (a non-negative integer), or `undefined`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { setAllocationLimit, zeros } from 'typegrad';
 * setAllocationLimit('cpu', 1024); // at most 1 KiB per tensor on the CPU
 * try {
 *   assert.throws(() => zeros([1000]), /a f32\[1000\] result needs 4000 bytes/);
 * } finally {
 *   setAllocationLimit('cpu', undefined); // back to the default
 * }
 * assert.equal(zeros([1000]).size, 1000);
 * ```
 */
export function setAllocationLimit(backend: BackendName, bytes: number | undefined): void {
  if (backend !== 'cpu' && backend !== 'webgpu')
    throw new Error(`setAllocationLimit: unknown backend '${String(backend)}' (use 'cpu' or 'webgpu')`);
  if (bytes === undefined) {
    overrides.delete(backend);
    return;
  }
  if (!Number.isSafeInteger(bytes) || bytes < 0)
    throw new Error(`setAllocationLimit: bytes must be a non-negative integer, got ${String(bytes)}`);
  overrides.set(backend, bytes);
}

/** The ceiling in bytes for one tensor on `backend`. */
export function allocationLimit(backend: Backend): number {
  const set = overrides.get(backend.name);
  if (set !== undefined) return set;
  const limits = (backend as { device?: { limits?: GPUSupportedLimitsLike } }).device?.limits;
  if (limits) return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  return CPU_DEFAULT_BYTES;
}

interface GPUSupportedLimitsLike {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

/** Every dim a non-negative integer: `op: bad dim … in shape …` otherwise. */
export function checkDims(op: string, shape: readonly unknown[], what = 'shape'): void {
  if (!Array.isArray(shape)) throw new Error(`${op}: ${what} must be an array of dims, got ${String(shape)}`);
  for (const d of shape)
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)
      throw new Error(
        `${op}: bad dim ${typeof d === 'string' ? JSON.stringify(d) : String(d)} in ${what} [${shape.map(String).join(', ')}] (dims are non-negative integers)`,
      );
}

function humanBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number(v.toPrecision(3))} ${units[u]}`;
}

/** Checks a result's dims and that its bytes fit under the backend's ceiling, before allocating. */
export function checkAllocation(op: string, backend: Backend, aval: Aval): void {
  checkDims(op, aval.shape, 'result shape');
  let elements = 1;
  for (const d of aval.shape) elements *= d;
  const bytes = elements * byteSize(aval.dtype);
  const limit = allocationLimit(backend);
  if (bytes > limit)
    throw new Error(
      `${op}: a ${aval.dtype}${formatShape(aval.shape)} result needs ${bytes} bytes (${humanBytes(bytes)}), ` +
        `over the ${backend.name} backend's limit of ${limit} bytes (${humanBytes(limit)}) per tensor; ` +
        'use a smaller shape, or raise the limit with setAllocationLimit',
    );
}
