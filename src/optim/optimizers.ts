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
import {
  add,
  cast,
  div,
  equal,
  maximum,
  mul,
  neg,
  pow,
  sqrt,
  square,
  sub,
  where,
} from '../ops/elementwise.ts';
import { checkUpdateTrees, sameTree } from './check-trees.ts';
import type { Count, LearningRate } from './schedules.ts';
import { learningRateAt } from './schedules.ts';
import { leavesOf, mapTree } from './tree.ts';

type T = Tensor;
const zerosLike = (x: T): T => zeros(x.shape as readonly number[], { dtype: x.dtype as DType });
const newCount = (): Count => zeros([], { dtype: 'i32' }) as Count;
const next = (count: Count): Count => add(count, 1) as Count;

/**
 * The state of `optim.sgd`: the step count and, with momentum, the momentum buffer.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const s: optim.SgdState<{ w: ReturnType<typeof tensor> }> = optim.sgd(0.1).init({ w: tensor([1]) });
 * assert.equal(s.trace, undefined);
 * ```
 */
export interface SgdState<P = unknown> {
  /** Steps done so far (an i32 scalar). */
  readonly count: Count;
  /** momentum buffer b, present when momentum > 0 */
  readonly trace?: P;
}
/**
 * The state of `optim.momentum`: the step count and the momentum buffer (params-shaped).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const s = optim.momentum(0.1).init({ w: tensor([1, 2]) });
 * assert.deepEqual(s.trace.w.toArray(), [0, 0]);
 * ```
 */
export interface MomentumState<P> {
  /** Steps done so far (an i32 scalar). */
  readonly count: Count;
  /** Momentum buffer b, params-shaped. */
  readonly trace: P;
}
/**
 * The state of `optim.adam` and `optim.adamw`: the step count and the two moment estimates.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const s = optim.adam(1e-3).init({ w: tensor([1, 2]) });
 * assert.deepEqual([s.mu.w.toArray(), s.nu.w.toArray()], [[0, 0], [0, 0]]);
 * ```
 */
export interface AdamState<P> {
  /** Steps done so far (an i32 scalar), for bias correction and schedules. */
  readonly count: Count;
  /** first moment m */
  readonly mu: P;
  /** second moment v */
  readonly nu: P;
  /** running maximum of v, present with amsgrad */
  readonly nuMax?: P;
}
/**
 * The state of `optim.rmsprop`: the step count, the running mean of g², the momentum buffer and
 * (centered) the running mean of g.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const s = optim.rmsprop(1e-3, { centered: true }).init({ w: tensor([1]) });
 * assert.deepEqual(s.gradAvg?.w.toArray(), [0]);
 * ```
 */
export interface RmspropState<P> {
  /** Steps done so far (an i32 scalar). */
  readonly count: Count;
  /** running mean of squared gradients v */
  readonly nu: P;
  /** momentum buffer (zeros and unused when momentum is 0) */
  readonly mom: P;
  /** running mean of the gradients, present when centered */
  readonly gradAvg?: P;
}

/** The state of each optimizer for params P (a type-level table, so `Optimizer` stays generic in P). */
export interface StateOf<P> {
  /** The state of `optim.sgd`. */
  sgd: SgdState<P>;
  /** The state of `optim.momentum`. */
  momentum: MomentumState<P>;
  /** The state of `optim.adam`. */
  adam: AdamState<P>;
  /** The state of `optim.adamw`. */
  adamw: AdamState<P>;
  /** The state of `optim.rmsprop`. */
  rmsprop: RmspropState<P>;
}
/**
 * The names of the built-in optimizers (`Optimizer['name']`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * const name: optim.OptimizerName = optim.adamw(1e-3).name;
 * assert.equal(name, 'adamw');
 * ```
 */
export type OptimizerName = keyof StateOf<unknown>;

/**
 * A built-in optimizer: `init(params)` makes its state, `update(grads, state, params?)` returns
 * the updates (add them with `applyUpdates`) and the next state. Pure: nothing is mutated.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opt: optim.Optimizer<'sgd'> = optim.sgd(0.5);
 * const params = { w: tensor([1]) };
 * const [updates, state] = opt.update({ w: tensor([2]) }, opt.init(params));
 * assert.equal(optim.applyUpdates(params, updates).w.item(), 0);
 * assert.equal(state.count.item(), 1);
 * ```
 */
