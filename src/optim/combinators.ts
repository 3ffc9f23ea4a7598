/**
 * Gradient transformations that compose (optax's combinators): `chain` runs transforms in
 * sequence, `masked` and `multiTransform` apply different transforms to parameter groups
 * chosen by path, `scaleBySchedule` attaches a schedule to any of them, and
 * `addDecayedWeights` is weight decay as its own step (so `masked` can skip biases).
 * Every built-in optimizer (`adam`, `sgd` …) is a transform, as is `clipByGlobalNorm(maxNorm)`.
 */

import { flatten, unflatten } from '../core/pytree.ts';
import { tensorPaths } from '../core/pytree-paths.ts';
import type { Tensor } from '../core/tensor.ts';
import { zeros } from '../ops/creation.ts';
import { add, mul } from '../ops/elementwise.ts';
import type { Count, Schedule } from './schedules.ts';
import { mapTree } from './tree.ts';

/**
 * Anything with optax's `init`/`update` shape: updates have the gradients' type P; the state
 * is the transform's own (opaque to combinators).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mul, optim, tensor } from 'typegrad';
 * // a transform that doubles every update, usable in optim.chain
 * const double: optim.GradientTransform<Record<string, never>> = {
 *   init: () => ({}),
 *   update: (grads) => [optim.mapTree((g) => mul(g, 2), grads), {}],
 * };
 * const [u] = optim.chain(double, optim.sgd(1)).update({ w: tensor([1]) }, [{}, optim.sgd(1).init({ w: tensor([0]) })]);
 * assert.equal(u.w.item(), -2);
 * ```
 */
export interface GradientTransform<S = unknown> {
  /** The initial state for these params. */
  init<P>(params: P): S;
  /** The updates from the gradients (same tree type) and the next state; `params` where the transform needs them. */
  update<P>(grads: P, state: S, params?: P): readonly [P, S];
}

/** The state of a transform, as `init` returns it. */
export type TransformState<T> = T extends {
  /** The transform's state constructor. */
  init(params: never): infer S;
}
  ? S
  : unknown;

/** The state of `chain(...ts)`: one state per transform, in order. */
export type ChainState<Ts extends readonly unknown[]> = {
  readonly [K in keyof Ts]: TransformState<Ts[K]>;
};

/**
 * Runs transforms in sequence: the updates of one are the gradients of the next. Equals calling
 * each transform's `update` by hand, one after the other.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const params = { w: tensor([1, 1]) };
 * const grads = { w: tensor([30, 40]) }; // norm 50
 * const opt = optim.chain(optim.clipByGlobalNorm(5), optim.sgd(0.1));
 * const [updates] = opt.update(grads, opt.init(params), params);
 * assert.deepEqual([...updates.w.dataSync()].map((v) => Math.round(v * 1000) / 1000), [-0.3, -0.4]);
 * ```
 */
export function chain<const Ts extends readonly GradientTransform<any>[]>(
  ...transforms: Ts
): GradientTransform<ChainState<Ts>> {
  if (transforms.length === 0) throw new Error('optim.chain: give at least one transform');
  transforms.forEach((t, i) => {
    if (typeof t?.init !== 'function' || typeof t.update !== 'function') {
      throw new Error(`optim.chain: argument ${i} is not a transform (no init/update), got ${String(t)}`);
    }
  });
  return {
    init: (params) => transforms.map((t) => t.init(params)) as unknown as ChainState<Ts>,
    update: (grads, states, params) => {
      let updates = grads;
      const next = transforms.map((t, i) => {
        const [u, s] = t.update(updates, (states as readonly unknown[])[i], params);
        updates = u;
        return s;
      });
      return [updates, next as unknown as ChainState<Ts>];
    },
  };
}

/** Picks a label for a parameter from its dotted path (`enc.w`, `layers.0.b`) and tensor. */
export type Labeler<L extends string> = (path: string, leaf: Tensor) => L;

/** The state of `multiTransform`: each group's state, over that group's leaves (an array). */
export type MultiTransformState<L extends string> = { readonly [K in L]: unknown };

