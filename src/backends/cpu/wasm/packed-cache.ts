/**
 * Packed B panels kept for weights that are multiplied again and again: a recurrent net's
 * hidden-to-hidden matrix meets every step's state, forward and backward, and packing it
 * (then a strided copy in JavaScript) cost as much as the small products themselves. The
 * second time the same tensor buffer is seen in the same layout, its panels are packed once
 * into a side copy; later products copy them into wasm memory with one `set` per panel
 * instead of staging and packing B again.
 *
 * Tensor buffers are immutable while alive; the pool recycles them only after disposal, and
 * then calls `forgetPacked`, so a cached copy never outlives the values it was made from.
 */
import type { NumArray } from '../strides.ts';

interface Entry {
  readonly off: number;
  readonly rs: number;
  readonly cs: number;
  readonly k: number;
  readonly n: number;
  /** The panels in the order sgemm consumes them, once the layout was seen twice. */
  packed?: Float32Array;
}

/** Largest B (in floats, padded) worth a side copy. */
const MAX_PACKED = 4 * 1024 * 1024;

const entries = new WeakMap<object, Entry>();

/** Drops what was cached for `buffer` (its values are about to change). */
export function forgetPacked(buffer: object): void {
  entries.delete(buffer);
}

/**
 * The packed panels of B for this layout when it has been seen before (packing them now,
 * with `pack`), else undefined (first sighting: recorded, the caller packs as usual).
 */
export function cachedPanels(
  data: NumArray,
  off: number,
  rs: number,
  cs: number,
  k: number,
  n: number,
  size: number,
  pack: (into: Float32Array) => void,
): Float32Array | undefined {
  if (!(data instanceof Float32Array) || size > MAX_PACKED) return undefined;
  const e = entries.get(data);
  if (!e || e.off !== off || e.rs !== rs || e.cs !== cs || e.k !== k || e.n !== n) {
    entries.set(data, { off, rs, cs, k, n });
    return undefined;
  }
  if (!e.packed) {
    e.packed = new Float32Array(size);
    pack(e.packed);
  }
  return e.packed;
}
