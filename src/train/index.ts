/**
 * `train`: optional, composable helpers for training loops — metrics computed in batches,
 * `evaluate`, and `fit` (a loop with a progress line, callbacks and a history). Everything
 * here is built from public pieces and can be written by hand.
 */
export {
  accumulate,
  accumulators,
  type EvaluateOptions,
  evaluate,
  type MetricAccumulator,
  readMetrics,
} from './evaluate.ts';
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
