/**
 * Sequence batches for language models: contiguous BPTT windows over one token stream, and
 * padding with a mask for variable-length sequences. Browser-safe.
 */
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';

/**
 * The options of `data.bpttWindows`: the stream count `B` (kept as a literal type), the window
 * length and `dropLast`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const opts: data.BpttOptions<4> = { batchSize: 4, seqLen: 8 };
 * assert.equal(data.bpttWindowCount(100, opts), 3);
 * ```
 */
export interface BpttOptions<B extends number> {
  /** Parallel streams (the batch dim `B`). */
  readonly batchSize: B;
  /** Time steps per window (the last window may be shorter). */
  readonly seqLen: number;
  /** Drop the final window when it is shorter than `seqLen`. Default false. */
  readonly dropLast?: boolean;
}

/**
 * A BPTT window, time-major: `y[t, b]` is the token after `x[t, b]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const [w]: data.BpttWindow<1>[] = [...data.bpttWindows([1, 2, 3], { batchSize: 1, seqLen: 5 })];
 * assert.deepEqual([w!.x.toArray(), w!.y.toArray()], [[[1], [2]], [[2], [3]]]);
 * ```
 */
export interface BpttWindow<B extends number> {
  /** Inputs `[T, B]`: column b continues column b of the previous window. */
  readonly x: Tensor<[number, B], 'i32'>;
  /** Targets `[T, B]`: the tokens one step after `x`. */
  readonly y: Tensor<[number, B], 'i32'>;
}

function positiveInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`data.${op}: ${name} must be a positive integer, got ${v}`);
}

/**
 * How many windows {@link bpttWindows} yields.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.bpttWindowCount(1000, { batchSize: 10, seqLen: 35 }), 3); // 99 inputs per column
 * assert.equal(data.bpttWindowCount(1000, { batchSize: 10, seqLen: 35, dropLast: true }), 2);
 * ```
 */
export function bpttWindowCount(tokens: number, options: BpttOptions<number>): number {
  const steps = Math.floor(tokens / options.batchSize) - 1; // inputs per stream (the last token is only a target)
  if (steps < 1) return 0;
  return options.dropLast ? Math.floor(steps / options.seqLen) : Math.ceil(steps / options.seqLen);
}

/**
 * Contiguous windows for truncated backprop through time (as PyTorch's word_language_model):
 * the stream is cut into `batchSize` equal columns (the tail that does not fill a column is
 * dropped), column b holding tokens `[b·L, (b+1)·L)`; window k is rows `[k·T, k·T + T)` of the
 * columns as `x [T, B]` and the same rows shifted by one as `y`. Carry the recurrent state
 * from one window to the next: column b of window k+1 continues column b of window k.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, type Tensor } from 'typegrad';
 * const ids = Int32Array.from({ length: 10 }, (_, i) => i);
 * const windows = [...data.bpttWindows(ids, { batchSize: 2, seqLen: 2 })];
 * // columns [0..4] and [5..9]; window 0 is rows 0-1, time-major
 * const x: Tensor<[number, 2], 'i32'> = windows[0]!.x;
 * assert.deepEqual(x.toArray(), [[0, 5], [1, 6]]);
 * assert.deepEqual(windows[0]!.y.toArray(), [[1, 6], [2, 7]]); // the next tokens
 * assert.equal(windows.length, data.bpttWindowCount(10, { batchSize: 2, seqLen: 2 }));
 * ```
 */
