/**
 * Learning-rate schedules: functions of the optimizer's step count (an i32 scalar kept in
 * its state, 0 for the first update) to a learning rate. They are built from tensor ops, so
 * they also work inside `jit`. Any `number` works as a constant learning rate.
 */

import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import { add, cast, cos, div, less, minimum, mul, pow, sub, where } from '../ops/elementwise.ts';

/**
 * The step count an optimizer keeps in its state (an i32 scalar), which schedules read.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, optim, random } from 'typegrad';
 * const state = optim.adam(1e-3).init(nn.dense.init(random.key(0), { in: 2, out: 1 }));
 * const count: optim.Count = state.count;
 * assert.equal(count.item(), 0);
 * ```
 */
export type Count = Tensor<[], 'i32'>;
/** A learning rate as a function of the step count. */
export type Schedule = (count: Count) => Tensor<[], 'f32'> | number;
/** A learning rate: a constant or a schedule. */
export type LearningRate = number | Schedule;

type F = Tensor<[], 'f32'>;
const f32 = (count: Count): F => cast(count, 'f32');
const floor = (x: F): F => cast(cast(x, 'i32'), 'f32'); // x >= 0 here

/**
 * The learning rate at a count (a number or an f32 scalar).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * assert.equal(optim.learningRateAt(0.1, tensor(5, { dtype: 'i32' })), 0.1);
 * const lr = optim.learningRateAt(optim.stepDecay(1, { stepSize: 2 }), tensor(5, { dtype: 'i32' }));
 * assert.ok(typeof lr !== 'number' && Math.abs(lr.item() - 0.01) < 1e-7);
 * ```
 */
export function learningRateAt(lr: LearningRate, count: Count): Tensor<[], 'f32'> | number {
  return typeof lr === 'number' ? lr : lr(count);
}

/**
 * The value of a learning rate at step `step`, as a JS number (for plots and tests).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * const lr = optim.exponentialDecay(1, { decaySteps: 10, decayRate: 0.5 });
 * assert.ok(Math.abs(optim.scheduleValue(lr, 20) - 0.25) < 1e-6);
 * ```
 */
export function scheduleValue(lr: LearningRate, step: number): number {
  if (typeof lr === 'number') return lr;
  const v = lr(tensor(new Int32Array([step]), []) as Count);
  return typeof v === 'number' ? v : v.item();
}

const positive = (op: string, name: string, v: number) => {
  if (!(v > 0)) throw new Error(`optim.${op}: ${name} must be positive, got ${v}`);
};

/**
 * lr(t) = value.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * assert.equal(optim.scheduleValue(optim.constant(3e-4), 1000), 3e-4);
 * ```
 */
export function constant(value: number): Schedule {
  return () => value;
}

/**
 * lr(t) = init · rate^(t / decaySteps), or rate^floor(t / decaySteps) with `staircase`
 * (optax's `exponential_decay`, TF's `ExponentialDecay`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * const smooth = optim.exponentialDecay(1, { decaySteps: 10, decayRate: 0.5 });
 * const stairs = optim.exponentialDecay(1, { decaySteps: 10, decayRate: 0.5, staircase: true });
 * assert.ok(Math.abs(optim.scheduleValue(smooth, 5) - Math.SQRT1_2) < 1e-6);
 * assert.equal(optim.scheduleValue(stairs, 5), 1);
 * ```
 */
export function exponentialDecay(
  init: number,
  opts: { readonly decaySteps: number; readonly decayRate: number; readonly staircase?: boolean },
): Schedule {
  checkOptions('optim.exponentialDecay', opts, ['decaySteps', 'decayRate', 'staircase']);
  positive('exponentialDecay', 'decaySteps', opts.decaySteps);
  return (count) => {
    let p = div(f32(count), opts.decaySteps) as F;
    if (opts.staircase) p = floor(p);
    return mul(pow(opts.decayRate, p), init) as F;
  };
}

