/**
 * `train`: optional, composable helpers for training loops — metrics computed in batches,
 * `evaluate`, and `fit` (a loop with a progress line, callbacks and a history). Everything
 * here is built from public pieces and can be written by hand.
 */

export {
  checkpointEvery,
  type EarlyStoppingOptions,
  earlyStopping,
  hook,
} from './callbacks.ts';
export {
  accumulate,
  accumulators,
  disposeSums,
  type EvaluateOptions,
  evaluate,
  type MetricAccumulator,
  readMetrics,
} from './evaluate.ts';
export {
  type Callback,
  type EpochRecord,
  type FitEvaluation,
  type FitOptions,
  type FitResult,
  fit,
  type StepInfo,
  type StepResult,
} from './fit.ts';
export {
  accuracy,
  bitsPerChar,
  type Classified,
  crossEntropy,
  type Metric,
  meanOf,
  perplexity,
  topK,
} from './metrics.ts';
export {
  defaultSink,
  formatDuration,
  formatProgress,
  type ProgressMode,
  type ProgressSink,
  type ProgressSnapshot,
} from './progress.ts';
