import type { Backend, FusedKernel } from '../backends/backend.ts';
import type { Aval } from '../core/aval.ts';
import { formatShape, sizeOf } from '../core/aval.ts';
import { currentBackend } from '../core/backend-registry.ts';
import { allocArray } from '../core/dtype.ts';
import { fromHost, registerImpl, wrapBuffer } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import { countLeaves, flatten, unflatten } from '../core/pytree.ts';
import { withOwnedScope } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Params } from '../core/trace.ts';
import { bind } from '../core/trace.ts';
import type { Checked } from '../shapes/dim.ts';
import { registerBatchRule, vmapFlat } from './batching.ts';
import type {
  CarryCheck,
  ScanLength,
  ScanOptions,
  Sliced,
  Stacked,
  XsCheck,
  XsDimsCheck,
} from './scan-types.ts';

export type { ScanOptions, Sliced, Stacked } from './scan-types.ts';

import { withCpuFusion } from './install-fusion.ts';
import type { Jaxpr, Var } from './jaxpr.ts';
import { evalJaxpr, registerAbstractEval, stage } from './jaxpr.ts';
import { jvpFlat, registerJvpRule } from './jvp.ts';
import { padSumsToConcat } from './pad-concat.ts';
import { deadCodeFree, hoistAccumulators, hoistedTotal } from './scan-hoist.ts';
import { bindScan } from './scan-precompute.ts';
import { chooseRemat } from './scan-remat.ts';
import { backwardPass, registerTransposeRule } from './transpose.ts';
import type { LinearArg } from './transpose-rules.ts';
import { UndefPrimal } from './transpose-rules.ts';
import { instantiate, type MaybeZero, Zero } from './zero.ts';

/**
 * `scan` keeps its loop in the program: one `scan` primitive whose body is a program
 * (consts, carry, x) -> (carry, y). Its jvp splits into a primal scan that also emits
 * residuals and a linear tangent scan; the tangent scan transposes into a reversed scan.
 * So an LSTM over 100 steps is one primitive under jit, grad and vmap alike.
 */
export interface ScanParams {
  readonly body: Jaxpr; // inVars: consts, carry, x; outVars: carry, y; no constVars
  readonly numConsts: number;
  readonly numCarry: number;
  readonly length: number;
  readonly reverse: boolean;
}

const P = (params: Params) => params as unknown as ScanParams;

/** Stages a flat body function into a closed-over-nothing program (its constants become leading inputs). */
export function stageBody(
  avals: readonly Aval[],
  fn: (args: Tensor[]) => readonly Tensor[],
): { body: Jaxpr; consts: readonly Tensor[] } {
  const closed = stage('scan', avals, fn, { dynamic: true });
  const j = closed.jaxpr;
  return {
    body: { constVars: [], inVars: [...j.constVars, ...j.inVars], eqns: j.eqns, outVars: j.outVars },
    consts: closed.consts,
  };
}

const sliceAval = (a: Aval): Aval => ({ shape: a.shape.slice(1), dtype: a.dtype });
const stackAval = (a: Aval, n: number): Aval => ({ shape: [n, ...a.shape], dtype: a.dtype });

/** Fusion plans of loop bodies (scan's, whileLoop's), per body and backend (made on a body's first concrete run). */
const bodyPlans = new WeakMap<Jaxpr, WeakMap<Backend, readonly FusedKernel[]>>();

export function planFor(body: Jaxpr, backend: Backend): readonly FusedKernel[] {
  if (!backend.fuse) return [];
  const plans = bodyPlans.get(body) ?? new WeakMap<Backend, readonly FusedKernel[]>();
  bodyPlans.set(body, plans);
  withCpuFusion();
  const plan = plans.get(backend) ?? backend.fuse(body);
  plans.set(backend, plan);
  return plan;
}

/** Whether `t` lives on `backend` (views and in-place writes need the buffer itself). */
const onBackend = (t: Tensor, backend: Backend) => t._storage?.backend === backend && !t._storage.freed;

/** Step i's slice of x: a view of its buffer where the backend offers one, else a gather. */
function sliceAt(x: Tensor, i: number, backend: Backend): Tensor {
  const aval = sliceAval(x.aval);
  const size = sizeOf(aval.shape);
  if (backend.view && onBackend(x, backend))
    return wrapBuffer(backend, aval, backend.view(x._storage!.buffer, x.dtype, i * size, size));
  return lax.gather(x, fromHost(Int32Array.of(i), { shape: [], dtype: 'i32' }, 'scan'), 0);
}

