/**
 * Image classification data as plain typed arrays: images NCHW as float32 in [0, 1], labels
 * int32. Browser-safe (no Node imports).
 */

import { checkOptions } from '../core/options.ts';
import { type IdxArray, idxError } from './idx.ts';

/** One split (train or test) of an image classification set. */
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

export interface ImageDataset {
  readonly train: ImageSplit;
  readonly test: ImageSplit;
  /** Number of classes (10 for MNIST-format sets). */
  readonly classes: number;
}

/** Scales uint8 pixels to float32 in [0, 1] (v / 255). */
export function bytesToUnitFloats(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! / 255;
  return out;
}

/**
 * Builds a split from an IDX image file (uint8, `[n, h, w]`) and an IDX label file (uint8,
 * `[n]`), checking dtypes, ranks, counts and label range. `names` are the two file names
 * used in error messages.
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
