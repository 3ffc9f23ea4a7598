/**
 * Image classification data as plain typed arrays: images NCHW as float32 in [0, 1], labels
 * int32. Browser-safe (no Node imports).
 */

import { checkOptions } from '../core/options.ts';
import { type IdxArray, idxError } from './idx.ts';

/**
 * One split (train or test) of an image classification set.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const split: data.ImageSplit = { images: new Float32Array(8), shape: [2, 1, 2, 2], labels: new Int32Array([0, 1]), n: 2 };
 * const [batch] = [...data.batches(split, { batchSize: 2 })];
 * assert.deepEqual(batch!.xShape, [2, 1, 2, 2]);
 * ```
 */
export interface ImageSplit {
  /** Pixels scaled to [0, 1], row-major with shape `shape`. */
  readonly images: Float32Array;
  /** `[n, channels, height, width]` (NCHW). */
  readonly shape: [n: number, c: number, h: number, w: number];
  /** Class ids in [0, classes). */
  readonly labels: Int32Array;
  /** Number of examples. */
  readonly n: number;
}

/**
 * An image classification set: train and test splits and the class count.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const split: data.ImageSplit = { images: new Float32Array(4), shape: [1, 1, 2, 2], labels: new Int32Array([3]), n: 1 };
 * const set: data.ImageDataset = { train: split, test: split, classes: 10 };
 * assert.equal(set.train.shape[2] * set.train.shape[3], 4);
 * ```
 */
export interface ImageDataset {
  /** The training split. */
  readonly train: ImageSplit;
  /** The test split. */
  readonly test: ImageSplit;
  /** Number of classes (10 for MNIST-format sets). */
  readonly classes: number;
}

/**
 * Scales uint8 pixels to float32 in [0, 1] (v / 255).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.deepEqual([...data.bytesToUnitFloats(new Uint8Array([0, 255]))], [0, 1]);
 * ```
 */
export function bytesToUnitFloats(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! / 255;
  return out;
}

/**
 * Builds a split from an IDX image file (uint8, `[n, h, w]`) and an IDX label file (uint8,
 * `[n]`), checking dtypes, ranks, counts and label range. `names` are the two file names
 * used in error messages.
 *
 * @param images an IDX array of uint8 `[n, h, w]`.
 * @param labels an IDX array of uint8 `[n]`.
 * @param names the two file names for error messages.
 * @param opts `classes` (default 10): labels must be below it.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const images: data.IdxArray = { dtype: 'uint8', shape: [2, 1, 2], data: new Uint8Array([0, 255, 51, 102]) };
 * const labels: data.IdxArray = { dtype: 'uint8', shape: [2], data: new Uint8Array([7, 1]) };
 * const split = data.imageSplitFromIdx(images, labels, { images: 'img.idx', labels: 'lbl.idx' });
 * assert.deepEqual(split.shape, [2, 1, 1, 2]);
 * assert.deepEqual([...split.labels], [7, 1]);
 * assert.throws(() => data.imageSplitFromIdx(images, labels, { images: 'img.idx', labels: 'lbl.idx' }, { classes: 5 }), /readIdx\(lbl\.idx\): label 7 at index 0 is outside \[0, 5\)/);
 * ```
 */
export function imageSplitFromIdx(
  images: IdxArray,
  labels: IdxArray,
  names: { readonly images: string; readonly labels: string },
  opts?: { readonly classes?: number },
): ImageSplit {
  checkOptions('data.imageSplitFromIdx', opts, ['classes']);
  const classes = opts?.classes ?? 10;
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw idxError(
      names.images,
      `expected uint8 images of shape [n, height, width], found ${images.dtype} of shape [${images.shape.join(', ')}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw idxError(
      names.labels,
      `expected uint8 labels of shape [n], found ${labels.dtype} of shape [${labels.shape.join(', ')}]`,
    );
  }
  const [n, h, w] = images.shape as [number, number, number];
  if (labels.shape[0] !== n) {
    throw idxError(names.labels, `has ${labels.shape[0]} labels but ${names.images} has ${n} images`);
  }
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels.data[i]!;
    if (y >= classes) {
      throw idxError(names.labels, `label ${y} at index ${i} is outside [0, ${classes})`);
    }
    ys[i] = y;
  }
  return { images: bytesToUnitFloats(images.data as Uint8Array), shape: [n, 1, h, w], labels: ys, n };
}