/** Stacked outputs: written in place step by step where the backend can, else concatenated at the end. */
class Stack {
  private readonly parts: Tensor[] = [];
  private readonly out: Tensor | undefined;
  constructor(
    private readonly aval: Aval,
    private readonly length: number,
    private readonly backend: Backend,
  ) {
    if (backend.writeInto && length > 0) {
      // Every step writes its part; a backend's fill (the CPU's from its buffer pool) spares
      // the host array and its copy that an upload would make.
      const n = sizeOf(aval.shape) * length;
      const buffer = backend.fill
        ? backend.fill(aval.dtype, n, 0)
        : backend.upload(allocArray(aval.dtype, n), aval.dtype);
      this.out = wrapBuffer(backend, stackAval(aval, length), buffer);
    }
  }

  /** Takes step i's output (and disposes it when it was copied in). */
  put(i: number, y: Tensor, keep: boolean): void {
    const size = sizeOf(this.aval.shape);
    if (this.out && onBackend(y, this.backend)) {
      this.backend.writeInto!(this.out._storage!.buffer, y._storage!.buffer, y.dtype, i * size, size);
      if (!keep) y.dispose();
      return;
    }
    this.parts[i] = lax.reshape(y, [1, ...(y.shape as readonly number[])]);
  }

  result(): Tensor {
    if (this.length === 0) return lax.zerosLike(stackAval(this.aval, 0));
    if (this.parts.length === 0) return this.out!;
    // Some steps' outputs lived elsewhere: stack every step the general way.
    this.out?.dispose();
    const out = lax.concatenate(this.parts, 0);
    for (const p of this.parts) if (p !== out) p.dispose();
    return out;
  }
}

function scanImpl(args: readonly Tensor[], params: Params): Tensor[] {
  const { body, numConsts, numCarry, length, reverse } = P(params);
  const backend = currentBackend();
  const plan = planFor(body, backend);
  const consts = args.slice(0, numConsts);
  let carry = args.slice(numConsts, numConsts + numCarry);
  const xs = args.slice(numConsts + numCarry);
  const ys = body.outVars.slice(numCarry).map((v) => new Stack(v.aval, length, backend));
  for (let step = 0; step < length; step++) {
    const i = reverse ? length - 1 - step : step;
    const outs = withOwnedScope(
      () => {
        const slices = xs.map((x) => sliceAt(x, i, backend));
        // A body that returns its x slice as is must not hand out a view of xs.
        return evalJaxpr(body, [], [...consts, ...carry, ...slices], plan).map((o) =>
          slices.includes(o) ? lax.reshape(o, o.shape as readonly number[]) : o,
        );
      },
      (o) => o,
    );
    const prevCarry = carry;
    carry = outs.slice(0, numCarry);
    for (const c of prevCarry) if (!args.includes(c) && !outs.includes(c)) c.dispose();
    const stepYs = outs.slice(numCarry);
    stepYs.forEach((y, k) => {
      // An output that is also a carry, an input or a later output stays alive.
      const shared = args.includes(y) || carry.includes(y) || stepYs.indexOf(y, k + 1) >= 0;
      ys[k]!.put(i, y, shared);
    });
  }
  return [...carry, ...ys.map((s) => s.result())];
}

registerImpl('scan', scanImpl);
registerAbstractEval('scan', (_inputs, params) => {
  const { body, numCarry, length } = P(params);
  return body.outVars.map((v, i) => (i < numCarry ? v.aval : stackAval(v.aval, length)));
});

// ---- jvp: a primal scan emitting residuals, and a linear tangent scan ----

/** Splits a program into the part computable from `known` inputs and the rest. */
function partialEval(j: Jaxpr, knownIn: readonly boolean[]) {
  const known = new Set<Var>(j.inVars.filter((_, i) => knownIn[i]));
  const knownEqns = [];
  const unknownEqns = [];
  for (const e of j.eqns) {
    if (e.inputs.every((v) => known.has(v))) {
      knownEqns.push(e);
      for (const o of e.outs) known.add(o);
    } else unknownEqns.push(e);
  }
  const unknownIn = new Set<Var>(j.inVars.filter((_, i) => !knownIn[i]));
  const residuals: Var[] = [];
  const need = (v: Var) => {
    if (known.has(v) && !unknownIn.has(v) && !residuals.includes(v)) residuals.push(v);
  };
  for (const e of unknownEqns) e.inputs.forEach(need);
  return { known, knownEqns, unknownEqns, residuals, need };
}