export interface Optimizer<K extends OptimizerName = OptimizerName> {
  /** Which optimizer this is (keys its state type in `StateOf`). */
  readonly name: K;
  /** The initial state for these params (zero moments, count 0). */
  init<P>(params: P): StateOf<P>[K];
  /** The updates for these gradients (add them with `applyUpdates`) and the next state; pass `params` for weight decay. */
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

/**
 * The options of `optim.sgd` (PyTorch's `torch.optim.SGD`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opts: optim.SgdOptions = { weightDecay: 0.5 };
 * const params = { w: tensor([2]) };
 * const [u] = optim.sgd(1, opts).update({ w: tensor([0]) }, optim.sgd(1, opts).init(params), params);
 * assert.equal(u.w.item(), -1); // g + λ·w
 * ```
 */
export interface SgdOptions {
  /** momentum μ (default 0: plain SGD) */
  readonly momentum?: number;
  /** dampening τ of the momentum buffer (default 0) */
  readonly dampening?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0, as PyTorch) */
  readonly nesterov?: boolean;
  /** L2 penalty λ added to the gradient, `g + λ·param` (default 0; needs params in update) */
  readonly weightDecay?: number;
}

/** `g + λ·p` leaf by leaf, PyTorch's coupled weight decay (needs the params). */
function withDecay<P>(op: string, grads: P, params: P | undefined, wd: number): P {
  if (wd === 0) return grads;
  if (params === undefined)
    throw new Error(`optim.${op}: update(grads, state, params) needs the params for weight decay`);
  return mapTree((g, p) => add(g, mul(p, wd)), grads, params);
}

function nonNegative(op: string, name: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0))
    throw new Error(`optim.${op}: ${name} must be a finite number >= 0, got ${v}`);
}

/**
 * SGD exactly as PyTorch's `torch.optim.SGD`: `g ← g + λ·param` (weightDecay); with momentum
 * μ the buffer is `b = g` at the first step, then `b = μ·b + (1 - τ)·g` (dampening τ);
 * `u = -lr·b`, or with Nesterov `u = -lr·(g + μ·b)`. Without options: `u = -lr·g`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const params = { w: tensor([1]) };
 * const opt = optim.sgd(0.1, { momentum: 0.9 });
 * let state = opt.init(params);
 * const [u1, s1] = opt.update({ w: tensor([1]) }, state, params);
 * const [u2] = opt.update({ w: tensor([1]) }, s1, params);
 * state = s1;
 * assert.ok(Math.abs(u1.w.item() + 0.1) < 1e-7); // b = g at the first step
 * assert.ok(Math.abs(u2.w.item() + 0.19) < 1e-7); // b = 0.9 · 1 + 1
 * ```
 */
export function sgd(lr: LearningRate, opts: SgdOptions = {}): Optimizer<'sgd'> {
  checkLr('sgd', lr);
  checkOptions(
    'optim.sgd',
    opts,
    optionKeys<SgdOptions>({ momentum: true, dampening: true, nesterov: true, weightDecay: true }),
  );
  const mu = opts.momentum ?? 0;
  const damp = opts.dampening ?? 0;
  const wd = opts.weightDecay ?? 0;
  const nesterov = opts.nesterov ?? false;
  nonNegative('sgd', 'momentum', mu);
  nonNegative('sgd', 'dampening', damp);
  nonNegative('sgd', 'weightDecay', wd);
  if (nesterov && (mu <= 0 || damp !== 0))
    throw new Error(
      `optim.sgd: nesterov needs momentum > 0 and dampening 0, got momentum ${mu}, dampening ${damp}`,
    );
  return {
    name: 'sgd',
    init: (params) =>
      mu === 0 ? { count: newCount() } : { count: newCount(), trace: mapTree(zerosLike, params) },
    update: (grads, state, params) => {
      checkUpdateTrees('optim.sgd', grads, state, params, mu === 0 ? [] : ['trace']);
      const a = learningRateAt(lr, state.count);
      const g = withDecay('sgd', grads, params, wd);
      if (mu === 0) return [mapTree((d) => scaleBy(a, d), g), { count: next(state.count) }];
      if (state.trace === undefined)
        throw new Error('optim.sgd: state has no momentum buffer (init with the same options)');
      // PyTorch's first step takes b = g itself (no dampening), later ones the damped average
      const first = equal(state.count, 0);
      const trace = mapTree(
        (d, b) => where(first, d, add(mul(b, mu), damp === 0 ? d : mul(d, 1 - damp))) as T,
        g,
        state.trace,
      );
      const dir = nesterov ? mapTree((d, b) => add(d, mul(b, mu)), g, trace) : trace;
      return [mapTree((d) => scaleBy(a, d), dir), { count: next(state.count), trace }];
    },
  };
}

