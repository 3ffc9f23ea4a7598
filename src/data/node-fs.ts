/**
 * Node-only adapters for the data module: reading IDX files and MNIST-format directories from
 * disk (gzip through `node:zlib`). Everything else in `src/data` is browser-safe.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { digitsAssetUrls } from '../datasets/digits.ts';
import { type Corpus, type CorpusOptions, corpusFromText } from './corpus.ts';
import { type ImageDataset, imageSplitFromIdx } from './dataset.ts';
import { digitsFromIdx } from './digits.ts';
import { type IdxArray, idxError, parseIdx } from './idx.ts';

const gunzip = (bytes: Uint8Array): Uint8Array => gunzipSync(bytes);

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw idxError(path, `cannot read the file (${(e as Error).message})`, e);
  }
}

/** Reads and decodes an IDX file (raw or gzipped); throws a `readIdx(<path>): …` Error. */
export function loadIdxFile(path: string): IdxArray {
  return parseIdx(readBytes(path), { name: path, gunzip });
}

/** {@link loadIdxFile} as a `TaskEither`: reads asynchronously and never throws. */
export function readIdxFile(path: string): TE.TaskEither<Error, IdxArray> {
  return TE.tryCatch(async () => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw idxError(path, `cannot read the file (${(e as Error).message})`, e);
    }
    return parseIdx(bytes, { name: path, gunzip });
  }, toError);
}

/** The four standard MNIST-format file names, without the optional `.gz`. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * Finds `base` in `dir` as `base.gz`, `base`, or the Kaggle spelling with a dot before `idx`
 * (`train-images.idx3-ubyte`); throws an Error listing what the directory holds otherwise.
 */
export function findMnistFile(dir: string, base: string): string {
  const dotted = base.replace(/-idx/, '.idx');
  for (const candidate of [`${base}.gz`, base, `${dotted}.gz`, dotted]) {
    const path = join(dir, candidate);
    if (existsSync(path)) return path;
  }
  let found: string;
  try {
    found = readdirSync(dir).join(', ') || 'nothing';
  } catch (e) {
    throw new Error(`loadMnistFormat(${dir}): cannot read the directory (${(e as Error).message})`, {
      cause: e,
    });
  }
  throw new Error(`loadMnistFormat(${dir}): missing ${base} or ${base}.gz (the directory holds: ${found})`);
}

function splitFrom(
  dir: string,
  load: (path: string) => IdxArray,
  images: string,
  labels: string,
): ImageDataset['train'] {
  const ip = findMnistFile(dir, images);
  const lp = findMnistFile(dir, labels);
  return imageSplitFromIdx(load(ip), load(lp), { images: ip, labels: lp });
}

/**
 * Loads an MNIST-format set (MNIST, Fashion-MNIST, KMNIST …) from a directory holding the
 * four standard files, raw or gzipped. Images become float32 in [0, 1] shaped `[n, 1, h, w]`,
 * labels int32. Throws a clear Error for a missing, truncated or corrupt file.
 */
export function loadMnistFormat(dir: string): ImageDataset {
  return {
    train: splitFrom(dir, loadIdxFile, MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    test: splitFrom(dir, loadIdxFile, MNIST_FILES.testImages, MNIST_FILES.testLabels),
    classes: 10,
  };
}

/** {@link loadMnistFormat} as a `TaskEither`. */
export function readMnistFormat(dir: string): TE.TaskEither<Error, ImageDataset> {
  return TE.tryCatch(async () => {
    const paths = [
      MNIST_FILES.trainImages,
      MNIST_FILES.trainLabels,
      MNIST_FILES.testImages,
      MNIST_FILES.testLabels,
    ].map((base) => findMnistFile(dir, base));
    const arrays = await Promise.all(
      paths.map(async (p) => {
        const r = await readIdxFile(p)();
        if (r._tag === 'Left') throw r.left;
        return r.right;
      }),
    );
    const [ti, tl, vi, vl] = arrays as [IdxArray, IdxArray, IdxArray, IdxArray];
    const [tip, tlp, vip, vlp] = paths as [string, string, string, string];
    return {
      train: imageSplitFromIdx(ti, tl, { images: tip, labels: tlp }),
      test: imageSplitFromIdx(vi, vl, { images: vip, labels: vlp }),
      classes: 10,
    };
  }, toError);
}

/** Synchronous Node loader for the embedded digits (see `loadDigits` in `typegrad/datasets/digits`). */
export function loadDigitsSync(): ImageDataset {
  return digitsFromIdx(
    parseIdx(readBytes(fileURLToPath(digitsAssetUrls.images)), {
      name: 'digits-images-idx3-ubyte.gz',
      gunzip,
    }),
    parseIdx(readBytes(fileURLToPath(digitsAssetUrls.labels)), {
      name: 'digits-labels-idx1-ubyte.gz',
      gunzip,
    }),
  );
}

/**
 * Reads a UTF-8 text file and returns {@link corpusFromText} of its contents (a vocabulary and
 * train/validation id streams).
 *
 * @example
 * const { vocab, train } = loadCorpus('data/tinyshakespeare.txt', { level: 'char' });
 */
export function loadCorpus(path: string, options: CorpusOptions = {}): Corpus {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`loadCorpus(${path}): cannot read the file (${(e as Error).message})`, { cause: e });
  }
  return corpusFromText(text, options);
}
