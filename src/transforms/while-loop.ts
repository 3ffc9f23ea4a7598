/**
 * `whileLoop` as a primitive (JAX's `while_loop`): one `while` equation whose condition and
 * body are programs, so a jitted function keeps a data-dependent loop as one loop. Evaluated,
 * it reads the condition's bool scalar once per iteration; its jvp carries the tangents along
 * in the same loop; vmap runs while any lane's condition holds and keeps each finished lane's
 * carry with a select. Reverse mode is not defined (the trip count is only known at run time),
 * as in JAX: `grad` through it is an error pointing at `foriLoop` and `scan`.
 */
import type { Aval } from '../core/aval.ts';
import { formatShape } from '../core/aval.ts';
import { currentBackend } from '../core/backend-registry.ts';
import { registerImpl } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import { countLeaves, flatten, treeEqual, unflatten } from '../core/pytree.ts';
import { runScoped, withOwnedScope } from '../core/scope.ts';
import { isTensor, type Tensor } from '../core/tensor.ts';
import type { Params } from '../core/trace.ts';
import { bind, Tracer } from '../core/trace.ts';
import { registerBatchRule, vmapFlat } from './batching.ts';
import { evalJaxprAsync, registerAsyncImpl } from './eval-async.ts';
import type { Jaxpr } from './jaxpr.ts';
import { evalJaxpr, registerAbstractEval, Var } from './jaxpr.ts';
import { jvpFlat, registerJvpRule } from './jvp.ts';
import { batchSize, moveBatchDim, planFor, range, stageBody } from './scan.ts';
import { registerTransposeRule } from './transpose.ts';
import { instantiate, type MaybeZero, Zero } from './zero.ts';

/** Inputs: cond consts, body consts, carry; outputs: the final carry. */
interface WhileParams {
  /** (cond consts, carry) -> bool[] */
  readonly cond: Jaxpr;
  /** (body consts, carry) -> carry */
  readonly body: Jaxpr;
  readonly numCondConsts: number;
  readonly numBodyConsts: number;
  readonly maxIterations: number;
}

const P = (params: Params) => params as unknown as WhileParams;

function reverseModeError(): Error {
  return new Error(
    'whileLoop: reverse-mode differentiation (grad, vjp) is not defined for whileLoop, whose trip ' +
      "count is only known at run time (as JAX's while_loop); use foriLoop with static bounds or " +
      'scan, which differentiate, or jvp for forward mode',
  );
}

// ---- evaluation: one read of the condition per iteration ----

function readPredicate(pred: Tensor): boolean {
  const s = pred._live('whileLoop');
  if (!s.backend.readSync)
    throw new Error(
      `whileLoop: the ${s.backend.name} backend reads values only asynchronously, so the loop ` +
        'condition cannot be read inside a synchronous call; run the jitted function with ' +
        '`await jit(f).async(…)`, which awaits the condition each iteration (not inside a scan ' +
        'body, which runs synchronously even there), or use foriLoop or scan for a trip count ' +
        'known in advance, or whileLoopAsync (eager)',
    );
  return s.backend.readSync(s.buffer, 'bool', 1)[0] !== 0;
}

/** The loop's programs, their fusion plans and its inputs (the sync and async loops share them). */
function loopOf(args: readonly Tensor[], params: Params) {
  const { cond, body, numCondConsts: nc, numBodyConsts: nb, maxIterations } = P(params);
  const backend = currentBackend();
  return {
    cond,
    body,
    maxIterations,
    condPlan: planFor(cond, backend),
    bodyPlan: planFor(body, backend),
    condConsts: args.slice(0, nc),
    bodyConsts: args.slice(nc, nc + nb),
    init: args.slice(nc + nb),
  };
}

function tooManyIterations(maxIterations: number): Error {
  return new Error(`whileLoop: still running after maxIterations = ${maxIterations} iterations`);
}

/** Frees the previous carry, except the loop's inputs and what the next carry still holds. */
function dropCarry(args: readonly Tensor[], carry: readonly Tensor[], next: readonly Tensor[]): void {
  for (const c of carry) if (!args.includes(c) && !next.includes(c)) c.dispose();
}

