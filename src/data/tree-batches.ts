/**
 * `data.batches`: batching over any pytree of examples — tensors with a leading example dim
 * `[N, …]`, 1-D typed arrays (one value per example, e.g. labels or ids kept on the host), and
 * an `ImageSplit` (host images and labels) as one more case. Browser-safe.
 */
import type { TypedArray } from '../core/dtype.ts';
import { checkOptions } from '../core/options.ts';
import { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { take } from '../ops/shape.ts';
import { type Batch, batchCount, type KeyPair, shufflePermutation } from './batches.ts';
import type { ImageSplit } from './dataset.ts';

/** The options of {@link batches}: the batch size `B` (kept as a literal type), a key, `dropLast`. */
export interface BatchOptions<B extends number = number, Drop extends boolean = boolean> {
  /** Examples per batch (a positive integer). */
  readonly batchSize: B;
  /** Shuffle key; omit it to keep the order. Same key → same order (fold the epoch in for a new one). */
  readonly key?: KeyPair;
  /** Drop the final batch when it is smaller than `batchSize`. Default false (it is yielded). */
  readonly dropLast?: Drop;
}

/** @deprecated The same as {@link BatchOptions}; kept for code written against `batchTree`. */
export type TreeBatchOptions<B extends number, Drop extends boolean> = BatchOptions<B, Drop>;

/**
 * The type of one batch of a data tree: each tensor `[N, …rest]` becomes `[B, …rest]` with `B`
 * the batch size literal when the last partial batch is dropped (`number` otherwise, since the
 * last batch may be smaller); typed arrays stay typed arrays; an `ImageSplit` gives a {@link Batch}.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import type { data, Tensor } from 'typegrad';
 * type Train = { x: Tensor<[60000, 784]>; y: Tensor<[60000], 'i32'> };
 * const shape: data.BatchOf<Train, 128>['x']['shape'] = [128, 784];
 * assert.equal(shape[0], 128);
 * ```
 */
export type BatchOf<T, B extends number> =
  T extends Tensor<infer S, infer D>
    ? S extends readonly [unknown, ...infer R]
      ? Tensor<[B, ...R], D>
      : Tensor<number[], D>
    : T extends TypedArray
      ? T
      : T extends ImageSplit
        ? Batch
        : T extends readonly unknown[] | Record<string, unknown>
          ? { [K in keyof T]: BatchOf<T[K], B> }
          : T;

const isTypedArray = (v: unknown): v is TypedArray => ArrayBuffer.isView(v) && !(v instanceof DataView);

/** An `ImageSplit` by its fields (a plain object, so checked structurally). */
function isImageSplit(v: unknown): v is ImageSplit {
  if (v === null || typeof v !== 'object') return false;
  const s = v as Partial<ImageSplit>;
  return s.images instanceof Float32Array && s.labels instanceof Int32Array && Array.isArray(s.shape);
}

function checkImageSplit(split: ImageSplit, path: string): number {
  const { n, images, labels, shape } = split;
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  if (shape.length !== 4 || shape[0] !== n || images.length !== n * per || labels.length !== n) {
    throw new Error(
      `data.batches: split ${path || '(root)'} has n = ${n} and shape [${shape.join(', ')}] but ${images.length} pixels and ${labels.length} labels`,
    );
  }
  return n;
}

/** The example count of every leaf (tensor leading dim, typed array length, split n) with its path. */
function leafLengths(tree: unknown, path: string, out: [string, number][]): void {
  if (tree instanceof Tensor) {
    if (tree.ndim === 0)
      throw new Error(`data.batches: leaf ${path || '(root)'} is a scalar; it needs a leading example dim`);
    out.push([path, (tree.shape as readonly number[])[0]!]);
  } else if (isTypedArray(tree)) out.push([path, tree.length]);
  else if (isImageSplit(tree)) out.push([path, checkImageSplit(tree, path)]);
  else if (Array.isArray(tree)) for (const [i, v] of tree.entries()) leafLengths(v, `${path}[${i}]`, out);
  else if (tree !== null && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) leafLengths(v, path === '' ? k : `${path}.${k}`, out);
  }
}

/**
 * How many examples a data tree holds (the leading dim of its tensors, the length of its typed
 * arrays, the `n` of an `ImageSplit`); every leaf must agree, else an Error names the two leaves.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, tensor } from 'typegrad';
 * const set = { x: tensor([[1, 2], [3, 4], [5, 6]]), ids: new Int32Array([7, 8, 9]) };
 * assert.equal(data.exampleCount(set), 3);
 * ```
 */
export function exampleCount(tree: unknown): number {
  const lengths: [string, number][] = [];
  leafLengths(tree, '', lengths);
  if (lengths.length === 0) throw new Error('data.batches: the data has no tensors or typed arrays');
  const [first, n] = lengths[0]!;
  for (const [path, m] of lengths) {
    if (m !== n) {
      throw new Error(
        `data.batches: leaf ${path || '(root)'} has ${m} examples but ${first || '(root)'} has ${n}`,
      );
    }
  }
  return n;
}

