/**
 * Batching over any pytree of examples: tensors with a leading example dim `[N, …]` and 1-D
 * typed arrays (one value per example, e.g. labels or ids kept on the host). Browser-safe.
 */
import type { TypedArray } from '../core/dtype.ts';
import { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { take } from '../ops/shape.ts';
import { type KeyPair, shufflePermutation } from './batches.ts';

export interface TreeBatchOptions<B extends number, Drop extends boolean> {
  /** Examples per batch (a positive integer). */
  readonly batchSize: B;
  /** Shuffle key; omit it to keep the order. Same key → same order (fold the epoch in for a new one). */
  readonly key?: KeyPair;
  /** Drop the final batch when it is smaller than `batchSize`. Default false (it is yielded). */
  readonly dropLast?: Drop;
}

/**
 * The type of one batch of a data tree: each tensor `[N, …rest]` becomes `[B, …rest]` with `B`
 * the batch size literal when the last partial batch is dropped (`number` otherwise, since the
 * last batch may be smaller); typed arrays stay typed arrays.
 */
export type BatchOf<T, B extends number> =
  T extends Tensor<infer S, infer D>
    ? S extends readonly [unknown, ...infer R]
      ? Tensor<[B, ...R], D>
      : Tensor<number[], D>
    : T extends TypedArray
      ? T
      : T extends readonly unknown[] | Record<string, unknown>
        ? { [K in keyof T]: BatchOf<T[K], B> }
        : T;

const isTypedArray = (v: unknown): v is TypedArray => ArrayBuffer.isView(v) && !(v instanceof DataView);

/** The example count of every leaf (tensor leading dim, typed array length) with its path. */
function leafLengths(tree: unknown, path: string, out: [string, number][]): void {
  if (tree instanceof Tensor) {
    if (tree.ndim === 0)
      throw new Error(`data.batchTree: leaf ${path || '(root)'} is a scalar; it needs a leading example dim`);
    out.push([path, (tree.shape as readonly number[])[0]!]);
  } else if (isTypedArray(tree)) out.push([path, tree.length]);
  else if (Array.isArray(tree)) for (const [i, v] of tree.entries()) leafLengths(v, `${path}[${i}]`, out);
  else if (tree !== null && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) leafLengths(v, path === '' ? k : `${path}.${k}`, out);
  }
}

/** How many examples a data tree holds; every leaf must agree. */
export function exampleCount(tree: unknown): number {
  const lengths: [string, number][] = [];
  leafLengths(tree, '', lengths);
  if (lengths.length === 0) throw new Error('data.batchTree: the data has no tensors or typed arrays');
  const [first, n] = lengths[0]!;
  for (const [path, m] of lengths) {
    if (m !== n) {
      throw new Error(
        `data.batchTree: leaf ${path || '(root)'} has ${m} examples but ${first || '(root)'} has ${n}`,
      );
    }
  }
  return n;
}

function gatherTree(tree: unknown, idx: Int32Array, idxTensor: () => Tensor): unknown {
  if (tree instanceof Tensor)
    return take(tree as Tensor, idxTensor() as Tensor<[number], 'i32'>, { axis: 0 });
  if (isTypedArray(tree)) {
    const out = new (tree.constructor as new (n: number) => TypedArray)(idx.length);
    for (let r = 0; r < idx.length; r++) out[r] = tree[idx[r]!]!;
    return out;
  }
  if (Array.isArray(tree)) return tree.map((v) => gatherTree(v, idx, idxTensor));
  if (tree !== null && typeof tree === 'object') {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, gatherTree(v, idx, idxTensor)]));
  }
  return tree;
}

/**
 * Splits a data tree (`{ x: Tensor<[N, 784]>, y: Tensor<[N]> }`, tuples, nested records…) into
 * batches along the leading example dim, in a key-determined shuffled order when `key` is given.
 * Every example appears exactly once per pass; the final batch is partial unless `dropLast`.
 * Tensors are gathered on their backend; typed arrays on the host.
 *
 * @example
 * const train = { x: tensor(images, [60000, 784]), y: tensor(labels, [60000], { dtype: 'i32' }) };
 * for (const { x, y } of data.batchTree(train, { batchSize: 128, key: [epoch, 7], dropLast: true })) {
 *   // x: Tensor<[128, 784], 'f32'>, y: Tensor<[128], 'i32'>
 * }
 */
export function* batchTree<T, const B extends number, const Drop extends boolean = false>(
  tree: T,
  options: TreeBatchOptions<B, Drop>,
): Generator<BatchOf<T, Drop extends true ? B : number>, void, undefined> {
  const { batchSize, key, dropLast = false } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`data.batchTree: batchSize must be a positive integer, got ${batchSize}`);
  }
  const n = exampleCount(tree);
  const order = key === undefined ? null : shufflePermutation(n, key);
  const count = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
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
    yield batch as BatchOf<T, Drop extends true ? B : number>;
  }
}