/**
 * The body's jvp staged over (primals, the tangents of the inputs marked in `nz`): inputs
 * with symbolic-zero tangents (often xs, the data) get no tangent input, so the tangent
 * scan does no work for them. Carries start marked where their initial tangent is nonzero
 * and are marked as well when a step makes their tangent nonzero (a fixpoint, as JAX's).
 */
function stageBodyJvp(body: Jaxpr, numConsts: number, numCarry: number, initial: readonly boolean[]) {
  const n = body.inVars.length;
  const inAvals = body.inVars.map((v) => v.aval);
  let nz = [...initial];
  for (;;) {
    const nzIdx = range(n).filter((i) => nz[i]);
    let carryOutNz: boolean[] = [];
    let ysNz: boolean[] = [];
    const staged = stageBody([...inAvals, ...nzIdx.map((i) => inAvals[i]!)], (args) => {
      const tin: MaybeZero[] = inAvals.map((a) => new Zero(a));
      nzIdx.forEach((i, j) => {
        tin[i] = args[n + j]!;
      });
      const [outs, touts] = jvpFlat((xs) => evalJaxpr(body, [], xs), args.slice(0, n), tin);
      carryOutNz = touts.slice(0, numCarry).map((t) => !(t instanceof Zero));
      ysNz = touts.slice(numCarry).map((t) => !(t instanceof Zero));
      const carryT = touts.slice(0, numCarry).filter((_, k) => nz[numConsts + k]);
      const ysT = touts.slice(numCarry).filter((t) => !(t instanceof Zero));
      return [...outs, ...carryT.map(instantiate), ...ysT.map(instantiate)];
    });
    const grown = nz.map(
      (v, i) => v || (i >= numConsts && i < numConsts + numCarry && carryOutNz[i - numConsts]!),
    );
    if (grown.every((v, i) => v === nz[i])) return { ...staged, nzIdx, ysNz };
    nz = grown;
  }
}