/**
 * The options of `optim.momentum`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opts: optim.MomentumOptions = { beta: 0.9, nesterov: true };
 * const opt = optim.momentum(0.1, opts);
 * const [u] = opt.update({ w: tensor([1]) }, opt.init({ w: tensor([0]) }));
 * assert.ok(Math.abs(u.w.item() + 0.19) < 1e-6); // -lr · (g + μ·b), b = g
 * ```
 */
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
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opt = optim.momentum(0.1, { beta: 0.5 });
 * const params = { w: tensor([0]) };
 * const [, s1] = opt.update({ w: tensor([1]) }, opt.init(params));
 * const [u2] = opt.update({ w: tensor([1]) }, s1);
 * assert.ok(Math.abs(u2.w.item() + 0.15) < 1e-7); // b = 0.5 · 1 + 1
 * ```
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
    update: (grads, state, params) => {
      checkUpdateTrees('optim.momentum', grads, state, params, ['trace']);
      const a = learningRateAt(lr, state.count);
      const trace = mapTree((g, b) => add(mul(b, beta), g), grads, state.trace);
      const updates = mapTree((g, b) => scaleBy(a, nesterov ? add(g, mul(b, beta)) : b), grads, trace);
      return [updates, { count: next(state.count), trace }];
    },
  };
}

/**
 * The options of `optim.adam`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opts: optim.AdamOptions = { b1: 0.9, b2: 0.99, amsgrad: true };
 * assert.ok(optim.adam(1e-3, opts).init({ w: tensor([0]) }).nuMax !== undefined);
 * ```
 */
export interface AdamOptions {
  /** decay of the first moment (default 0.9) */
  readonly b1?: number;
  /** decay of the second moment (default 0.999) */
  readonly b2?: number;
  /** added to sqrt(v̂) (default 1e-8) */
  readonly eps?: number;
  /** AMSGrad (Reddi et al. 2018): divide by the running maximum of v (default false) */
  readonly amsgrad?: boolean;
  /** Adam: L2 penalty λ added to the gradient, `g + λ·param`, before the moments (default 0) */
  readonly weightDecay?: number;
}

interface Decay {
  /** added to the gradient before the moments (Adam's weight_decay) */
  readonly coupled: number;
  /** subtracted from the parameter after them (AdamW's) */
  readonly decoupled: number;
}