function gatherValues<A extends TypedArray>(src: A, idx: Int32Array): A {
  const out = new (src.constructor as new (n: number) => A)(idx.length);
  for (let r = 0; r < idx.length; r++) out[r] = src[idx[r]!]!;
  return out;
}

// Its own loop (not gatherValues): monomorphic copies keep the hot image path as fast as before.
function gatherSplit(split: ImageSplit, idx: Int32Array): Batch {
  const [, c, h, w] = split.shape;
  const per = c * h * w;
  const { images, labels } = split;
  const x = new Float32Array(idx.length * per);
  const y = new Int32Array(idx.length);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r]!;
    y[r] = labels[i]!;
    x.set(images.subarray(i * per, (i + 1) * per), r * per);
  }
  return { x, xShape: [idx.length, c, h, w], y, indices: idx.slice() };
}

function gatherTree(tree: unknown, idx: Int32Array, idxTensor: () => Tensor): unknown {
  if (tree instanceof Tensor)
    return take(tree as Tensor, idxTensor() as Tensor<[number], 'i32'>, { axis: 0 });
  if (isTypedArray(tree)) return gatherValues(tree, idx);
  if (isImageSplit(tree)) return gatherSplit(tree, idx);
  if (Array.isArray(tree)) return tree.map((v) => gatherTree(v, idx, idxTensor));
  if (tree !== null && typeof tree === 'object') {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, gatherTree(v, idx, idxTensor)]));
  }
  return tree;
}

/**
 * Splits a data tree into batches along the leading example dim, in a key-determined shuffled
 * order when `key` is given (use a fresh key per epoch, e.g. `[epoch, seed]`). The tree may be
 * a record, a tuple or nested ones, with leaves:
 * - tensors `[N, …rest]` → `[B, …rest]` (gathered on their backend with `take`);
 * - 1-D typed arrays of length `N` → length `B` (gathered on the host);
 * - an `ImageSplit` → a {@link Batch} (`x` `[B, C, H, W]` as float32, `y`, and the `indices`).
 * Every example appears exactly once per pass; the final batch is partial unless `dropLast`.
 * With `dropLast: true` the batch dim has the literal type of `batchSize`. Each batch owns its
 * data (dispose tensor batches when done).
 *
 * @param tree the data; every leaf must hold the same number of examples `N`.
 * @param options `batchSize` (positive integer), `key` (shuffle), `dropLast` (default false).
 * @returns a generator of `ceil(N / B)` batches (`floor` with `dropLast`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, type Tensor, tensor } from 'typegrad';
 * const set = {
 *   x: tensor([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]),
 *   y: new Int32Array([0, 1, 2, 3, 4]),
 * };
 * const ordered = [...data.batches(set, { batchSize: 2 })];
 * assert.deepEqual(ordered.map((b) => [...b.y]), [[0, 1], [2, 3], [4]]);
 * for (const b of data.batches(set, { batchSize: 2, key: [0, 7], dropLast: true })) {
 *   const x: Tensor<[2, 2]> = b.x; // the literal batch size
 *   assert.deepEqual([...x.dataSync()].filter((_, i) => i % 2 === 0), [...b.y]); // rows stay together
 * }
 * ```
 */
export function batches<T, const B extends number, const Drop extends boolean = false>(
  tree: T,
  options: BatchOptions<B, Drop>,
): Generator<BatchOf<T, Drop extends true ? B : number>, void, undefined> {
  checkOptions('data.batches', options, ['batchSize', 'key', 'dropLast']);
  const { batchSize, key, dropLast = false } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`data.batches: batchSize must be a positive integer, got ${batchSize}`);
  }
  const n = exampleCount(tree);
  return generate(tree, n, batchSize, key, dropLast) as Generator<
    BatchOf<T, Drop extends true ? B : number>,
    void,
    undefined
  >;
}

// A separate generator so that bad arguments throw at the call, not at the first `next()`.
function* generate(
  tree: unknown,
  n: number,
  batchSize: number,
  key: KeyPair | undefined,
  dropLast: boolean,
): Generator<unknown, void, undefined> {
  const order = key === undefined ? null : shufflePermutation(n, key);
  const count = batchCount(n, batchSize, { dropLast });
  for (let b = 0; b < count; b++) {
    const start = b * batchSize;
    const size = Math.min(batchSize, n - start);
    const idx = new Int32Array(size);
    for (let r = 0; r < size; r++) idx[r] = order === null ? start + r : order[start + r]!;
    let uploaded: Tensor | undefined;
    const idxTensor = () => {
      uploaded ??= tensor(idx, [size], { dtype: 'i32' }) as Tensor;
      return uploaded;
    };
    const batch = gatherTree(tree, idx, idxTensor);
    uploaded?.dispose();
    yield batch;
  }
}

/**
 * @deprecated The same function as {@link batches} (which now takes any data tree).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.batchTree, data.batches);
 * ```
 */
export const batchTree: typeof batches = batches;