registerJvpRule('scan', (primals, tangents, params) => {
  const { body, numConsts, numCarry, length, reverse } = P(params);
  const n = primals.length;
  const isCarry = (i: number) => i >= numConsts && i < numConsts + numCarry;
  const {
    body: jb,
    consts: jconsts,
    nzIdx,
    ysNz,
  } = stageBodyJvp(
    body,
    numConsts,
    numCarry,
    tangents.map((t) => !(t instanceof Zero)),
  );
  const nc = jconsts.length;
  const nOut = body.outVars.length;
  // Inputs of jb: [jconsts, primals (consts, carry, x), tangents of nzIdx (consts, carry, x)].
  const pe = partialEval(
    jb,
    jb.inVars.map((_, i) => i < nc + n),
  );
  const tangentOuts = jb.outVars.slice(nOut);
  tangentOuts.forEach(pe.need);
  // Residuals that are loop-invariant inputs (consts: the weights) go to the tangent scan as
  // consts, and those that are an xs slice as the xs itself: only values computed per step
  // are stacked by the primal scan (restacking a weight matrix per step cost a copy per step
  // and defeated the backend's cache of packed weights).
  const primalIn = jb.inVars.slice(0, nc + n);
  const primalArgs = [...jconsts, ...primals];
  const isConstIn = (i: number) => i >= 0 && i < nc + numConsts;
  const isXsIn = (i: number) => i >= nc + numConsts + numCarry && i < nc + n;
  const resConst = pe.residuals.filter((v) => isConstIn(primalIn.indexOf(v)));
  const resXs = pe.residuals.filter((v) => isXsIn(primalIn.indexOf(v)));
  const computed = pe.residuals.filter((v) => !resConst.includes(v) && !resXs.includes(v));
  // Cheap elementwise residuals are recomputed by the tangent scan, not stacked (scan-remat.ts).
  const remat = chooseRemat(pe.knownEqns, computed, pe.residuals, {
    isStepInput: (v) => isConstIn(primalIn.indexOf(v)) || isXsIn(primalIn.indexOf(v)),
  });
  resConst.push(...remat.inputs.filter((v) => isConstIn(primalIn.indexOf(v))));
  resXs.push(...remat.inputs.filter((v) => isXsIn(primalIn.indexOf(v))));
  const resStep = computed.filter((v) => !remat.recomputed.has(v));
  const inputOf = (v: Var) => primalArgs[primalIn.indexOf(v)]!;
  // Primal scan: consts = [jconsts, consts]; carry; xs; outs = carry, ys, per-step residuals (as ys).
  const primalBody = deadCodeFree({
    constVars: [],
    inVars: primalIn,
    eqns: pe.knownEqns,
    outVars: [...jb.outVars.slice(0, nOut), ...resStep],
  });
  const primalOuts = bindScan(primalArgs, {
    body: primalBody,
    numConsts: nc + numConsts,
    numCarry,
    length,
    reverse,
  } satisfies ScanParams);
  const outs = primalOuts.slice(0, nOut);
  const resStacked = primalOuts.slice(nOut);
  // Tangent scan: consts = [marked tangent consts, const residuals]; carry = marked tangent
  // carries; xs = [marked tangent xs, xs residuals, per-step residuals].
  const numTConsts = nzIdx.filter((i) => i < numConsts).length;
  const tCarry = nzIdx.filter(isCarry);
  const tangentIn = jb.inVars.slice(nc + n);
  const tangentBody: Jaxpr = {
    constVars: [],
    inVars: [
      ...tangentIn.slice(0, numTConsts),
      ...resConst,
      ...tangentIn.slice(numTConsts),
      ...resXs,
      ...resStep,
    ],
    eqns: [...remat.eqns, ...pe.unknownEqns],
    outVars: tangentOuts,
  };
  const tangentArgs = nzIdx.map((i) => instantiate(tangents[i]!));
  const tangentVals = bindScan(
    [
      ...tangentArgs.slice(0, numTConsts),
      ...resConst.map(inputOf),
      ...tangentArgs.slice(numTConsts),
      ...resXs.map(inputOf),
      ...resStacked,
    ],
    {
      body: tangentBody,
      numConsts: numTConsts + resConst.length,
      numCarry: tCarry.length,
      length,
      reverse,
    } satisfies ScanParams,
  );
  let k = 0;
  const tangentOutsVals: MaybeZero[] = outs.map((o, j) => {
    const marked = j < numCarry ? tCarry.includes(numConsts + j) : ysNz[j - numCarry];
    return marked ? tangentVals[k++]! : new Zero(o.aval);
  });
  return [outs, tangentOutsVals];
});

// ---- transpose of a scan linear in its tangent consts, carry and tangent xs ----

