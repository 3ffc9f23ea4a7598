/**
 * safetensors dtypes that typegrad has no storage for, decoded on read to the nearest one:
 * F16 and BF16 (PyTorch half-precision checkpoints) to F32, exactly; I64 (PyTorch's default
 * integer, e.g. BatchNorm's `num_batches_tracked`) to I32, with a range check.
 */

/**
 * The safetensors dtypes `io.decodeSafetensors` widens on read (F16, BF16 → F32; I64 → I32),
 * and that its `skip` option can leave out instead.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const skip: io.WideDtype[] = ['I64', 'F16'];
 * const bytes = io.encodeSafetensors({ w: { shape: [1], data: Float32Array.from([1]) } });
 * assert.deepEqual(io.decodeSafetensors(bytes, 'w', { skip }).skipped, undefined); // nothing was skipped
 * ```
 */
export type WideDtype = 'F16' | 'BF16' | 'I64';

interface WideInfo {
  readonly bytes: number;
  readonly to: 'F32' | 'I32';
  /** Decodes little-endian bytes; `fail` gets the index and value of an element out of range. */
  readonly decode: (
    bytes: Uint8Array,
    fail: (index: number, value: string) => never,
  ) => Float32Array | Int32Array;
}

/** IEEE 754 binary16 → number (exact: every half is a float32). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal (or zero)
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

export const WIDE_DTYPES: Readonly<Record<WideDtype, WideInfo>> = {
  F16: {
    bytes: 2,
    to: 'F32',
    decode: (b) => {
      const v = view(b);
      const out = new Float32Array(b.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = halfToNumber(v.getUint16(2 * i, true));
      return out;
    },
  },
  BF16: {
    bytes: 2,
    to: 'F32',
    decode: (b) => {
      // bfloat16 is the top half of a float32: shift it back into place.
      const v = view(b);
      const bits = new Uint32Array(b.length / 2);
      for (let i = 0; i < bits.length; i++) bits[i] = v.getUint16(2 * i, true) << 16;
      return new Float32Array(bits.buffer);
    },
  },
  I64: {
    bytes: 8,
    to: 'I32',
    decode: (b, fail) => {
      const v = view(b);
      const out = new Int32Array(b.length / 8);
      for (let i = 0; i < out.length; i++) {
        const x = v.getBigInt64(8 * i, true);
        if (x < -2147483648n || x > 2147483647n) fail(i, String(x));
        out[i] = Number(x);
      }
      return out;
    },
  },
};

export const isWideDtype = (d: unknown): d is WideDtype =>
  typeof d === 'string' && Object.hasOwn(WIDE_DTYPES, d);