/** The leaves of each label, as index lists into the flattened tree. */
function groupIndices<L extends string>(
  op: string,
  tree: unknown,
  label: Labeler<L>,
  labels: readonly L[],
): Map<L, number[]> {
  const groups = new Map<L, number[]>(labels.map((l) => [l, []]));
  tensorPaths(tree).forEach(([path, leaf], i) => {
    const l = label(path, leaf);
    const group = groups.get(l);
    if (!group) {
      throw new Error(
        `optim.${op}: parameter ${JSON.stringify(path)} got label ${JSON.stringify(l)}, which has no transform (have ${labels.map((k) => JSON.stringify(k)).join(', ')})`,
      );
    }
    group.push(i);
  });
  return groups;
}

/**
 * Different transforms for different parameter groups: `label(path, leaf)` names each
 * parameter's group and `transforms[group]` updates it (seeing only that group's leaves, as an
 * array). Use it for per-group learning rates, or `{ frozen: setToZero() }` to freeze a subtree.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const params = { body: { w: tensor([1]) }, head: { w: tensor([1]) } };
 * const grads = { body: { w: tensor([1]) }, head: { w: tensor([1]) } };
 * const opt = optim.multiTransform(
 *   { body: optim.sgd(0.01), head: optim.sgd(0.1) },
 *   (path) => (path.startsWith('head.') ? 'head' : 'body'),
 * );
 * const [u] = opt.update(grads, opt.init(params), params);
 * assert.ok(Math.abs(u.body.w.item() + 0.01) < 1e-7 && Math.abs(u.head.w.item() + 0.1) < 1e-7);
 * ```
 */
export function multiTransform<L extends string>(
  transforms: { readonly [K in L]: GradientTransform<unknown> },
  label: Labeler<L>,
): GradientTransform<MultiTransformState<L>> {
  const labels = Object.keys(transforms) as L[];
  if (labels.length === 0) throw new Error('optim.multiTransform: give at least one transform');
  const pick = (leaves: readonly Tensor[], idx: readonly number[]) => idx.map((i) => leaves[i]!);
  return {
    init: (params) => {
      const groups = groupIndices('multiTransform', params, label, labels);
      const [leaves] = flatten(params);
      const state = {} as Record<L, unknown>;
      for (const l of labels) state[l] = transforms[l].init(pick(leaves, groups.get(l)!));
      return state;
    },
    update: (grads, state, params) => {
      // Group by the params' paths when given (labels may look at values), else the grads'.
      const groups = groupIndices('multiTransform', params ?? grads, label, labels);
      const [gLeaves, def] = flatten(grads);
      const pLeaves = params === undefined ? undefined : flatten(params)[0];
      const out = [...gLeaves];
      const next = {} as Record<L, unknown>;
      for (const l of labels) {
        const idx = groups.get(l)!;
        const [u, s] = transforms[l].update(
          pick(gLeaves, idx),
          state[l],
          pLeaves === undefined ? undefined : pick(pLeaves, idx),
        );
        idx.forEach((leafIndex, j) => {
          out[leafIndex] = u[j]!;
        });
        next[l] = s;
      }
      return [unflatten(def, out), next];
    },
  };
}

/**
 * Passes the updates through unchanged (state `{}`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const g = { w: tensor([1, 2]) };
 * const [u] = optim.identity().update(g, {});
 * assert.equal(u, g);
 * ```
 */
export function identity(): GradientTransform<Record<string, never>> {
  return { init: () => ({}), update: (grads) => [grads, {}] };
}

/**
 * Zero updates (state `{}`): with `multiTransform`, freezes a parameter group.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const params = { enc: { w: tensor([1]) }, dec: { w: tensor([1]) } };
 * const opt = optim.multiTransform(
 *   { train: optim.sgd(0.1), frozen: optim.setToZero() },
 *   (path) => (path.startsWith('enc.') ? 'frozen' : 'train'),
 * );
 * const [u] = opt.update({ enc: { w: tensor([5]) }, dec: { w: tensor([5]) } }, opt.init(params), params);
 * assert.equal(u.enc.w.item(), 0); // the encoder is frozen
 * assert.ok(Math.abs(u.dec.w.item() + 0.5) < 1e-6);
 * ```
 */
