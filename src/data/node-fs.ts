/**
 * Node-only adapters for the data module: reading IDX files, MNIST-format directories and text
 * corpora from disk (gzip through `node:zlib`). Each comes throwing (`loadIdxFile`, …) and as an
 * fp-ts `TaskEither` failing with a `FileError` (`readIdxFile`, …). Everything else in
 * `src/data` is browser-safe.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { digitsAssetUrls } from '../datasets/digits.ts';
import { type FileError, readError, stage, stageTask } from '../io/file-error.ts';
import { type Corpus, type CorpusOptions, corpusFromText } from './corpus.ts';
import { type ImageDataset, imageSplitFromIdx } from './dataset.ts';
import { digitsFromIdx } from './digits.ts';
import { type IdxArray, idxError, parseIdx } from './idx.ts';

const gunzip = (bytes: Uint8Array): Uint8Array => gunzipSync(bytes);

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw idxError(path, `cannot read the file (${(e as Error).message})`, e);
  }
}

/**
 * Reads and decodes an IDX file (raw or gzipped); throws a `readIdx(<path>): …` Error.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { data } from 'typegrad';
 * import { loadIdxFile } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'v.idx');
 * writeFileSync(path, data.encodeIdx({ dtype: 'float64', shape: [1], data: Float64Array.from([0.25]) }));
 * assert.deepEqual([...loadIdxFile(path).data], [0.25]);
 * assert.throws(() => loadIdxFile(`${path}.missing`), /^Error: readIdx\(.*v\.idx\.missing\): cannot read the file/);
 * ```
 */
export function loadIdxFile(path: string): IdxArray {
  return parseIdx(readBytes(path), { name: path, gunzip });
}

/** Reads a whole file; a failure is the `'read'` error of `fn` (as in `io/node-fs.ts`). */
const readFileTask = (fn: string, path: string): TE.TaskEither<FileError, Uint8Array> =>
  TE.tryCatch(
    () => readFile(path),
    (e) => readError(fn, path, e),
  );

/** An IDX file read and decoded; failures are the `'read'` / `'decode'` errors of `fn` on `path`. */
const idxTask = (fn: string, path: string): TE.TaskEither<FileError, IdxArray> =>
  pipe(
    readFileTask(fn, path),
    TE.chainEitherK((bytes) => stage(fn, path, 'decode')(() => parseIdx(bytes, { name: path, gunzip }))),
  );

/**
 * {@link loadIdxFile} as a `TaskEither`: reads asynchronously, never throws, and fails with a
 * `FileError` of kind `'read'` (missing file) or `'decode'` (bad magic, truncated, corrupt gzip).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { data } from 'typegrad';
 * import { readIdxFile } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'v.idx');
 * writeFileSync(path, data.encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array([7, 8, 9]) }));
 * const r = await readIdxFile(path)();
 * assert.ok(r._tag === 'Right');
 * assert.deepEqual([...r.right.data], [7, 8, 9]);
 * ```
 */
export function readIdxFile(path: string): TE.TaskEither<FileError, IdxArray> {
  return idxTask('readIdxFile', path);
}

/**
 * The four standard MNIST-format file names, without the optional `.gz`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { MNIST_FILES } from 'typegrad/node';
 * assert.equal(MNIST_FILES.trainImages, 'train-images-idx3-ubyte');
 * ```
 */
