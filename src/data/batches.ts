/**
 * Deterministic shuffling and batching driven by explicit Threefry keys. Browser-safe.
 */

import { checkOptions } from '../core/options.ts';
import { threefryBits } from '../random/threefry.ts';
import type { ImageSplit } from './dataset.ts';

/** A PRNG key as two uint32 words (k0, k1). */
export type KeyPair = readonly [k0: number, k1: number];

const TWO_32 = 2 ** 32;
/** Most words drawn per chunk; a rejected draw (probability < n / 2^32) may pull another chunk. */
const CHUNK = 4096;

/**
 * A uniformly random permutation of 0..n-1, a pure function of the key: Fisher–Yates where
 * step i (i = n-1 … 1) takes j uniform in [0, i] from the next uint32 word w, by rejection
 * (w < 2^32 − 2^32 mod (i+1), j = w mod (i+1)), so there is no modulo bias. The words are
 * `threefryBits(k0, k1, min(n, 4096), c)` for chunks c = 0, 1, 2, … read in order.
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

export interface BatchOptions {
  /** Examples per batch (a positive integer). */
  readonly batchSize: number;
  /** Shuffle key; omit it to keep the dataset order. Same key → same order. */
  readonly key?: KeyPair;
  /** Drop the last batch when it is smaller than `batchSize`. Default false. */
  readonly dropRemainder?: boolean;
}

/** One batch: images `[B, C, H, W]` as float32 and labels as int32. */
export interface Batch {
  readonly x: Float32Array;
  readonly xShape: [b: number, c: number, h: number, w: number];
  readonly y: Int32Array;
  /** The dataset indices of the examples in this batch. */
  readonly indices: Int32Array;
}

/** How many batches {@link batches} yields for `n` examples. */
export function batchCount(
  n: number,
  batchSize: number,
  opts?: { readonly dropRemainder?: boolean },
): number {
  checkOptions('data.batchCount', opts, ['dropRemainder']);
  const dropRemainder = opts?.dropRemainder ?? false;
  return dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * Splits a dataset split into batches, in a key-determined shuffled order when `key` is given
 * (use a fresh key per epoch, e.g. by folding the epoch number into it). Each batch owns
 * copies of its data.
 */
export function* batches(split: ImageSplit, options: BatchOptions): Generator<Batch, void, undefined> {
  const { batchSize, key, dropRemainder = false } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  }
  const { n, images, labels } = split;
  const [, c, h, w] = split.shape;
  const per = c * h * w;
  if (images.length !== n * per || labels.length !== n) {
    throw new Error(
      `batches: split has n = ${n} and shape [${split.shape.join(', ')}] but ${images.length} pixels and ${labels.length} labels`,
    );
  }
  const order = key === undefined ? null : shufflePermutation(n, key);
  const count = batchCount(n, batchSize, { dropRemainder });
  for (let b = 0; b < count; b++) {
    const start = b * batchSize;
    const size = Math.min(batchSize, n - start);
    const x = new Float32Array(size * per);
    const y = new Int32Array(size);
    const indices = new Int32Array(size);
    for (let r = 0; r < size; r++) {
      const i = order === null ? start + r : order[start + r]!;
      indices[r] = i;
      y[r] = labels[i]!;
      x.set(images.subarray(i * per, (i + 1) * per), r * per);
    }
    yield { x, xShape: [size, c, h, w], y, indices };
  }
}
