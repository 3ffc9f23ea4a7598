/** Ready-made callbacks for `train.fit`: checkpoints, early stopping, a user hook. */
import type { Callback, EpochRecord, StepInfo } from './fit.ts';

/**
 * Calls `save(params, state, globalStep)` every `n` steps (e.g. with `io`'s checkpoint writer);
 * the step waits for a returned promise.
 *
 * @example
 * train.checkpointEvery(500, (p, _s, k) => saveParamsFile(`ckpt-${k}.safetensors`, p));
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
 * train.earlyStopping({ metric: 'eval.loss', patience: 2 });
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
 * train.hook({ onEpochEnd: (r) => console.log(r.epoch, r.train.loss) });
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