registerTransposeRule('scan', (cts, args, params) => {
  const { body, numConsts, numCarry, length, reverse } = P(params);
  const constsIdx = range(numConsts);
  const carryIdx = range(numCarry, numConsts);
  const xsIdx = range(args.length - numConsts - numCarry, numConsts + numCarry);
  // A tangent scan's carry is linear even where its initial value is a known zero.
  const isLin = args.map((a, i) => a instanceof UndefPrimal || carryIdx.includes(i));
  const knownConsts = constsIdx.filter((i) => !isLin[i]);
  const linConsts = constsIdx.filter((i) => isLin[i]);
  const knownXs = xsIdx.filter((i) => !isLin[i]);
  const linXs = xsIdx.filter((i) => isLin[i]);
  const aval = (i: number) => args[i]!.aval;
  const numYs = body.outVars.length - numCarry;
  const ctCarry = cts.slice(0, numCarry).map(instantiate);
  const ctYs = cts.slice(numCarry).map(instantiate);
  // Transposed body: consts = known consts; carry = [ct carry, const-ct accumulators]; xs = [ct ys, known xs].
  const tAvals = [
    ...knownConsts.map(aval),
    ...carryIdx.map(aval),
    ...linConsts.map(aval),
    ...range(numYs).map((k) => body.outVars[numCarry + k]!.aval),
    ...knownXs.map((i) => sliceAval(aval(i))),
  ];
  const { body: tb, consts: tconsts } = stageBody(tAvals, (flat) => {
    let k = 0;
    const take = (m: number) => {
      const part = flat.slice(k, k + m);
      k += m;
      return part;
    };
    const kc = take(knownConsts.length);
    const ctc = take(numCarry);
    const acc = take(linConsts.length);
    const cty = take(numYs);
    const kx = take(knownXs.length);
    const bodyArgs: LinearArg[] = args.map((a, i) => {
      if (isLin[i]) return new UndefPrimal(i >= numConsts + numCarry ? sliceAval(a.aval) : a.aval);
      const ci = knownConsts.indexOf(i);
      return ci >= 0 ? kc[ci]! : kx[knownXs.indexOf(i)]!;
    });
    const inCts = backwardPass(body, [], bodyArgs, [...ctc, ...cty]).map(instantiate);
    return [
      ...carryIdx.map((i) => inCts[i]!),
      ...linConsts.map((i, j) => lax.add(acc[j]!, inCts[i]!)),
      ...linXs.map((i) => inCts[i]!),
    ];
  });
  // Weight-gradient sums whose per-step term is a product or a reduction leave the loop
  // (scan-hoist.ts): the loop emits their factors, one product over the stack follows.
  const numTConsts = tconsts.length + knownConsts.length;
  const { body: hb, hoisted } = hoistAccumulators(padSumsToConcat(tb), {
    accIn: numTConsts + numCarry,
    numAcc: linConsts.length,
    accOut: numCarry,
    xsIn: numTConsts + numCarry + linConsts.length,
    constsEnd: numTConsts,
  });
  const hoistedAt = (j: number) => hoisted.find((h) => h.acc === j);
  const keptAcc = linConsts.filter((_, j) => !hoistedAt(j));
  const xsArgs = [...ctYs, ...knownXs.map((i) => args[i] as Tensor)];
  const outs = bindScan(
    [
      ...tconsts,
      ...knownConsts.map((i) => args[i] as Tensor),
      ...ctCarry,
      ...keptAcc.map((i) => lax.zerosLike(aval(i))),
      ...xsArgs,
    ],
    {
      body: hb,
      numConsts: numTConsts,
      numCarry: numCarry + keptAcc.length,
      length,
      reverse: !reverse,
    } satisfies ScanParams,
  );
  const factorYs = outs.slice(numCarry + keptAcc.length + linXs.length);
  const result: (Tensor | null)[] = args.map(() => null);
  carryIdx.forEach((i, j) => {
    if (args[i] instanceof UndefPrimal) result[i] = outs[j]!;
  });
  linConsts.forEach((i, j) => {
    const h = hoistedAt(j);
    result[i] = h ? hoistedTotal(h, xsArgs, factorYs) : outs[numCarry + keptAcc.indexOf(i)]!;
  });
  linXs.forEach((i, j) => {
    result[i] = outs[numCarry + keptAcc.length + j]!;
  });
  return result;
});

// ---- batching: everything batched at the front (xs just behind the scan axis) ----

registerBatchRule('scan', (args, dims, params) => {
  const { body, numConsts, numCarry, length, reverse } = P(params);
  const size = batchSize(args, dims);
  const moved = args.map((a, i) => moveBatchDim(a, dims[i]!, i >= numConsts + numCarry ? 1 : 0, size));
  const inAvals = body.inVars.map((v) => ({ shape: [size, ...v.aval.shape], dtype: v.aval.dtype }));
  const { body: bb, consts } = stageBody(inAvals, (xs) =>
    vmapFlat(
      (ys) => evalJaxpr(body, [], ys),
      xs,
      xs.map(() => 0),
      0,
      size,
    ),
  );
  const outs = bind('scan', [...consts, ...moved], {
    body: bb,
    numConsts: consts.length + numConsts,
    numCarry,
    length,
    reverse,
  } satisfies ScanParams);
  return [outs, outs.map((_, i) => (i < numCarry ? 0 : 1))];
});

/** The mapped size of a batched primitive's arguments (read off the first batched one). */
export function batchSize(args: readonly Tensor[], dims: readonly (number | null)[]): number {
  const i0 = dims.findIndex((d) => d !== null);
  return args[i0]!.shape[dims[i0]!] as number;
}

/** `x` with its batch dim `d` moved to axis `at`, or broadcast there (size `size`) when unbatched. */
export function moveBatchDim(x: Tensor, d: number | null, at: number, size: number): Tensor {
  if (d === null) {
    const shape = [...(x.shape as readonly number[])];
    shape.splice(at, 0, size);
    return lax.broadcastInDim(
      x,
      shape,
      x.shape.map((_, k) => (k < at ? k : k + 1)),
    );
  }
  const perm = range(x.ndim).filter((k) => k !== d);
  perm.splice(at, 0, d);
  return lax.transpose(x, perm);
}

