/**
 * `typegrad/datasets/digits`: the embedded digits (10,000 handwritten 28×28 digits from MNIST,
 * 1.6 MB gzipped), as an opt-in subpath. Only an app that imports this module references the
 * asset files, so bundlers (Vite, webpack: `new URL(…, import.meta.url)`) emit them only there.
 */

import { readFileUrl } from '#platform';
import type { ImageDataset } from '../data/dataset.ts';
import { digitsFromIdx } from '../data/digits.ts';
import { parseIdxAsync } from '../data/idx.ts';

export {
  DIGITS_ORDER_KEY,
  DIGITS_TEST,
  DIGITS_TOTAL,
  DIGITS_TRAIN,
  digitsFromIdx,
} from '../data/digits.ts';

/**
 * Where the two gzipped IDX files live (URL strings), relative to this module: next to it in Node, and
 * wherever the bundler emitted them in a browser app.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { digitsAssetUrls } from 'typegrad/datasets/digits';
 * assert.ok(digitsAssetUrls.images.endsWith('digits-images-idx3-ubyte.gz'));
 * ```
 */
export const digitsAssetUrls: {
  /** The gzipped IDX file of the 10,000 images `[n, 28, 28]` (uint8). */
  readonly images: string;
  /** The gzipped IDX file of the 10,000 labels `[n]` (uint8, 0–9). */
  readonly labels: string;
} = {
  // Strings, not URL objects, so the declarations need neither the DOM lib nor @types/node.
  images: new URL('./assets/digits-images-idx3-ubyte.gz', import.meta.url).href,
  labels: new URL('./assets/digits-labels-idx1-ubyte.gz', import.meta.url).href,
};

async function fetchBytes(href: string): Promise<Uint8Array> {
  if (href.startsWith('file:')) return readFileUrl(href);
  const res = await fetch(href);
  if (!res.ok) throw new Error(`loadDigits: GET ${href} failed with HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Loads the embedded digits: `{ train: 8,000, test: 2,000 }`, images float32 in [0, 1] shaped
 * `[n, 1, 28, 28]`, labels int32 0–9. Works in Node (reads the files next to this module) and
 * in browsers (fetches them relative to the module URL; Vite and webpack emit them). For a
 * synchronous Node loader see `loadDigitsSync` in `typegrad/node`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { loadDigits } from 'typegrad/datasets/digits';
 * const digits = await loadDigits();
 * assert.deepEqual(digits.train.shape, [8000, 1, 28, 28]);
 * ```
 */
export async function loadDigits(): Promise<ImageDataset> {
  const [imgBytes, lblBytes] = await Promise.all([
    fetchBytes(digitsAssetUrls.images),
    fetchBytes(digitsAssetUrls.labels),
  ]);
  const [images, labels] = await Promise.all([
    parseIdxAsync(imgBytes, { name: 'digits-images-idx3-ubyte.gz' }),
    parseIdxAsync(lblBytes, { name: 'digits-labels-idx1-ubyte.gz' }),
  ]);
  return digitsFromIdx(images, labels);
}