export function* bpttWindows<const B extends number>(
  tokens: ArrayLike<number>,
  options: BpttOptions<B>,
): Generator<BpttWindow<B>, void, undefined> {
  const { batchSize, seqLen, dropLast = false } = options;
  positiveInt('bpttWindows', 'batchSize', batchSize);
  positiveInt('bpttWindows', 'seqLen', seqLen);
  const column = Math.floor(tokens.length / batchSize);
  if (column < 2) {
    throw new Error(
      `data.bpttWindows: ${tokens.length} tokens give columns of ${column} for batchSize ${batchSize}; need at least 2 tokens per column`,
    );
  }
  const count = bpttWindowCount(tokens.length, { batchSize, seqLen, dropLast });
  for (let k = 0; k < count; k++) {
    const start = k * seqLen;
    const t = Math.min(seqLen, column - 1 - start);
    const x = new Int32Array(t * batchSize);
    const y = new Int32Array(t * batchSize);
    for (let s = 0; s < t; s++) {
      for (let b = 0; b < batchSize; b++) {
        const at = b * column + start + s;
        x[s * batchSize + b] = tokens[at]!;
        y[s * batchSize + b] = tokens[at + 1]!;
      }
    }
    yield {
      x: tensor(x, [t, batchSize], { dtype: 'i32' }) as never,
      y: tensor(y, [t, batchSize], { dtype: 'i32' }) as never,
    };
  }
}

/**
 * The options of `data.padSequences`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const opts: data.PadOptions = { maxLen: 2, padId: -1, timeMajor: true };
 * assert.deepEqual(data.padSequences([[1, 2, 3], [4]], opts).ids.toArray(), [[1, 4], [2, -1]]);
 * ```
 */
export interface PadOptions {
  /** Length to pad or truncate to. Default: the longest sequence. */
  readonly maxLen?: number;
  /** The id written in padded positions. Default 0 (`<pad>`). */
  readonly padId?: number;
  /** `[T, B]` instead of `[B, T]`. Default false. */
  readonly timeMajor?: boolean;
}

/**
 * Padded ids, a mask (1 at real tokens, 0 at padding) and each sequence's kept length.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const batch: data.PaddedBatch = data.padSequences([[1], [2, 3]], { maxLen: 1 });
 * assert.deepEqual([...batch.lengths], [1, 1]); // truncated to maxLen
 * ```
 */
export interface PaddedBatch {
  /** Token ids `[B, T]` (`[T, B]` with `timeMajor`), padded with `padId`. */
  readonly ids: Tensor<[number, number], 'i32'>;
  /** 1 at real tokens, 0 at padding, in the shape of `ids`. */
  readonly mask: Tensor<[number, number], 'f32'>;
  /** Each sequence's length after truncation to `maxLen`. */
  readonly lengths: Int32Array;
}

/**
 * Pads variable-length sequences into one `[B, T]` batch (or `[T, B]` with `timeMajor`), at the
 * end, truncating any longer than `maxLen`; `mask` marks the real tokens so losses and metrics
 * can ignore the padding (`sum(loss · mask) / sum(mask)`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const { ids, mask, lengths } = data.padSequences([[5, 6, 7], [8]]);
 * assert.deepEqual(ids.toArray(), [[5, 6, 7], [8, 0, 0]]);
 * assert.deepEqual(mask.toArray(), [[1, 1, 1], [1, 0, 0]]);
 * assert.deepEqual([...lengths], [3, 1]);
 * ```
 */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadOptions = {}): PaddedBatch {
  const { padId = 0, timeMajor = false } = options;
  if (sequences.length === 0) throw new Error('data.padSequences: give at least one sequence');
  const longest = Math.max(...sequences.map((s) => s.length));
  const maxLen = options.maxLen ?? longest;
  positiveInt('padSequences', 'maxLen', maxLen);
  const batch = sequences.length;
  const ids = new Int32Array(batch * maxLen).fill(padId);
  const mask = new Float32Array(batch * maxLen);
  const lengths = new Int32Array(batch);
  const at = (b: number, t: number) => (timeMajor ? t * batch + b : b * maxLen + t);
  sequences.forEach((seq, b) => {
    const len = Math.min(seq.length, maxLen);
    lengths[b] = len;
    for (let t = 0; t < len; t++) {
      const id = seq[t]!;
      if (!Number.isInteger(id))
        throw new Error(`data.padSequences: sequence ${b} has a non-integer id ${id} at ${t}`);
      ids[at(b, t)] = id;
      mask[at(b, t)] = 1;
    }
  });
  const shape = timeMajor ? [maxLen, batch] : [batch, maxLen];
  return {
    ids: tensor(ids, shape, { dtype: 'i32' }) as never,
    mask: tensor(mask, shape) as never,
    lengths,
  };
}
