/**
 * Precomputing the carry-free part of a scan body over the whole sequence, before the loop.
 * An RNN step's input projection `x_t·W_x` reads only the step's slice of xs and
 * loop-invariant weights: the T small products of the loop (depth F, B rows each) are one
 * product over the stacked slices, [T·B, F]·[F, 4H], whose rows the loop then reads as a
 * new xs. The same holds for every transform's scan: the tangent scan's `h_t·dW_h` (h_t a
 * stacked residual) leaves the loop likewise, and its transpose becomes the weight gradient
 * as one product after the backward loop.
 *
 * Which equations leave: those whose inputs do not depend on the carry, when at least one
 * of them is a product (`dot_general`, `conv_general`), which is what pays for the stack it
 * writes; with them, the carry-free equations they read, and carry-free equations fed by
 * them that make no larger value (the bias added to the projection). What the remaining
 * loop reads of them becomes its xs, stacked by `vmap` of the precomputed part over T.
 */
import { isBackendPrim } from '../core/eval.ts';
import type { Tensor } from '../core/tensor.ts';
import { bind } from '../core/trace.ts';
import { vmapFlat } from './batching.ts';
import type { Eqn, Jaxpr, Var } from './jaxpr.ts';
import { evalJaxpr } from './jaxpr.ts';
import type { ScanParams } from './scan.ts';
import { deadCodeFree } from './scan-hoist.ts';

/** A scan body's layout: consts, then carry, then xs slices among its inputs. */
export interface BodyLayout {
  readonly numConsts: number;
  readonly numCarry: number;
}

/** The body split into a precomputed part and the loop that remains. */
export interface Precompute {
  /**
   * The carry-free part: inputs are `consts` (of the body's consts) then `xs` (of the
   * body's xs slices), outputs are per-step values the loop reads, or the body returns.
   */
  readonly pre: Jaxpr;
  /** Indices into the body's consts that `pre` reads, in its input order. */
  readonly preConsts: readonly number[];
  /** Indices into the body's xs that `pre` reads, after the consts. */
  readonly preXs: readonly number[];
  /**
   * The loop's body: inputs are the kept consts, the carry, the kept xs, then one slice per
   * output of `pre` that it reads; outputs are the carry then the ys it still computes.
   */
  readonly body: Jaxpr;
  readonly keptConsts: readonly number[];
  readonly keptXs: readonly number[];
  /** Indices into `pre`'s outputs that the loop reads as xs (after the kept xs). */
  readonly preAsXs: readonly number[];
  /**
   * Per ys output of the original body: the loop's ys output index it now is (`loop`), or
   * the output of `pre` that it is, stacked as it comes out of the precomputation (`pre`).
   */
  readonly ys: readonly ({ readonly loop: number } | { readonly pre: number })[];
}

const PRODUCTS = new Set(['dot_general', 'conv_general']);
const sizeOf = (v: Var) => v.aval.shape.reduce((a, d) => a * (d as number), 1);

/**
 * Splits `body` into the carry-free products (and what they read and feed) and the rest;
 * undefined when no product is carry-free.
 *
 * @example
 * const split = splitCarryFree(body, { numConsts: 3, numCarry: 2 }); // x·W_x leaves an LSTM step
 */