function whileImpl(args: readonly Tensor[], params: Params): Tensor[] {
  const loop = loopOf(args, params);
  let carry = loop.init;
  for (let i = 0; ; i++) {
    // The predicate is read and freed inside its own scope.
    const go = withOwnedScope(
      () => readPredicate(evalJaxpr(loop.cond, [], [...loop.condConsts, ...carry], loop.condPlan)[0]!),
      () => [],
    );
    if (!go) return carry;
    if (i >= loop.maxIterations) throw tooManyIterations(loop.maxIterations);
    const next = withOwnedScope(
      () => evalJaxpr(loop.body, [], [...loop.bodyConsts, ...carry], loop.bodyPlan),
      (o) => o,
    );
    dropCarry(args, carry, next);
    carry = next;
  }
}

/**
 * The same loop for `jit(f).async(…)` (eval-async.ts): the condition's bool scalar is awaited
 * each iteration (`data()`), so it runs on backends that read only asynchronously (WebGPU).
 * Cost per iteration: the condition's kernels, one submit and a 4-byte read back, i.e. one
 * round trip to the device (tens of µs on a GPU, more on SwiftShader), then the body's kernels.
 * A condition computed from tiny host-known values (a counter) is read without a round trip.
 */
async function whileImplAsync(args: readonly Tensor[], params: Params): Promise<Tensor[]> {
  const loop = loopOf(args, params);
  let carry = loop.init;
  for (let i = 0; ; i++) {
    const go = await runScoped(
      'whileLoop condition',
      async () => {
        const [pred] = await evalJaxprAsync(loop.cond, [], [...loop.condConsts, ...carry], loop.condPlan);
        return (await pred!.data())[0] !== 0;
      },
      () => [],
    );
    if (!go) return carry;
    if (i >= loop.maxIterations) throw tooManyIterations(loop.maxIterations);
    const next = await runScoped(
      'whileLoop body',
      () => evalJaxprAsync(loop.body, [], [...loop.bodyConsts, ...carry], loop.bodyPlan),
      (o) => o,
    );
    dropCarry(args, carry, next);
    carry = next;
  }
}

registerAsyncImpl('while', whileImplAsync);
registerImpl('while', whileImpl);
registerAbstractEval('while', (_inputs, params) => P(params).body.outVars.map((v) => v.aval));

// ---- jvp: the tangents ride along in the carry of one loop ----

/**
 * The body's jvp staged over (body consts, the marked consts' tangents, carry, the marked
 * carries' tangents), returning (carry, the marked carries' tangents). A carry is marked when
 * its initial tangent is nonzero or a step makes it nonzero (a fixpoint, as scan's).
 */
function stageBodyJvp(body: Jaxpr, nb: number, initial: readonly boolean[]) {
  const n = body.inVars.length;
  const avals = body.inVars.map((v) => v.aval);
  let nz = [...initial];
  for (;;) {
    const constT = range(nb).filter((i) => nz[i]);
    const carryT = range(n - nb, nb).filter((i) => nz[i]);
    let carryOutNz: boolean[] = [];
    const order = [...range(nb), ...constT, ...range(n - nb, nb), ...carryT];
    const staged = stageBody(
      order.map((i) => avals[i]!),
      (flat) => {
        const primals = [
          ...flat.slice(0, nb),
          ...flat.slice(nb + constT.length, nb + constT.length + n - nb),
        ];
        const tin: MaybeZero[] = avals.map((a) => new Zero(a));
        constT.forEach((i, j) => {
          tin[i] = flat[nb + j]!;
        });
        carryT.forEach((i, j) => {
          tin[i] = flat[n + constT.length + j]!;
        });
        const [outs, touts] = jvpFlat((xs) => evalJaxpr(body, [], xs), primals, tin);
        carryOutNz = touts.map((t) => !(t instanceof Zero));
        return [...outs, ...carryT.map((i) => instantiate(touts[i - nb]!))];
      },
    );
    const grown = nz.map((v, i) => v || (i >= nb && carryOutNz[i - nb]!));
    if (grown.every((v, i) => v === nz[i])) return { ...staged, constT, carryT };
    nz = grown;
  }
}

/** Whether a tangent is being staged by `grad`/`vjp`'s linearization (reverse mode). */
const underLinearize = (t: MaybeZero) =>
  t instanceof Tracer && t._trace.main.active && t._trace.main.name === 'linearize';