function adamCore(op: 'adam' | 'adamw', lr: LearningRate, opts: AdamOptions, decay: Decay) {
  checkLr(op, lr);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  const eps = opts.eps ?? 1e-8;
  inUnit(op, 'b1', b1);
  inUnit(op, 'b2', b2);
  if (!(eps >= 0)) throw new Error(`optim.${op}: eps must be >= 0, got ${eps}`);
  const amsgrad = opts.amsgrad ?? false;
  const weightDecay = decay.decoupled;
  return {
    init: <P>(params: P): AdamState<P> => ({
      count: newCount(),
      mu: mapTree(zerosLike, params),
      nu: mapTree(zerosLike, params),
      ...(amsgrad ? { nuMax: mapTree(zerosLike, params) } : {}),
    }),
    update: <P>(rawGrads: P, state: AdamState<P>, params?: P): [P, AdamState<P>] => {
      checkUpdateTrees(
        `optim.${op}`,
        rawGrads,
        state,
        params,
        amsgrad ? ['mu', 'nu', 'nuMax'] : ['mu', 'nu'],
      );
      if (weightDecay !== 0 && params === undefined)
        throw new Error(`optim.${op}: update(grads, state, params) needs the params for weight decay`);
      const grads = withDecay(op, rawGrads, params, decay.coupled);
      const a = learningRateAt(lr, state.count);
      const count = next(state.count);
      // 1 / (1 - b^t), the bias corrections (in f64 when the gradients are: 1 - 0.999 loses
      // five digits in f32)
      const t = cast(count, leavesOf(grads).some((g) => g.dtype === 'f64') ? 'f64' : 'f32');
      const c1 = div(1, sub(1, pow(b1, t)));
      const c2 = div(1, sub(1, pow(b2, t)));
      const mu = mapTree((g, m) => add(mul(m, b1), mul(g, 1 - b1)), grads, state.mu);
      const nu = mapTree((g, v) => add(mul(v, b2), mul(square(g), 1 - b2)), grads, state.nu);
      if (amsgrad && state.nuMax === undefined)
        throw new Error(`optim.${op}: state has no nuMax (init with amsgrad: true)`);
      const nuMax = amsgrad ? mapTree((v, w) => maximum(w, v), nu, state.nuMax as P) : undefined;
      const denomOf = nuMax ?? nu;
      const step = (m: T, v: T) => div(mul(m, c1), add(sqrt(mul(v, c2)), eps));
      const updates =
        weightDecay === 0
          ? mapTree((m, v) => scaleBy(a, step(m, v)), mu, denomOf)
          : mapTree((m, v, p) => scaleBy(a, add(step(m, v), mul(p, weightDecay))), mu, denomOf, params as P);
      return [updates, nuMax === undefined ? { count, mu, nu } : { count, mu, nu, nuMax }];
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
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opt = optim.adam(0.01);
 * const params = { w: tensor([1, 2]) };
 * const [u] = opt.update({ w: tensor([3, -0.5]) }, opt.init(params));
 * // the first Adam step has size lr in the sign of the gradient (bias-corrected moments)
 * assert.deepEqual([...u.w.dataSync()].map((v) => Math.round(v * 1e4) / 1e4), [-0.01, 0.01]);
 * ```
 */
export function adam(lr: LearningRate, opts: AdamOptions = {}): Optimizer<'adam'> {
  checkOptions(
    'optim.adam',
    opts,
    optionKeys<AdamOptions>({ b1: true, b2: true, eps: true, amsgrad: true, weightDecay: true }),
  );
  const wd = opts.weightDecay ?? 0;
  nonNegative('adam', 'weightDecay', wd);
  return { name: 'adam', ...adamCore('adam', lr, opts, { coupled: wd, decoupled: 0 }) };
}

/**
 * The options of `optim.adamw`: those of Adam, with decoupled weight decay.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * const opts: optim.AdamWOptions = { weightDecay: 1e-4 };
 * assert.equal(optim.adamw(1e-3, opts).name, 'adamw');
 * ```
 */
export interface AdamWOptions extends Omit<AdamOptions, 'weightDecay'> {
  /** decoupled weight decay λ (default 0.01, PyTorch's default; optax's is 1e-4) */
  readonly weightDecay?: number;
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam plus decoupled weight decay,
 * `u = -lr · (m̂ / (sqrt(v̂) + eps) + λ·param)`, i.e. `param ← param - lr·λ·param - lr·adam`,
 * exactly PyTorch's `AdamW` (decay scaled by lr, including a scheduled lr) and optax's
 * `adamw`. Needs `params` in `update`. The decay is not part of the gradient, so the moments
 * never see it (unlike Adam with L2 regularisation).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opt = optim.adamw(0.1, { weightDecay: 0.5 });
 * const params = { w: tensor([2]) };
 * const [u] = opt.update({ w: tensor([0]) }, opt.init(params), params);
 * assert.ok(Math.abs(u.w.item() + 0.1) < 1e-6); // zero gradient: only the decay -lr · λ · w
 * ```
 */
export function adamw(lr: LearningRate, opts: AdamWOptions = {}): Optimizer<'adamw'> {
  checkOptions(
    'optim.adamw',
    opts,
    optionKeys<AdamWOptions>({ b1: true, b2: true, eps: true, weightDecay: true, amsgrad: true }),
  );
  const wd = opts.weightDecay ?? 0.01;
  if (!(wd >= 0)) throw new Error(`optim.adamw: weightDecay must be >= 0, got ${wd}`);
  return { name: 'adamw', ...adamCore('adamw', lr, opts, { coupled: 0, decoupled: wd }) };
}

/**
 * The options of `optim.rmsprop` (PyTorch's `torch.optim.RMSprop`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim } from 'typegrad';
 * const opts: optim.RmspropOptions = { decay: 0.9, momentum: 0.9, centered: true };
 * assert.equal(optim.rmsprop(1e-3, opts).name, 'rmsprop');
 * ```
 */
export interface RmspropOptions {
  /** decay α of the running mean of g² (default 0.99, PyTorch's `alpha`; Keras's rho is 0.9) */
  readonly decay?: number;
  /** added to sqrt(v) (default 1e-8) */
  readonly eps?: number;
  /** momentum μ (default 0) */
  readonly momentum?: number;
  /** centered RMSprop (Graves 2013): divide by sqrt(v - ḡ²), the gradient's variance (default false) */
  readonly centered?: boolean;
  /** L2 penalty λ added to the gradient, `g + λ·param` (default 0; needs params in update) */
  readonly weightDecay?: number;
}

/**
 * RMSprop (Tieleman & Hinton 2012), PyTorch's form: `v = α·v + (1-α)·g²`; without momentum
 * `u = -lr · g / (sqrt(v) + eps)`; with momentum `b = μ·b + g / (sqrt(v) + eps); u = -lr·b`.
 * eps is outside the square root as in PyTorch and Keras (optax's `rmsprop` puts it inside:
 * `g / sqrt(v + eps)`); v starts at 0 with no bias correction (PyTorch; optax's
 * `initial_scale` would start it elsewhere).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opt = optim.rmsprop(0.01, { decay: 0 });
 * const params = { w: tensor([0]) };
 * const [u] = opt.update({ w: tensor([4]) }, opt.init(params));
 * assert.ok(Math.abs(u.w.item() + 0.01) < 1e-6); // decay 0: g / sqrt(g²)
 * ```
 */
export function rmsprop(lr: LearningRate, opts: RmspropOptions = {}): Optimizer<'rmsprop'> {
  checkLr('rmsprop', lr);
  checkOptions(
    'optim.rmsprop',
    opts,
    optionKeys<RmspropOptions>({ decay: true, eps: true, momentum: true, centered: true, weightDecay: true }),
  );
  const decay = opts.decay ?? 0.99;
  const eps = opts.eps ?? 1e-8;
  const mu = opts.momentum ?? 0;
  inUnit('rmsprop', 'decay', decay);
  inUnit('rmsprop', 'momentum', mu);
  const centered = opts.centered ?? false;
  const wd = opts.weightDecay ?? 0;
  nonNegative('rmsprop', 'weightDecay', wd);
  return {
    name: 'rmsprop',
    init: (params) => ({
      count: newCount(),
      nu: mapTree(zerosLike, params),
      mom: mapTree(zerosLike, params),
      ...(centered ? { gradAvg: mapTree(zerosLike, params) } : {}),
    }),
    update: (rawGrads, state, params) => {
      checkUpdateTrees(
        'optim.rmsprop',
        rawGrads,
        state,
        params,
        centered ? ['nu', 'mom', 'gradAvg'] : ['nu', 'mom'],
      );
      const a = learningRateAt(lr, state.count);
      const grads = withDecay('rmsprop', rawGrads, params, wd);
      const nu = mapTree((g, v) => add(mul(v, decay), mul(square(g), 1 - decay)), grads, state.nu);
      if (centered && state.gradAvg === undefined)
        throw new Error('optim.rmsprop: state has no gradAvg (init with centered: true)');
      const gradAvg = centered
        ? mapTree((g, m) => add(mul(m, decay), mul(g, 1 - decay)), grads, state.gradAvg as typeof grads)
        : undefined;
      // centered: sqrt(v - ḡ²) + eps, PyTorch's `square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_().add_(eps)`
      const denom = gradAvg
        ? mapTree((v, m) => add(sqrt(sub(v, square(m))), eps), nu, gradAvg)
        : mapTree((v) => add(sqrt(v), eps), nu);
      const scaled = mapTree((g, d) => div(g, d), grads, denom);
      const mom = mu === 0 ? state.mom : mapTree((s, b) => add(mul(b, mu), s), scaled, state.mom);
      const updates = mapTree((s) => scaleBy(a, s), mu === 0 ? scaled : mom);
      const count = next(state.count);
      return [updates, gradAvg === undefined ? { count, nu, mom } : { count, nu, mom, gradAvg }];
    },
  };
}

/**
 * params + updates, leaf by leaf (same tree type).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const params = { w: tensor([1, 2]) };
 * assert.deepEqual(optim.applyUpdates(params, { w: tensor([0.5, -1]) }).w.toArray(), [1.5, 1]);
 * ```
 */
export function applyUpdates<P>(params: P, updates: NoInfer<P>): P {
  sameTree('optim.applyUpdates', 'updates', updates, 'params', params);
  return mapTree((p, u) => add(p, u), params, updates);
}