export function splitCarryFree(body: Jaxpr, layout: BodyLayout): Precompute | undefined {
  const { numConsts, numCarry } = layout;
  const ins = body.inVars;
  // Per var: depends on the carry, on xs (and maybe consts), or on consts alone.
  const kind = new Map<Var, 'carry' | 'xs' | 'const'>();
  ins.forEach((v, i) => {
    kind.set(v, i < numConsts ? 'const' : i < numConsts + numCarry ? 'carry' : 'xs');
  });
  const producer = new Map<Var, Eqn>();
  const eqnKind = new Map<Eqn, 'carry' | 'xs' | 'const'>();
  for (const e of body.eqns) {
    const ks = e.inputs.map((v) => kind.get(v));
    // A structured primitive (a nested loop, a custom derivative) stays in the loop, with
    // everything it feeds: only backend primitives are sure to have batching rules.
    const k = ks.includes('carry') || !isBackendPrim(e.prim) ? 'carry' : ks.includes('xs') ? 'xs' : 'const';
    eqnKind.set(e, k);
    for (const o of e.outs) {
      kind.set(o, k);
      producer.set(o, e);
    }
  }
  const products = body.eqns.filter((e) => eqnKind.get(e) === 'xs' && PRODUCTS.has(e.prim));
  if (products.length === 0) return undefined;
  // The products and every equation they read (all carry-free).
  const pre = new Set<Eqn>();
  const pull = (e: Eqn) => {
    if (pre.has(e)) return;
    pre.add(e);
    for (const v of e.inputs) {
      const p = producer.get(v);
      if (p) pull(p);
    }
  };
  products.forEach(pull);
  // Carry-free equations they feed, where the value does not grow (a bias add, an activation).
  const available = (v: Var) => {
    const p = producer.get(v);
    return p ? pre.has(p) || eqnKind.get(p) === 'const' : kind.get(v) !== 'carry';
  };
  for (const e of body.eqns) {
    if (pre.has(e) || eqnKind.get(e) !== 'xs' || e.outs.length !== 1) continue;
    if (!e.inputs.every(available)) continue;
    if (sizeOf(e.outs[0]!) > Math.max(...e.inputs.map(sizeOf))) continue;
    if (!e.inputs.some((v) => pre.has(producer.get(v)!))) continue;
    pull(e);
  }
  const preEqns = body.eqns.filter((e) => pre.has(e));
  // Loop-invariant equations the loop also reads run in both (a broadcast is not restacked).
  const loopEqns = deadCodeFree({
    ...body,
    eqns: body.eqns.filter((e) => !pre.has(e) || eqnKind.get(e) === 'const'),
  }).eqns;
  // What the loop (or the body's outputs) reads of the precomputed per-step values.
  const read = new Set<Var>(body.outVars);
  for (const e of loopEqns) for (const v of e.inputs) read.add(v);
  const preOuts: Var[] = [];
  for (const e of preEqns)
    if (eqnKind.get(e) === 'xs') for (const o of e.outs) if (read.has(o)) preOuts.push(o);
  const preRead = new Set<Var>();
  for (const e of preEqns) for (const v of e.inputs) preRead.add(v);
  const constIdx = (pred: (v: Var) => boolean) => range(numConsts).filter((i) => pred(ins[i]!));
  const xsIdx = (pred: (v: Var) => boolean) =>
    range(ins.length - numConsts - numCarry).filter((i) => pred(ins[numConsts + numCarry + i]!));
  const preConsts = constIdx((v) => preRead.has(v));
  const preXs = xsIdx((v) => preRead.has(v));
  // The loop's ys: those that are precomputed values come out of `pre` stacked instead.
  const ysVars = body.outVars.slice(numCarry);
  const loopYs: Var[] = [];
  const ys = ysVars.map((v) => {
    const at = preOuts.indexOf(v);
    if (at >= 0) return { pre: at };
    loopYs.push(v);
    return { loop: loopYs.length - 1 };
  });
  const loopRead = new Set<Var>([...body.outVars.slice(0, numCarry), ...loopYs]);
  for (const e of loopEqns) for (const v of e.inputs) loopRead.add(v);
  const keptConsts = constIdx((v) => loopRead.has(v));
  const keptXs = xsIdx((v) => loopRead.has(v));
  const preAsXs = range(preOuts.length).filter((i) => loopRead.has(preOuts[i]!));
  const at = (i: number) => ins[i]!;
  return {
    pre: {
      constVars: [],
      inVars: [...preConsts.map(at), ...preXs.map((i) => at(numConsts + numCarry + i))],
      eqns: preEqns,
      outVars: preOuts,
    },
    preConsts,
    preXs,
    body: {
      constVars: [],
      inVars: [
        ...keptConsts.map(at),
        ...ins.slice(numConsts, numConsts + numCarry),
        ...keptXs.map((i) => at(numConsts + numCarry + i)),
        ...preAsXs.map((i) => preOuts[i]!),
      ],
      eqns: loopEqns,
      outVars: [...body.outVars.slice(0, numCarry), ...loopYs],
    },
    keptConsts,
    keptXs,
    preAsXs,
    ys,
  };
}

/** Whether `bindScan` precomputes carry-free products (off only to compare against, in tests). */
let precompute = true;

/**
 * Runs `fn` with the carry-free precomputation of `bindScan` off (scans bound inside it
 * keep every product in the loop), for tests comparing the two.
 *
 * @example
 * const kept = withoutPrecompute(() => grad(loss)(params, xs));
 */
export function withoutPrecompute<R>(fn: () => R): R {
  const was = precompute;
  precompute = false;
  try {
    return fn();
  } finally {
    precompute = was;
  }
}

/**
 * Binds a scan whose carry-free products run before the loop, over all steps at once
 * (scan-precompute.ts): that part of the body is mapped over the stacked xs with `vmap`,
 * and the loop reads its per-step values as xs. Same outputs as `bind('scan', …)`.
 *
 * @example
 * const [h, ys] = bindScan([w, h0, xs], { body, numConsts: 1, numCarry: 1, length: 32, reverse: false });
 */
export function bindScan(args: readonly Tensor[], params: ScanParams): Tensor[] {
  const { body, numConsts, numCarry, length } = params;
  const split = precompute && length > 0 ? splitCarryFree(body, { numConsts, numCarry }) : undefined;
  if (!split) return bindDeduped(args, params);
  const consts = args.slice(0, numConsts);
  const carry = args.slice(numConsts, numConsts + numCarry);
  const xs = args.slice(numConsts + numCarry);
  const preIn = [...split.preConsts.map((i) => consts[i]!), ...split.preXs.map((i) => xs[i]!)];
  const pre = vmapFlat(
    (a) => evalJaxpr(split.pre, [], a),
    preIn,
    preIn.map((_, i) => (i < split.preConsts.length ? null : 0)),
    0,
    length,
  );
  const outs = bindDeduped(
    [
      ...split.keptConsts.map((i) => consts[i]!),
      ...carry,
      ...split.keptXs.map((i) => xs[i]!),
      ...split.preAsXs.map((i) => pre[i]!),
    ],
    { ...params, body: split.body, numConsts: split.keptConsts.length },
  );
  return [
    ...outs.slice(0, numCarry),
    ...split.ys.map((y) => ('pre' in y ? pre[y.pre]! : outs[numCarry + y.loop]!)),
  ];
}

/**
 * Binds a scan whose ys outputs name each body value once: a value returned as several ys
 * (a transposed scan's gate cotangent, read by the input, weight and bias gradients) is
 * stacked once and handed out for each.
 */
function bindDeduped(args: readonly Tensor[], params: ScanParams): Tensor[] {
  const { body, numCarry } = params;
  const ys = body.outVars.slice(numCarry);
  const first = ys.map((v) => ys.indexOf(v));
  if (first.every((f, k) => f === k)) return bind('scan', args, { ...params });
  const unique = ys.filter((_, k) => first[k] === k);
  const outs = bind('scan', args, {
    ...params,
    body: { ...body, outVars: [...body.outVars.slice(0, numCarry), ...unique] },
  });
  return [...outs.slice(0, numCarry), ...first.map((f) => outs[numCarry + unique.indexOf(ys[f]!)]!)];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