registerJvpRule('while', (primals, tangents, params) => {
  const { cond, body, numCondConsts: nc, numBodyConsts: nb, maxIterations } = P(params);
  const numCarry = primals.length - nc - nb;
  // The condition's consts only decide the trip count (piecewise constant): their tangents do not flow.
  const bodyTangents = tangents.slice(nc);
  if (!bodyTangents.some((t) => !(t instanceof Zero))) {
    const outs = bind('while', primals, params);
    return [outs, outs.map((o) => new Zero(o.aval))];
  }
  if (bodyTangents.some(underLinearize)) throw reverseModeError();
  const {
    body: jb,
    consts: jconsts,
    constT,
    carryT,
  } = stageBodyJvp(
    body,
    nb,
    bodyTangents.map((t) => !(t instanceof Zero)),
  );
  const tangentOf = (i: number) => instantiate(bodyTangents[i]!);
  // The condition ignores the tangent carries that now follow the carry.
  const jcond: Jaxpr = {
    ...cond,
    inVars: [...cond.inVars, ...carryT.map((i) => new Var(body.inVars[i]!.aval))],
  };
  const outs = bind(
    'while',
    [
      ...primals.slice(0, nc),
      ...jconsts,
      ...primals.slice(nc, nc + nb),
      ...constT.map(tangentOf),
      ...primals.slice(nc + nb),
      ...carryT.map(tangentOf),
    ],
    {
      cond: jcond,
      body: jb,
      numCondConsts: nc,
      numBodyConsts: jconsts.length + nb + constT.length,
      maxIterations,
    } satisfies WhileParams,
  );
  const carryOut = outs.slice(0, numCarry);
  const tangentOut: MaybeZero[] = carryOut.map((o, k) => {
    const j = carryT.indexOf(nb + k);
    return j >= 0 ? outs[numCarry + j]! : new Zero(o.aval);
  });
  return [carryOut, tangentOut];
});

registerTransposeRule('while', () => {
  throw reverseModeError();
});

// ---- batching: run while any lane's condition holds; finished lanes keep their carry ----

function anyTrue(pred: Tensor): Tensor {
  const count = lax.reduceMax(lax.cast(pred, 'i32'), [0]);
  return lax.compare(count, lax.full({ shape: [], dtype: 'i32' }, 0), 'gt');
}

registerBatchRule('while', (args, dims, params) => {
  const { cond, body, numCondConsts: nc, numBodyConsts: nb, maxIterations } = P(params);
  const size = batchSize(args, dims);
  const moved = args.map((a, i) => moveBatchDim(a, dims[i]!, 0, size));
  const batched = (a: Aval): Aval => ({ shape: [size, ...a.shape], dtype: a.dtype });
  const lanes = (program: Jaxpr, xs: readonly Tensor[]) =>
    vmapFlat(
      (ys) => evalJaxpr(program, [], ys),
      xs,
      xs.map(() => 0),
      0,
      size,
    );
  const carryAvals = body.outVars.map((v) => batched(v.aval));
  const condConstAvals = cond.inVars.slice(0, nc).map((v) => batched(v.aval));
  const bodyConstAvals = body.inVars.slice(0, nb).map((v) => batched(v.aval));
  const bcond = stageBody([...condConstAvals, ...carryAvals], (xs) => [anyTrue(lanes(cond, xs)[0]!)]);
  const bbody = stageBody([...condConstAvals, ...bodyConstAvals, ...carryAvals], (xs) => {
    const carry = xs.slice(nc + nb);
    const pred = lanes(cond, [...xs.slice(0, nc), ...carry])[0]!;
    return lanes(body, xs.slice(nc)).map((next, k) =>
      lax.select(lax.broadcastInDim(pred, next.shape as readonly number[], [0]), next, carry[k]!),
    );
  });
  const condConsts = moved.slice(0, nc);
  const outs = bind(
    'while',
    [...bcond.consts, ...condConsts, ...bbody.consts, ...condConsts, ...moved.slice(nc)],
    {
      cond: bcond.body,
      body: bbody.body,
      numCondConsts: bcond.consts.length + nc,
      numBodyConsts: bbody.consts.length + nc + nb,
      maxIterations,
    } satisfies WhileParams,
  );
  return [outs, outs.map(() => 0)];
});

// ---- the public function ----

/** The options of `whileLoop` and `whileLoopAsync`. */
export interface WhileLoopOptions {
  /** Stop with an error after this many iterations (a guard against endless loops). Default 1e6. */
  readonly maxIterations?: number;
}

