/**
 * Optimizers as pure state updates, gradient clipping and learning-rate schedules.
 *
 *   const opt = optim.adam(1e-3);
 *   let state = opt.init(params);
 *   const [updates, next] = opt.update(grads, state, params);
 *   params = optim.applyUpdates(params, updates);
 */
export { clipByGlobalNorm, globalNorm } from './clip.ts';
export type {
  ChainState,
  GradientTransform,
  Labeler,
  MultiTransformState,
  ScheduleState,
  TransformState,
} from './combinators.ts';
export {
  addDecayedWeights,
  chain,
  identity,
  masked,
  multiTransform,
  scaleBySchedule,
  setToZero,
} from './combinators.ts';
export type {
  AdamOptions,
  AdamState,
  AdamWOptions,
  MomentumOptions,
  MomentumState,
  Optimizer,
  OptimizerName,
  RmspropOptions,
  RmspropState,
  SgdOptions,
  SgdState,
  StateOf,
} from './optimizers.ts';
export { adam, adamw, applyUpdates, momentum, rmsprop, sgd } from './optimizers.ts';
export type { Count, LearningRate, Schedule } from './schedules.ts';
export {
  constant,
  cosineDecay,
  exponentialDecay,
  learningRateAt,
  scheduleValue,
  stepDecay,
  warmupCosine,
} from './schedules.ts';
export { mapTree } from './tree.ts';
