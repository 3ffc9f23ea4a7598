/** Ready-made callbacks for `train.fit`: checkpoints, early stopping, a user hook. */
import type { Callback, EpochRecord, StepInfo } from './fit.ts';

/**
 * Calls `save(params, state, globalStep)` every `n` steps (e.g. `saveParams` from
 * `typegrad/node`, or `(p) => writeParamsFile(path, p)()` to get the error as a value); the
 * step waits for a returned promise.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const saved: number[] = [];
 * const result = await train.fit({
 *   params: 0,
 *   state: 0,
 *   step: (p: number, s: number) => ({ params: p + 1, state: s, loss: 0 }),
 *   batches: () => [1, 2, 3, 4, 5],
 *   epochs: 1,
 *   examplesIn: () => 1,
 *   progress: 'silent',
 *   // in a real loop: (p, _s, k) => saveParams(`ckpt-${k}.safetensors`, p) from 'typegrad/node'
 *   callbacks: [train.checkpointEvery(2, (_p, _s, k) => saved.push(k))],
 * });
 * assert.deepEqual(saved, [2, 4]);
 * assert.equal(result.params, 5);
 * ```
 */
export function checkpointEvery<P, S>(
  n: number,
  save: (params: P, state: S, globalStep: number) => unknown,
): Callback<P, S> {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`train.checkpointEvery: n must be a positive integer, got ${n}`);
  return {
    async onStep(info) {
      if (info.globalStep % n === 0) await save(info.params, info.state, info.globalStep);
      return undefined;
    },
  };
}

/**
 * The options of `train.earlyStopping`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const opts: train.EarlyStoppingOptions = { metric: 'eval.accuracy', mode: 'max', patience: 2, minDelta: 0.001 };
 * assert.equal(typeof train.earlyStopping(opts).onEpochEnd, 'function');
 * ```
 */
export interface EarlyStoppingOptions {
  /** `'train.loss'`, `'eval.accuracy'`, … (a key of the epoch record's `train` or `eval`). */
  readonly metric: string;
  /** Whether smaller (`'min'`, default) or larger (`'max'`) is better. */
  readonly mode?: 'min' | 'max';
  /** Epochs without improvement before stopping (default 0: stop at the first one). */
  readonly patience?: number;
  /** The least change that counts as an improvement (default 0). */
  readonly minDelta?: number;
}

function metricOf(record: EpochRecord, metric: string): number {
  const [group, name] = metric.split('.', 2) as [string, string | undefined];
  const table = group === 'train' ? record.train : group === 'eval' ? record.eval : undefined;
  const v = name === undefined ? undefined : table?.[name];
  if (v === undefined) {
    const have = [
      ...Object.keys(record.train).map((k) => `train.${k}`),
      ...Object.keys(record.eval ?? {}).map((k) => `eval.${k}`),
    ];
    throw new Error(
      `train.earlyStopping: no metric ${JSON.stringify(metric)} in the epoch record (have ${have.join(', ')})`,
    );
  }
  return v;
}

/**
 * Stops training when `metric` has not improved for `patience` epochs.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const losses = [3, 2, 2.5, 2.6, 1];
 * const { history, stopped } = await train.fit({
 *   params: 0,
 *   state: 0,
 *   step: (p, s, b: number) => ({ params: p, state: s, loss: losses[b]! }),
 *   batches: (e) => [e],
 *   epochs: 5,
 *   examplesIn: () => 1,
 *   progress: 'silent',
 *   callbacks: [train.earlyStopping({ metric: 'train.loss', patience: 1 })],
 * });
 * assert.equal(stopped, true);
 * assert.equal(history.length, 4); // epochs 3 and 4 did not beat epoch 2
 * ```
 */
export function earlyStopping<P, S>(options: EarlyStoppingOptions): Callback<P, S> {
  const { metric, mode = 'min', patience = 0, minDelta = 0 } = options;
  if (!Number.isInteger(patience) || patience < 0) {
    throw new Error(`train.earlyStopping: patience must be a non-negative integer, got ${patience}`);
  }
  let best = mode === 'min' ? Infinity : -Infinity;
  let waited = 0;
  return {
    onEpochEnd(record) {
      const v = metricOf(record, metric);
      const improved = mode === 'min' ? v < best - minDelta : v > best + minDelta;
      if (improved) {
        best = v;
        waited = 0;
        return undefined;
      }
      waited++;
      return waited > patience ? 'stop' : undefined;
    },
  };
}

/**
 * A callback from plain functions (a user hook).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const seen: number[] = [];
 * await train.fit({
 *   params: 0,
 *   state: 0,
 *   step: (p, s) => ({ params: p, state: s, loss: 1 }),
 *   batches: () => [0, 1],
 *   epochs: 3,
 *   examplesIn: () => 1,
 *   progress: 'silent',
 *   callbacks: [train.hook({ onEpochEnd: (r) => void seen.push(r.epoch) })],
 * });
 * assert.deepEqual(seen, [1, 2, 3]);
 * ```
 */
export function hook<P, S>(handlers: {
  readonly onStep?: (info: StepInfo<P, S>) => unknown;
  readonly onEpochEnd?: (record: EpochRecord, info: StepInfo<P, S>) => unknown;
}): Callback<P, S> {
  return {
    async onStep(info) {
      return (await handlers.onStep?.(info)) === 'stop' ? 'stop' : undefined;
    },
    async onEpochEnd(record, info) {
      return (await handlers.onEpochEnd?.(record, info)) === 'stop' ? 'stop' : undefined;
    },
  };
}