export const MNIST_FILES = {
  /** Training images, uint8 `[n, h, w]`. */
  trainImages: 'train-images-idx3-ubyte',
  /** Training labels, uint8 `[n]`. */
  trainLabels: 'train-labels-idx1-ubyte',
  /** Test images, uint8 `[n, h, w]`. */
  testImages: 't10k-images-idx3-ubyte',
  /** Test labels, uint8 `[n]`. */
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { DEBIAN_FASHION_MNIST_DIR } from 'typegrad/node';
 * assert.equal(DEBIAN_FASHION_MNIST_DIR, '/usr/share/datasets/fashion-mnist');
 * ```
 */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * Finds `base` in `dir` as `base.gz`, `base`, or the Kaggle spelling with a dot before `idx`
 * (`train-images.idx3-ubyte`); throws an Error listing what the directory holds otherwise.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { findMnistFile } from 'typegrad/node';
 * const dir = mkdtempSync(join(tmpdir(), 'tg-'));
 * writeFileSync(join(dir, 'train-images.idx3-ubyte'), ''); // the Kaggle spelling
 * assert.equal(findMnistFile(dir, 'train-images-idx3-ubyte'), join(dir, 'train-images.idx3-ubyte'));
 * assert.throws(() => findMnistFile(dir, 'train-labels-idx1-ubyte'), /missing train-labels-idx1-ubyte/);
 * ```
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
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { data } from 'typegrad';
 * import { loadMnistFormat, MNIST_FILES } from 'typegrad/node';
 * const dir = mkdtempSync(join(tmpdir(), 'tg-'));
 * const images = data.encodeIdx({ dtype: 'uint8', shape: [2, 2, 2], data: new Uint8Array(8).fill(255) });
 * const labels = data.encodeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array([3, 9]) });
 * for (const [name, bytes] of [[MNIST_FILES.trainImages, images], [MNIST_FILES.trainLabels, labels], [MNIST_FILES.testImages, images], [MNIST_FILES.testLabels, labels]] as const)
 *   writeFileSync(join(dir, name), bytes);
 * const set = loadMnistFormat(dir);
 * assert.deepEqual([set.train.shape, [...set.test.labels], set.train.images[0]], [[2, 1, 2, 2], [3, 9], 1]);
 * ```
 */
export function loadMnistFormat(dir: string): ImageDataset {
  return {
    train: splitFrom(dir, loadIdxFile, MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    test: splitFrom(dir, loadIdxFile, MNIST_FILES.testImages, MNIST_FILES.testLabels),
    classes: 10,
  };
}

/**
 * {@link loadMnistFormat} as a `TaskEither`: the four files read concurrently; never throws;
 * fails with a `FileError` naming the directory (a missing file, kind `'read'`) or the file
 * (unreadable or corrupt).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readMnistFormat } from 'typegrad/node';
 * const empty = mkdtempSync(join(tmpdir(), 'tg-'));
 * const r = await readMnistFormat(empty)();
 * assert.ok(r._tag === 'Left' && r.left.kind === 'read');
 * assert.match(r.left.message, /missing train-images-idx3-ubyte or train-images-idx3-ubyte\.gz/);
 * ```
 */
export function readMnistFormat(dir: string): TE.TaskEither<FileError, ImageDataset> {
  const fn = 'readMnistFormat';
  const bases = [
    MNIST_FILES.trainImages,
    MNIST_FILES.trainLabels,
    MNIST_FILES.testImages,
    MNIST_FILES.testLabels,
  ];
  return pipe(
    stageTask(fn, dir, 'read')(() => bases.map((base) => findMnistFile(dir, base))),
    TE.chain((paths) =>
      pipe(
        TE.sequenceArray(paths.map((p) => idxTask(fn, p))),
        TE.chainEitherK((arrays) =>
          stage(
            fn,
            dir,
            'decode',
          )(() => {
            const [ti, tl, vi, vl] = arrays as [IdxArray, IdxArray, IdxArray, IdxArray];
            const [tip, tlp, vip, vlp] = paths as [string, string, string, string];
            return {
              train: imageSplitFromIdx(ti, tl, { images: tip, labels: tlp }),
              test: imageSplitFromIdx(vi, vl, { images: vip, labels: vlp }),
              classes: 10,
            };
          }),
        ),
      ),
    ),
  );
}

/**
 * Synchronous Node loader for the embedded digits (see `loadDigits` in `typegrad/datasets/digits`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { loadDigitsSync } from 'typegrad/node';
 * const { train, test } = loadDigitsSync();
 * assert.deepEqual([train.n, test.n, train.shape], [8000, 2000, [8000, 1, 28, 28]]);
 * ```
 */
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
 * train/validation id streams). Throws `loadCorpus(<path>): cannot read the file (…)`.
 *
 * @param path the text file.
 * @param options as for `data.corpusFromText` (`level`, `validFraction`, vocabulary options).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadCorpus } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'tiny.txt');
 * writeFileSync(path, 'abcabc');
 * const { vocab, train } = loadCorpus(path, { level: 'char', validFraction: 0 });
 * assert.equal(vocab.decode(train), 'abcabc');
 * ```
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

/**
 * {@link loadCorpus} as a `TaskEither`: never throws; fails with a `FileError` of kind
 * `'read'` (unreadable file) or `'decode'` (the text cannot make a corpus with these options).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { readCorpusFile } from 'typegrad/node';
 * const r = await readCorpusFile('/no/such/corpus.txt')();
 * assert.ok(r._tag === 'Left');
 * assert.equal(r.left.fn, 'readCorpusFile');
 * assert.equal(r.left.kind, 'read');
 * ```
 */
export function readCorpusFile(path: string, options: CorpusOptions = {}): TE.TaskEither<FileError, Corpus> {
  const fn = 'readCorpusFile';
  return pipe(
    readFileTask(fn, path),
    TE.chainEitherK((bytes) =>
      stage(fn, path, 'decode')(() => corpusFromText(new TextDecoder().decode(bytes), options)),
    ),
  );
}
