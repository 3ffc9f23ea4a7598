/**
 * Deterministic shuffling and batching driven by explicit Threefry keys. Browser-safe.
 */

import { checkOptions } from '../core/options.ts';
import { threefryBits } from '../random/threefry.ts';

/**
 * A PRNG key as two uint32 words (k0, k1), for host-side shuffling (`data.batches`). Get one
 * from a `random.key` with `data.keyPairOf`, or write one: `[epoch, seed]`.
 */
export type KeyPair = readonly [k0: number, k1: number];

const TWO_32 = 2 ** 32;
/** Most words drawn per chunk; a rejected draw (probability < n / 2^32) may pull another chunk. */
const CHUNK = 4096;

/**
 * A uniformly random permutation of 0..n-1, a pure function of the key: Fisher–Yates where
 * step i (i = n-1 … 1) takes j uniform in [0, i] from the next uint32 word w, by rejection
 * (w < 2^32 − 2^32 mod (i+1), j = w mod (i+1)), so there is no modulo bias. The words are
 * `threefryBits(k0, k1, min(n, 4096), c)` for chunks c = 0, 1, 2, … read in order.
 *
 * @param n how many items (an integer in [0, 2^31)).
 * @param key the two key words; the same key gives the same permutation everywhere.
 * @returns an `Int32Array` holding each of 0..n-1 once.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const p = data.shufflePermutation(5, [0, 42]);
 * assert.deepEqual([...p].sort(), [0, 1, 2, 3, 4]);
 * assert.deepEqual(data.shufflePermutation(5, [0, 42]), p); // a pure function of the key
 * ```
 */
export function shufflePermutation(n: number, key: KeyPair): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new RangeError(`shufflePermutation: n must be an integer in [0, 2^31), got ${n}`);
  }
  const [k0, k1] = key;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const chunkLength = Math.min(n, CHUNK);
  let chunk = 0;
  let words: Uint32Array = new Uint32Array(0);
  let pos = 0;
  for (let i = n - 1; i > 0; i--) {
    const m = i + 1;
    const limit = TWO_32 - (TWO_32 % m);
    let w: number;
    do {
      if (pos === words.length) {
        words = threefryBits(k0, k1, chunkLength, chunk++);
        pos = 0;
      }
      w = words[pos++]!;
    } while (w >= limit);
    const j = w % m;
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/** One batch of an `ImageSplit` (from `data.batches`): images `[B, C, H, W]` as float32 and labels as int32. */
export interface Batch {
  /** Pixels, row-major `xShape`. */
  readonly x: Float32Array;
  /** `[B, C, H, W]`. */
  readonly xShape: [b: number, c: number, h: number, w: number];
  /** Class ids, length `B`. */
  readonly y: Int32Array;
  /** The dataset indices of the examples in this batch. */
  readonly indices: Int32Array;
}

/**
 * How many batches `data.batches` yields for `n` examples: `ceil(n / batchSize)`, or
 * `floor(n / batchSize)` with `dropLast`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.batchCount(10, 4), 3);
 * assert.equal(data.batchCount(10, 4, { dropLast: true }), 2);
 * ```
 */
export function batchCount(n: number, batchSize: number, opts?: { readonly dropLast?: boolean }): number {
  checkOptions('data.batchCount', opts, ['dropLast']);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`data.batchCount: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`data.batchCount: batchSize must be a positive integer, got ${batchSize}`);
  return opts?.dropLast === true ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}