/**
 * lr(t) = init · ((1 - alpha) · (1 + cos(π · min(t, decaySteps) / decaySteps)) / 2 + alpha)
 * (Loshchilov & Hutter 2017 without restarts; optax's `cosine_decay_schedule`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * const lr = optim.cosineDecay(1, 100, { alpha: 0.1 });
 * assert.equal(optim.scheduleValue(lr, 0), 1);
 * assert.ok(Math.abs(optim.scheduleValue(lr, 50) - 0.55) < 1e-6);
 * assert.ok(Math.abs(optim.scheduleValue(lr, 200) - 0.1) < 1e-6);
 * ```
 */
export function cosineDecay(
  init: number,
  decaySteps: number,
  opts: { readonly alpha?: number } = {},
): Schedule {
  checkOptions('optim.cosineDecay', opts, ['alpha']);
  positive('cosineDecay', 'decaySteps', decaySteps);
  const alpha = opts.alpha ?? 0;
  return (count) => {
    const s = div(minimum(f32(count), decaySteps), decaySteps);
    const c = mul(add(cos(mul(s, Math.PI)), 1), 0.5);
    return mul(add(mul(c, 1 - alpha), alpha), init) as F;
  };
}

/**
 * Linear warm-up from `init` to `peak` over `warmupSteps`, then cosine decay from `peak` to
 * `end` until `decaySteps` (counted from step 0, warm-up included), as optax's
 * `warmup_cosine_decay_schedule`:
 * t < W: init + (peak - init) · t / W; else end + (peak - end) · (1 + cos(π · min(t - W, N - W) / (N - W))) / 2.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * const lr = optim.warmupCosine({ peak: 1e-3, warmupSteps: 100, decaySteps: 1000 });
 * assert.ok(Math.abs(optim.scheduleValue(lr, 50) - 5e-4) < 1e-9);
 * assert.ok(Math.abs(optim.scheduleValue(lr, 100) - 1e-3) < 1e-9);
 * assert.ok(optim.scheduleValue(lr, 1000) < 1e-9);
 * ```
 */
export function warmupCosine(opts: {
  readonly peak: number;
  readonly warmupSteps: number;
  readonly decaySteps: number;
  readonly init?: number;
  readonly end?: number;
}): Schedule {
  checkOptions('optim.warmupCosine', opts, ['peak', 'warmupSteps', 'decaySteps', 'init', 'end']);
  const { peak, warmupSteps: w, decaySteps: n } = opts;
  const init = opts.init ?? 0;
  const end = opts.end ?? 0;
  if (!(w >= 0 && n > w))
    throw new Error(`optim.warmupCosine: need 0 <= warmupSteps < decaySteps, got ${w}, ${n}`);
  return (count) => {
    const t = f32(count);
    const warm = add(mul(div(t, Math.max(w, 1)), peak - init), init);
    const s = div(minimum(sub(t, w), n - w), n - w);
    const decay = add(mul(mul(add(cos(mul(s, Math.PI)), 1), 0.5), peak - end), end);
    return where(less(t, w), warm, decay) as F;
  };
}

/**
 * lr(t) = init · gamma^floor(t / stepSize) (PyTorch's `StepLR`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * const lr = optim.stepDecay(0.1, { stepSize: 30, gamma: 0.5 });
 * assert.deepEqual([0, 29, 30, 60].map((t) => optim.scheduleValue(lr, t).toFixed(3)), ['0.100', '0.100', '0.050', '0.025']);
 * ```
 */
export function stepDecay(
  init: number,
  opts: { readonly stepSize: number; readonly gamma?: number },
): Schedule {
  checkOptions('optim.stepDecay', opts, ['stepSize', 'gamma']);
  positive('stepDecay', 'stepSize', opts.stepSize);
  const gamma = opts.gamma ?? 0.1;
  return (count) => mul(pow(gamma, floor(div(f32(count), opts.stepSize) as F)), init) as F;
}