export function setToZero(): GradientTransform<Record<string, never>> {
  return {
    init: () => ({}),
    update: (grads) => [mapTree((g) => zeros(g.shape as readonly number[], { dtype: g.dtype }), grads), {}],
  };
}

/**
 * Applies `inner` only to the parameters where `mask(path, leaf)` is true; the others' updates
 * pass through unchanged (optax's `masked`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * // weight decay on matrices only, not on biases or norm scales:
 * const opt = optim.masked(optim.addDecayedWeights(0.5), (_path, p) => p.ndim >= 2);
 * const params = { w: tensor([[2]]), b: tensor([2]) };
 * const zero = { w: tensor([[0]]), b: tensor([0]) };
 * const [u] = opt.update(zero, opt.init(params), params);
 * assert.deepEqual([u.w.toArray(), u.b.toArray()], [[[-1]], [0]]);
 * ```
 */
export function masked(
  inner: GradientTransform<unknown>,
  mask: (path: string, leaf: Tensor) => boolean,
): GradientTransform<MultiTransformState<'inner' | 'rest'>> {
  return multiTransform({ inner, rest: identity() }, (path, leaf) => (mask(path, leaf) ? 'inner' : 'rest'));
}

/**
 * Adds `-rate · params` to the updates: decoupled weight decay as a separate step (put it after
 * the optimizer in a `chain`; `rate` is the learning rate times the decay). Needs `params`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const params = { w: tensor([10]) };
 * const opt = optim.chain(optim.sgd(0.1), optim.addDecayedWeights(0.01));
 * const [u] = opt.update({ w: tensor([0]) }, opt.init(params), params);
 * assert.ok(Math.abs(u.w.item() + 0.1) < 1e-6); // -0.01 · 10
 * ```
 */
export function addDecayedWeights(rate: number): GradientTransform<Record<string, never>> {
  if (!(rate >= 0)) throw new Error(`optim.addDecayedWeights: rate must be >= 0, got ${rate}`);
  return {
    init: () => ({}),
    update: (updates, state, params) => {
      if (params === undefined) throw new Error('optim.addDecayedWeights: update needs params');
      return [mapTree((u, p) => add(u, mul(p, -rate)), updates, params), state];
    },
  };
}

/**
 * The state of {@link scaleBySchedule}: the step count the schedule reads.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const s: optim.ScheduleState = optim.scaleBySchedule(optim.constant(1)).init({ w: tensor([0]) });
 * assert.equal(s.count.item(), 0);
 * ```
 */
export interface ScheduleState {
  /** Updates done so far (an i32 scalar). */
  readonly count: Count;
}

/**
 * Multiplies the updates by `schedule(count)` (count 0 at the first update): attaches a
 * schedule to any transform, e.g. a warmup after a constant-rate optimizer.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { optim, tensor } from 'typegrad';
 * const opt = optim.chain(optim.sgd(1), optim.scaleBySchedule(optim.stepDecay(0.1, { stepSize: 1, gamma: 0.5 })));
 * const params = { w: tensor([0]) };
 * let state = opt.init(params);
 * const steps: number[] = [];
 * for (let i = 0; i < 3; i++) {
 *   const [u, next] = opt.update({ w: tensor([1]) }, state, params);
 *   steps.push(Math.round(u.w.item() * 1000) / 1000);
 *   state = next;
 * }
 * assert.deepEqual(steps, [-0.1, -0.05, -0.025]);
 * ```
 */
export function scaleBySchedule(schedule: Schedule): GradientTransform<ScheduleState> {
  if (typeof schedule !== 'function') {
    throw new Error(
      `optim.scaleBySchedule: schedule must be a function of the count, got ${String(schedule)}`,
    );
  }
  return {
    init: () => ({ count: zeros([], { dtype: 'i32' }) as Count }),
    update: (updates, state) => {
      const factor = schedule(state.count);
      return [mapTree((u) => mul(u, factor as Tensor), updates), { count: add(state.count, 1) as Count }];
    },
  };
}
