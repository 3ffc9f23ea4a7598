/**
 * Optimizers as pure state updates (optax's design). Each is an object
 *
 *   init(params) -> state
 *   update(grads, state, params?) -> [updates, state]
 *
 * generic over the parameter pytree P (records, arrays, tuples of tensors): updates have P's
 * type and are applied with `applyUpdates(params, updates)` (params + updates). The state
 * holds a step count t (i32 scalar, 0 before the first update) that learning-rate schedules
 * read: update k uses lr(k).
 */
import type { DType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { zeros } from '../ops/creation.ts';
import { add, cast, div, mul, neg, pow, sqrt, square, sub } from '../ops/elementwise.ts';
import type { Count, LearningRate } from './schedules.ts';
import { learningRateAt } from './schedules.ts';
import { leavesOf, mapTree } from './tree.ts';

type T = Tensor;
const zerosLike = (x: T): T => zeros(x.shape as readonly number[], { dtype: x.dtype as DType });
const newCount = (): Count => zeros([], { dtype: 'i32' }) as Count;
const next = (count: Count): Count => add(count, 1) as Count;

export interface SgdState {
  readonly count: Count;
}
export interface MomentumState<P> {
  readonly count: Count;
  readonly trace: P;
}
export interface AdamState<P> {
  readonly count: Count;
  /** first moment m */
  readonly mu: P;
  /** second moment v */
  readonly nu: P;
}
export interface RmspropState<P> {
  readonly count: Count;
  /** running mean of squared gradients v */
  readonly nu: P;
  /** momentum buffer (zeros and unused when momentum is 0) */
  readonly mom: P;
}

/** The state of each optimizer for params P (a type-level table, so `Optimizer` stays generic in P). */
export interface StateOf<P> {
  sgd: SgdState;
  momentum: MomentumState<P>;
  adam: AdamState<P>;
  adamw: AdamState<P>;
  rmsprop: RmspropState<P>;
}
export type OptimizerName = keyof StateOf<unknown>;

export interface Optimizer<K extends OptimizerName = OptimizerName> {
  readonly name: K;
  init<P>(params: P): StateOf<P>[K];
  update<P>(grads: P, state: StateOf<P>[K], params?: P): [P, StateOf<P>[K]];
}

function checkLr(op: string, lr: LearningRate): void {
  if (typeof lr === 'number' && !(lr >= 0))
    throw new Error(`optim.${op}: learning rate must be >= 0, got ${lr}`);
}
function inUnit(op: string, name: string, v: number): void {
  if (!(v >= 0 && v < 1)) throw new Error(`optim.${op}: ${name} must be in [0, 1), got ${v}`);
}

/** `u = -lr · g`, scaled by a lr that may be a tensor (a schedule's value). */
const scaleBy = (lr: Tensor | number, x: T): T => neg(mul(x, lr as T));

/** Plain SGD: `u = -lr · g`. */
export function sgd(lr: LearningRate): Optimizer<'sgd'> {
  checkLr('sgd', lr);
  return {
    name: 'sgd',
    init: () => ({ count: newCount() }),
    update: (grads, state) => {
      const a = learningRateAt(lr, state.count);
      return [mapTree((g) => scaleBy(a, g), grads), { count: next(state.count) }];
    },
  };
}

export interface MomentumOptions {
  /** momentum μ (default 0.9) */
  readonly beta?: number;
  /** Nesterov's accelerated gradient (default false) */
  readonly nesterov?: boolean;
}

/**
 * SGD with momentum, in PyTorch's form with `dampening = 0` (Sutskever et al. 2013):
 * `b = μ·b + g` (b starts at 0, so the first b is g); `u = -lr·b`, or with Nesterov
 * `u = -lr·(g + μ·b)`. optax's `sgd(momentum, nesterov)` is the same; the older form
 * `v = μ·v - lr·g` differs from it only when lr changes over time.
 */
export function momentum(lr: LearningRate, opts: MomentumOptions = {}): Optimizer<'momentum'> {
  checkLr('momentum', lr);
  checkOptions('optim.momentum', opts, optionKeys<MomentumOptions>({ beta: true, nesterov: true }));
  const beta = opts.beta ?? 0.9;
  inUnit('momentum', 'beta', beta);
  const nesterov = opts.nesterov ?? false;
  return {
    name: 'momentum',
    init: (params) => ({ count: newCount(), trace: mapTree(zerosLike, params) }),
    update: (grads, state) => {
      const a = learningRateAt(lr, state.count);
      const trace = mapTree((g, b) => add(mul(b, beta), g), grads, state.trace);
      const updates = mapTree((g, b) => scaleBy(a, nesterov ? add(g, mul(b, beta)) : b), grads, trace);
      return [updates, { count: next(state.count), trace }];
    },
  };
}

export interface AdamOptions {
  /** decay of the first moment (default 0.9) */
  readonly b1?: number;
  /** decay of the second moment (default 0.999) */
  readonly b2?: number;
  /** added to sqrt(v̂) (default 1e-8) */
  readonly eps?: number;
}

function adamCore(op: 'adam' | 'adamw', lr: LearningRate, opts: AdamOptions, weightDecay: number) {
  checkLr(op, lr);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  const eps = opts.eps ?? 1e-8;
  inUnit(op, 'b1', b1);
  inUnit(op, 'b2', b2);
  if (!(eps >= 0)) throw new Error(`optim.${op}: eps must be >= 0, got ${eps}`);
  return {
    init: <P>(params: P): AdamState<P> => ({
      count: newCount(),
      mu: mapTree(zerosLike, params),
      nu: mapTree(zerosLike, params),
    }),
    update: <P>(grads: P, state: AdamState<P>, params?: P): [P, AdamState<P>] => {
      if (weightDecay !== 0 && params === undefined)
        throw new Error(`optim.${op}: update(grads, state, params) needs the params for weight decay`);
      const a = learningRateAt(lr, state.count);
      const count = next(state.count);
      // 1 / (1 - b^t), the bias corrections (in f64 when the gradients are: 1 - 0.999 loses
      // five digits in f32)
      const t = cast(count, leavesOf(grads).some((g) => g.dtype === 'f64') ? 'f64' : 'f32');
      const c1 = div(1, sub(1, pow(b1, t)));
      const c2 = div(1, sub(1, pow(b2, t)));
      const mu = mapTree((g, m) => add(mul(m, b1), mul(g, 1 - b1)), grads, state.mu);
      const nu = mapTree((g, v) => add(mul(v, b2), mul(square(g), 1 - b2)), grads, state.nu);
      const step = (m: T, v: T) => div(mul(m, c1), add(sqrt(mul(v, c2)), eps));
      const updates =
        weightDecay === 0
          ? mapTree((m, v) => scaleBy(a, step(m, v)), mu, nu)
          : mapTree((m, v, p) => scaleBy(a, add(step(m, v), mul(p, weightDecay))), mu, nu, params as P);
      return [updates, { count, mu, nu }];
    },
  };
}

/**
 * Adam (Kingma & Ba 2015), as PyTorch and optax compute it:
 * `m = b1·m + (1-b1)·g; v = b2·v + (1-b2)·g²; m̂ = m / (1-b1^t); v̂ = v / (1-b2^t);
 * u = -lr · m̂ / (sqrt(v̂) + eps)` with t = 1 at the first update. eps is outside the square
 * root and added after bias correction (TensorFlow/Keras instead use
 * `lr·sqrt(1-b2^t)/(1-b1^t) · m / (sqrt(v) + ε̂)`, the paper's "efficient" form, whose ε̂ acts
 * before bias correction; optax's `eps_root` would put a term inside the root).
 */
export function adam(lr: LearningRate, opts: AdamOptions = {}): Optimizer<'adam'> {
  checkOptions('optim.adam', opts, optionKeys<AdamOptions>({ b1: true, b2: true, eps: true }));
  return { name: 'adam', ...adamCore('adam', lr, opts, 0) };
}

export interface AdamWOptions extends AdamOptions {
  /** decoupled weight decay λ (default 0.01, PyTorch's default; optax's is 1e-4) */
  readonly weightDecay?: number;
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam plus decoupled weight decay,
 * `u = -lr · (m̂ / (sqrt(v̂) + eps) + λ·param)`, i.e. `param ← param - lr·λ·param - lr·adam`,
 * exactly PyTorch's `AdamW` (decay scaled by lr, including a scheduled lr) and optax's
 * `adamw`. Needs `params` in `update`. The decay is not part of the gradient, so the moments
 * never see it (unlike Adam with L2 regularisation).
 */
export function adamw(lr: LearningRate, opts: AdamWOptions = {}): Optimizer<'adamw'> {
  checkOptions(
    'optim.adamw',
    opts,
    optionKeys<AdamWOptions>({ b1: true, b2: true, eps: true, weightDecay: true }),
  );
  const wd = opts.weightDecay ?? 0.01;
  if (!(wd >= 0)) throw new Error(`optim.adamw: weightDecay must be >= 0, got ${wd}`);
  return { name: 'adamw', ...adamCore('adamw', lr, opts, wd) };
}

export interface RmspropOptions {
  /** decay α of the running mean of g² (default 0.99, PyTorch's `alpha`; Keras's rho is 0.9) */
  readonly decay?: number;
  /** added to sqrt(v) (default 1e-8) */
  readonly eps?: number;
  /** momentum μ (default 0) */
  readonly momentum?: number;
}

/**
 * RMSprop (Tieleman & Hinton 2012), PyTorch's form: `v = α·v + (1-α)·g²`; without momentum
 * `u = -lr · g / (sqrt(v) + eps)`; with momentum `b = μ·b + g / (sqrt(v) + eps); u = -lr·b`.
 * eps is outside the square root as in PyTorch and Keras (optax's `rmsprop` puts it inside:
 * `g / sqrt(v + eps)`); v starts at 0 with no bias correction (PyTorch; optax's
 * `initial_scale` would start it elsewhere).
 */
export function rmsprop(lr: LearningRate, opts: RmspropOptions = {}): Optimizer<'rmsprop'> {
  checkLr('rmsprop', lr);
  checkOptions('optim.rmsprop', opts, optionKeys<RmspropOptions>({ decay: true, eps: true, momentum: true }));
  const decay = opts.decay ?? 0.99;
  const eps = opts.eps ?? 1e-8;
  const mu = opts.momentum ?? 0;
  inUnit('rmsprop', 'decay', decay);
  inUnit('rmsprop', 'momentum', mu);
  return {
    name: 'rmsprop',
    init: (params) => ({
      count: newCount(),
      nu: mapTree(zerosLike, params),
      mom: mapTree(zerosLike, params),
    }),
    update: (grads, state) => {
      const a = learningRateAt(lr, state.count);
      const nu = mapTree((g, v) => add(mul(v, decay), mul(square(g), 1 - decay)), grads, state.nu);
      const scaled = mapTree((g, v) => div(g, add(sqrt(v), eps)), grads, nu);
      const mom = mu === 0 ? state.mom : mapTree((s, b) => add(mul(b, mu), s), scaled, state.mom);
      const updates = mapTree((s) => scaleBy(a, s), mu === 0 ? scaled : mom);
      return [updates, { count: next(state.count), nu, mom }];
    },
  };
}

/** params + updates, leaf by leaf (same tree type). */
export function applyUpdates<P>(params: P, updates: NoInfer<P>): P {
  return mapTree((p, u) => add(p, u), params, updates);
}