/** `maxIterations`, checked (shared with `whileLoopAsync`). */
export function maxIterationsOf(fn: string, options: WhileLoopOptions): number {
  checkOptions(fn, options, optionKeys<WhileLoopOptions>({ maxIterations: true }));
  const { maxIterations = 1e6 } = options;
  if (typeof maxIterations !== 'number' || !(maxIterations >= 0) || !Number.isInteger(maxIterations))
    throw new Error(`${fn}: maxIterations must be a non-negative integer, got ${String(maxIterations)}`);
  return maxIterations;
}

function describe(v: unknown): string {
  return isTensor(v) ? v.describe() : typeof v === 'object' ? 'an object' : String(v);
}

const sameAval = (a: Aval, b: Aval) => a.dtype === b.dtype && formatShape(a.shape) === formatShape(b.shape);

/**
 * `carry = init; while (cond(carry)) carry = body(carry)`; returns the final carry (JAX's
 * `while_loop`). One primitive: inside `jit` the loop stays one loop of the program; `vmap`
 * runs while any example's condition holds and stops each example's carry where its own
 * condition fails; `jvp` goes through it. Reverse mode (`grad`, `vjp`) is not defined, as in
 * JAX: use `foriLoop` or `scan` for a differentiable loop. Each iteration reads the
 * condition on the host: a synchronous call (`jit(f)(x)`, or eager) needs a backend with
 * synchronous reads (the CPU); `await jit(f).async(x)` awaits it instead and runs on every
 * backend, WebGPU included (one device round trip per iteration for the condition's scalar).
 *
 * @param cond - `carry => bool scalar tensor`: keep going while it is true.
 * @param body - `carry => carry`, keeping the carry's structure, shapes and dtypes.
 * @param init - The initial carry (a tensor or a pytree of tensors).
 * @param options - `maxIterations` (default 1e6): an error past it.
 * @returns The final carry, of the carry's type.
 *
 * @example
 * ```ts
 * import { div, greaterEqual, jit, type Tensor, tensor, whileLoop } from 'typegrad';
 * // halve until below 1: 10 → 5 → 2.5 → 1.25 → 0.625
 * const halve = jit((x: Tensor<[]>) => whileLoop((c) => greaterEqual(c, 1), (c) => div(c, 2), x));
 * console.log(halve(tensor(10)).item(), halve(tensor(3)).item()); // 0.625 0.75
 * ```
 *
 * @example
 * ```ts
 * import { add, jit, less, mul, type Tensor, tensor, whileLoop } from 'typegrad';
 * // on any backend (WebGPU too): the condition is awaited each iteration
 * const firstPowerOver = jit((limit: Tensor<[]>) =>
 *   whileLoop(([x]) => less(x, limit), ([x, n]) => [mul(x, 2), add(n, 1)] as const, [tensor(1), tensor(0)] as const),
 * );
 * const [x, n] = await firstPowerOver.async(tensor(100));
 * console.log(await x.itemAsync(), await n.itemAsync()); // 128 7
 * ```
 */
export function whileLoop<C>(
  cond: (carry: C) => Tensor,
  body: (carry: C) => C,
  init: C,
  options: WhileLoopOptions = {},
): C {
  const maxIterations = maxIterationsOf('whileLoop', options);
  const [leaves, def] = flatten(init);
  const avals = leaves.map((l) => l.aval);
  const staged = stageBody(avals, (flat) => {
    const pred: unknown = cond(unflatten<C>(def, flat));
    if (!isTensor(pred) || pred.dtype !== 'bool' || pred.ndim !== 0)
      throw new Error(`whileLoop: cond must return a bool scalar tensor, got ${describe(pred)}`);
    return [pred];
  });
  const stagedBody = stageBody(avals, (flat) => {
    const [next, nextDef] = flatten(body(unflatten<C>(def, flat)));
    if (
      countLeaves(nextDef) !== leaves.length ||
      !treeEqual(nextDef, def) ||
      next.some((t, i) => !sameAval(t.aval, avals[i]!))
    )
      throw new Error(
        `whileLoop: body must keep the carry's structure, shapes and dtypes: got ${next.map((t) => t.describe()).join(', ')} for ${leaves.map((t) => t.describe()).join(', ')}`,
      );
    return next;
  });
  const outs = bind('while', [...staged.consts, ...stagedBody.consts, ...leaves], {
    cond: staged.body,
    body: stagedBody.body,
    numCondConsts: staged.consts.length,
    numBodyConsts: stagedBody.consts.length,
    maxIterations,
  } satisfies WhileParams);
  return unflatten<C>(def, outs);
}
