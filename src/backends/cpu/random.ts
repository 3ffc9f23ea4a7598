/**
 * random_bits: Threefry-2x32 (20 rounds) words as i32 bit patterns. Word i comes from block
 * j = floor(i / 2): (y0, y1) = threefry2x32(k0, k1, j, stream); word i is y0 if i is even
 * else y1 — the contract every backend shares, so one key gives the same bits everywhere.
 */
import type { TypedArray } from '../../core/dtype.ts';
import { threefryBits } from '../../random/threefry.ts';

export function randomBits(key: TypedArray, stream: number, out: TypedArray): void {
  if (key.length !== 2) throw new Error(`cpu random_bits: key must have 2 words, got ${key.length}`);
  if (!Number.isInteger(stream)) throw new Error(`cpu random_bits: stream ${stream} is not an integer`);
  const bits = threefryBits(key[0]! >>> 0, key[1]! >>> 0, out.length, stream >>> 0);
  // Int32Array.set from a Uint32Array keeps the bit patterns (ToInt32 wraps).
  out.set(bits);
}