export function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

/**
 * `scan(f, init, xs)`: `carry = init`; for each slice `x` of `xs` along axis 0,
 * `[carry, y] = f(carry, x)`; returns `[final carry, ys stacked along axis 0]`. Carry, x and y
 * may be pytrees; `xs` may be null with `length` given. The loop stays one primitive under
 * `jit`, `grad` and `vmap` (an LSTM over 100 steps is one loop, not 100 copies).
 *
 * @param f - The step: `(carry, x) => [carry, y]`; the carry keeps its shapes.
 * @param init - The initial carry.
 * @param xs - The sequence: tensor leaves of a common leading dim T (or null).
 * @param opts - `length` and `reverse`.
 * @returns `[final carry, ys]`, each leaf of ys `[T, ...y's shape]`.
 *
 * @example
 * ```ts
 * import { add, scan, tensor } from 'typegrad';
 * const [total, running] = scan(
 *   (c, x) => {
 *     const s = add(c, x);
 *     return [s, s] as const;
 *   },
 *   tensor(0),
 *   tensor([1, 2, 3]),
 * );
 * console.log(total.item(), running.toArray()); // 6 [1, 3, 6]
 * ```
 */
export function scan<C, X, Y, const O extends ScanOptions = {}, XP = Sliced<X>, NewC = C>(
  f: (carry: C, x: XP) => readonly [NewC, Y],
  init: Checked<C, CarryCheck<C, NewC>>,
  xs: Checked<X, XsDimsCheck<X, XP>, XsCheck<X, XP>>,
  opts: O = {} as O,
): [C, Stacked<Y, ScanLength<X, O>>] {
  checkOptions('scan', opts, optionKeys<ScanOptions>({ length: true, reverse: true }));
  const [carryLeaves, carryDef] = flatten(init);
  const [xLeaves, xDef] = flatten(xs);
  const lengths = new Set(xLeaves.map((x) => (x.ndim === 0 ? -1 : (x.shape[0] as number))));
  if (lengths.has(-1)) throw new Error('scan: every xs leaf needs a leading axis to scan over');
  if (opts.length !== undefined) {
    if (typeof opts.length !== 'number' || !Number.isSafeInteger(opts.length) || opts.length < 0)
      throw new Error(`scan: length must be a non-negative integer, got ${String(opts.length)}`);
    lengths.add(opts.length);
  }
  if (lengths.size > 1) throw new Error(`scan: xs leading axes disagree: ${[...lengths].join(', ')}`);
  if (lengths.size === 0) throw new Error('scan: give xs or a length');
  const length = [...lengths][0]!;
  let yDef = flatten(undefined)[1];
  const numCarry = carryLeaves.length;
  const { body, consts } = stageBody(
    [...carryLeaves.map((c) => c.aval), ...xLeaves.map((x) => sliceAval(x.aval))],
    (flat) => {
      const carry = unflatten<C>(carryDef, flat.slice(0, numCarry));
      const x = unflatten<Sliced<X>>(xDef, flat.slice(numCarry));
      const [newCarry, y] = f(carry, x as XP);
      const [newLeaves, newDef] = flatten(newCarry);
      if (
        countLeaves(newDef) !== numCarry ||
        newLeaves.some((t, i) => !sameAval(t.aval, carryLeaves[i]!.aval))
      )
        throw new Error(
          `scan: the carry must keep its structure, shapes and dtypes: got ${newLeaves.map((t) => t.describe()).join(', ')} for ${carryLeaves.map((t) => t.describe()).join(', ')}`,
        );
      const [yLeaves, d] = flatten(y);
      yDef = d;
      return [...newLeaves, ...yLeaves];
    },
  );
  const outs = bindScan([...consts, ...carryLeaves, ...xLeaves], {
    body,
    numConsts: consts.length,
    numCarry,
    length,
    reverse: opts.reverse ?? false,
  } satisfies ScanParams);
  return [unflatten<C>(carryDef, outs.slice(0, numCarry)), unflatten<never>(yDef, outs.slice(numCarry))];
}

function sameAval(a: Aval, b: Aval): boolean {
  return a.dtype === b.dtype && formatShape(a.shape) === formatShape(b.shape);
}
