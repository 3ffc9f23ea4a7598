import { getBackend, setBackend } from '../core/backend-registry.ts';
import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import { flatten, unflatten } from '../core/pytree.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';
import { threefryBits } from '../random/threefry.ts';
import { jvp } from '../transforms/api.ts';
import { scope } from '../transforms/scope-api.ts';
import { vjp } from '../transforms/vjp.ts';

/**
 * `checkGrads(f, args, opts)`: compares typegrad's derivatives of `f` with central finite
 * differences, in f64 on the CPU backend.
 *
 * - Every float leaf of `args` (pytrees allowed) is copied to f64 and differentiated;
 *   integer and bool leaves are passed through unchanged (indices, masks).
 * - `fwd`: for `directions` random tangents v, `jvp(f)(x; v)` against
 *   `(f(x + eps v) - f(x - eps v)) / 2 eps`, element by element of the output.
 * - `rev`: for random cotangents u, the pullback `vjp(f)(x)(u)` against the
 *   finite-difference Jacobian: element by element of the inputs (`Jᵀu`) when the inputs
 *   have at most `maxJacobian` elements, otherwise `<vjp(u), v>` against `<u, FD(v)>`.
 * - `order: 2` also checks the derivatives of the derivative: `x -> jvp(f)(x; v)` and
 *   `x -> vjp(f)(x)(u)` are checked the same way (jvp-of-jvp, vjp-of-jvp, jvp-of-vjp,
 *   vjp-of-vjp), and so on for higher orders.
 *
 * A mismatch throws an Error naming the mode, the order, the worst element with its
 * index, the analytic and numeric values and the tolerance. Random directions come from
 * Threefry with `seed`, so a check is deterministic.
 */
export type GradMode = 'fwd' | 'rev';

export interface CheckGradsOptions {
  /** derivative order to check (1: f's derivatives; 2: also the derivatives of those) */
  readonly order?: number;
  /** which modes to check (default both, `['fwd', 'rev']`) */
  readonly modes?: readonly GradMode[];
  /** finite-difference step */
  readonly eps?: number;
  /** absolute tolerance: passes when |analytic - numeric| <= atol + rtol |numeric| */
  readonly atol?: number;
  /** relative tolerance (see `atol`) */
  readonly rtol?: number;
  /** random directions (tangents / cotangents) per mode */
  readonly directions?: number;
  /**
   * accept a check that compared nothing (an empty or integer-only case a property test
   * generates on purpose); by default that is an error, since it would read as a pass
   */
  readonly allowEmpty?: boolean;
  /** inputs up to this many elements get an element-wise reverse check against the FD Jacobian */
  readonly maxJacobian?: number;
  /** seed of the random directions */
  readonly seed?: number;
}

/** One check of a `checkGrads` report: a mode at an order. */
export interface CheckGradsEntry {
  /** forward (`jvp`) or reverse (`vjp`) mode */
  readonly mode: GradMode;
  /** the derivative order checked */
  readonly order: number;
  /** what was compared: 'elements' (output or input elements) or 'inner products' */
  readonly compared: 'output elements' | 'input elements' | 'inner products';
  /** how many values were compared */
  readonly count: number;
  /** largest |analytic - numeric| */
  readonly maxAbsError: number;
  /** largest |analytic - numeric| / (atol + rtol |numeric|): below 1 passes */
  readonly maxRatio: number;
}

/** What `checkGrads` returns when every check passes. */
export interface CheckGradsReport {
  /** the number of float input elements differentiated */
  readonly inputs: number;
  /** the number of float output elements compared */
  readonly outputs: number;
  /** one entry per check made (per mode, order and derivative path) */
  readonly checks: readonly CheckGradsEntry[];
  /** total number of compared values */
  readonly compared: number;
  /** the worst ratio over all checks (below 1) */
  readonly maxRatio: number;
}

type FlatFn = (xs: Tensor[]) => Tensor[];

interface Settings {
  readonly modes: readonly GradMode[];
  readonly eps: number;
  readonly atol: number;
  readonly rtol: number;
  readonly directions: number;
  readonly maxJacobian: number;
}

/** A deterministic stream of normal-ish numbers from Threefry (sum of uniforms, in [-3, 3]). */
class Directions {
  private counter = 0;
  constructor(private readonly seed: number) {}
  vector(n: number): Float64Array {
    const bits = threefryBits(this.seed | 0, 0x5eed, n * 4, this.counter++);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += bits[i * 4 + k]! / 2 ** 32;
      out[i] = (s - 2) * 1.5;
    }
    return out;
  }
}

const f64 = (data: Float64Array, shape: readonly number[]): Tensor =>
  fromHost(data, { shape: [...shape], dtype: 'f64' }, 'checkGrads');

const hostOf = (t: Tensor): Float64Array => Float64Array.from(t.dataSync() as ArrayLike<number>);

function formatIndex(shape: readonly number[], flat: number): string {
  const idx: number[] = [];
  let r = flat;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx.unshift(d === 0 ? 0 : r % d);
    r = d === 0 ? 0 : Math.floor(r / d);
  }
  return `[${idx.join(', ')}]`;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(8) : String(v));

interface Worst {
  ratio: number;
  abs: number;
  where: string;
  analytic: number;
  numeric: number;
}

class Comparison {
  count = 0;
  maxAbs = 0;
  worst: Worst | undefined;
  constructor(private readonly s: Settings) {}
  add(analytic: number, numeric: number, where: () => string): void {
    this.count++;
    const abs = Math.abs(analytic - numeric);
    const tol = this.s.atol + this.s.rtol * Math.abs(numeric);
    // NaN on either side fails (unless both are NaN at the same place).
    const ratio = Number.isNaN(analytic) !== Number.isNaN(numeric) ? Number.POSITIVE_INFINITY : abs / tol;
    const r = Number.isNaN(ratio) ? 0 : ratio;
    if (abs > this.maxAbs) this.maxAbs = abs;
    if (!this.worst || r > this.worst.ratio)
      this.worst = { ratio: r, abs, where: where(), analytic, numeric };
  }
}

/** Evaluates the flat function on host inputs; returns the host values of its float outputs. */
function evalHost(fn: FlatFn, inputs: Input[], values: readonly Float64Array[]): Float64Array[] {
  return scope(() => {
    const outs = fn(rebuild(inputs, values));
    return outs.map(hostOf);
  });
}

interface Input {
  readonly shape: readonly number[];
  /** the f64 host copy of a float leaf, or the tensor itself (not differentiated) */
  readonly fixed?: Tensor;
}

function rebuild(inputs: readonly Input[], values: readonly Float64Array[]): Tensor[] {
  let k = 0;
  return inputs.map((inp) => inp.fixed ?? f64(values[k++]!, inp.shape));
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

function describeLeaves(
  names: readonly string[],
  shapes: readonly (readonly number[])[],
  flat: number,
): string {
  let k = flat;
  for (let i = 0; i < shapes.length; i++) {
    const n = shapes[i]!.reduce((a, b) => a * b, 1);
    if (k < n) return `${names[i]}${formatIndex(shapes[i]!, k)}`;
    k -= n;
  }
  return `element ${flat}`;
}

/**
 * Checks a flat function of float f64 inputs `diff` (plus fixed non-float inputs) at
 * `point`; recurses into derivative functions for higher orders.
 */
function checkFlat(
  fn: FlatFn,
  inputs: readonly Input[],
  point: readonly Float64Array[],
  order: number,
  level: number,
  s: Settings,
  rng: Directions,
  label: string,
  entries: CheckGradsEntry[],
): { nIn: number; nOut: number } {
  const diffShapes = inputs.filter((i) => !i.fixed).map((i) => i.shape);
  const diffNames = inputs
    .map((_, i) => (inputs.length === 1 ? 'input' : `input leaf ${i}`))
    .filter((_, i) => !inputs[i]!.fixed);
  const nIn = point.reduce((n, p) => n + p.length, 0);
  const outAvals = scope(() =>
    fn(rebuild(inputs, point)).map((o) => ({ shape: [...(o.shape as readonly number[])], dtype: o.dtype })),
  );
  const outShapes = outAvals.map((a) => a.shape);
  const outNames = outShapes.map((_, i) => (outShapes.length === 1 ? 'output' : `output ${i}`));
  const nOut = outShapes.reduce((n, sh) => n + sh.reduce((a, b) => a * b, 1), 0);
  const cotangent = (p: Float64Array, i: number): Tensor => {
    const a = outAvals[i]!;
    const data = a.dtype === 'f32' ? Float32Array.from(p) : p;
    return fromHost(data, { shape: a.shape, dtype: a.dtype }, 'checkGrads');
  };
  const split = (flat: Float64Array, shapes: readonly (readonly number[])[]) => {
    const parts: Float64Array[] = [];
    let k = 0;
    for (const sh of shapes) {
      const n = sh.reduce((a, b) => a * b, 1);
      parts.push(flat.slice(k, k + n));
      k += n;
    }
    return parts;
  };
  const concatAll = (parts: readonly Float64Array[]) => {
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let k = 0;
    for (const p of parts) {
      out.set(p, k);
      k += p.length;
    }
    return out;
  };
  const fd = (v: Float64Array): Float64Array => {
    const vs = split(v, diffShapes);
    const plus = point.map((p, i) => p.map((x, j) => x + s.eps * vs[i]![j]!));
    const minus = point.map((p, i) => p.map((x, j) => x - s.eps * vs[i]![j]!));
    const fp = concatAll(evalHost(fn, [...inputs], plus));
    const fm = concatAll(evalHost(fn, [...inputs], minus));
    return fp.map((a, j) => (a - fm[j]!) / (2 * s.eps));
  };
  const fail = (mode: GradMode, c: Comparison, what: string) => {
    const w = c.worst!;
    throw new Error(
      `checkGrads ${mode}-mode mismatch (order ${level}${label}): ${what} at ${w.where}: ` +
        `analytic ${fmt(w.analytic)}, numeric ${fmt(w.numeric)}, |diff| ${fmt(w.abs)} exceeds tolerance ` +
        `${fmt(s.atol + s.rtol * Math.abs(w.numeric))} (atol ${s.atol} + rtol ${s.rtol} * |numeric|, eps ${s.eps}); ` +
        `${c.count} values compared`,
    );
  };
  if (nIn === 0 || nOut === 0) return { nIn, nOut };
  const fdCache: [Float64Array, Float64Array][] = [];
  const flatArgs = (xs: readonly Tensor[]) => {
    let k = 0;
    return inputs.map((inp) => inp.fixed ?? xs[k++]!);
  };
  const diffFn = (...xs: Tensor[]) => fn(flatArgs(xs));

  if (s.modes.includes('fwd')) {
    const c = new Comparison(s);
    for (let d = 0; d < s.directions; d++) {
      const v = rng.vector(nIn);
      const numeric = fd(v);
      fdCache.push([v, numeric]);
      const analytic = scope(() => {
        const xs = point.map((p, i) => f64(p, diffShapes[i]!));
        const vs = split(v, diffShapes).map((p, i) => f64(p, diffShapes[i]!));
        const [, touts] = jvp(diffFn, xs, vs);
        return concatAll(touts.map(hostOf));
      });
      analytic.forEach((a, j) => {
        c.add(a, numeric[j]!, () => `${describeLeaves(outNames, outShapes, j)} along random tangent ${d}`);
      });
    }
    entries.push(entryOf('fwd', level, 'output elements', c));
    if (c.worst && c.worst.ratio > 1) fail('fwd', c, 'directional derivative');
  }

  if (s.modes.includes('rev')) {
    const c = new Comparison(s);
    const elementwise = nIn <= s.maxJacobian;
    // FD Jacobian columns when the inputs are small.
    const columns: Float64Array[] = [];
    if (elementwise) {
      for (let k = 0; k < nIn; k++) {
        const e = new Float64Array(nIn);
        e[k] = 1;
        columns.push(fd(e));
      }
    }
    for (let d = 0; d < s.directions; d++) {
      const u = rng.vector(nOut);
      const analytic = scope(() => {
        const xs = point.map((p, i) => f64(p, diffShapes[i]!));
        const [, pullback] = vjp(diffFn, ...xs);
        const cts = split(u, outShapes).map(cotangent);
        return concatAll((pullback(cts) as Tensor[]).map(hostOf));
      });
      if (elementwise) {
        columns.forEach((col, k) => {
          c.add(
            analytic[k]!,
            dot(u, col),
            () => `d<u, f>/d ${describeLeaves(diffNames, diffShapes, k)} for random cotangent u ${d}`,
          );
        });
      } else {
        let pair = fdCache[d];
        if (!pair) {
          const v = rng.vector(nIn);
          pair = [v, fd(v)];
          fdCache.push(pair);
        }
        const [v, numeric] = pair;
        c.add(dot(analytic, v), dot(u, numeric), () => `<vjp(u), v> vs <u, FD(v)> for random pair ${d}`);
      }
    }
    entries.push(entryOf('rev', level, elementwise ? 'input elements' : 'inner products', c));
    if (c.worst && c.worst.ratio > 1)
      fail('rev', c, elementwise ? 'vector-Jacobian product' : 'inner product');
  }

  if (order > 1) {
    if (s.modes.includes('fwd')) {
      // x -> jvp(f)(x; v) for a fixed tangent v.
      const vs = split(rng.vector(nIn), diffShapes);
      const deriv: FlatFn = (all) => {
        const xs = all.filter((_, i) => !inputs[i]!.fixed);
        const tangents = vs.map((p, i) => f64(p, diffShapes[i]!));
        const [, touts] = jvp(diffFn, xs, tangents);
        return touts;
      };
      checkFlat(deriv, inputs, point, order - 1, level + 1, s, rng, `${label}, of jvp`, entries);
    }
    if (s.modes.includes('rev')) {
      // x -> vjp(f)(x)(u) for a fixed cotangent u.
      const us = split(rng.vector(nOut), outShapes);
      const deriv: FlatFn = (all) => {
        const xs = all.filter((_, i) => !inputs[i]!.fixed);
        const [, pullback] = vjp(diffFn, ...xs);
        return pullback(us.map(cotangent)) as Tensor[];
      };
      checkFlat(deriv, inputs, point, order - 1, level + 1, s, rng, `${label}, of vjp`, entries);
    }
  }
  return { nIn, nOut };
}

function entryOf(
  mode: GradMode,
  order: number,
  compared: CheckGradsEntry['compared'],
  c: Comparison,
): CheckGradsEntry {
  return { mode, order, compared, count: c.count, maxAbsError: c.maxAbs, maxRatio: c.worst?.ratio ?? 0 };
}

/**
 * Runs the user's f; a dtype clash between f64 and f32 there usually means f made a tensor
 * of its own (a constant, a scan carry) in f32 while checkGrads passed f64 inputs: say so.
 */
function callInF64<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!/f64/.test(message) || !/f32/.test(message)) throw e;
    throw new Error(
      `${message}\ncheckGrads: f runs on f64 copies of its float inputs, but a tensor f makes itself ` +
        '(a constant, a scan carry such as zeros([B, H])) stays f32; make it with the dtype of an ' +
        'input, e.g. zeros([B, H], x.dtype) (see docs/03-verifying-gradients.md)',
      { cause: e },
    );
  }
}

/**
 * Checks the derivatives of `f` at `args` against central finite differences (f64, CPU):
 * forward and reverse mode, to `order`. `f` takes tensors (pytrees allowed) and returns a
 * tensor or a pytree of tensors; its float outputs are compared.
 *
 * @param f - The function whose derivatives are checked.
 * @param args - Its arguments (float leaves are copied to f64).
 * @param opts - `order`, `modes`, `eps`, `atol`, `rtol`, `directions`, `seed` …
 * @returns A report of what was compared; a mismatch throws an Error naming the mode, the
 *   order, the worst element and the values.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mul, sin, tensor } from 'typegrad';
 * import { checkGrads } from 'typegrad/testing';
 * const report = checkGrads((x) => mul(sin(x), x), [tensor([0.5, -1, 2])], { order: 2 });
 * assert.ok(report.maxRatio < 1 && report.compared > 0);
 * ```
 */
export function checkGrads<Args extends unknown[]>(
  f: (...args: Args) => unknown,
  args: Args,
  opts: CheckGradsOptions = {},
): CheckGradsReport {
  const order = opts.order ?? 1;
  if (!Number.isInteger(order) || order < 1) throw new Error(`checkGrads: order must be >= 1, got ${order}`);
  if (!Array.isArray(args))
    throw new Error(
      `checkGrads: args must be an array of f's arguments, e.g. checkGrads(f, [x]); got ${typeof args}`,
    );
  const modes = opts.modes ?? ['fwd', 'rev'];
  if (!Array.isArray(modes) || modes.length === 0 || modes.some((m) => m !== 'fwd' && m !== 'rev'))
    throw new Error(
      `checkGrads: modes must be a non-empty list of 'fwd' and 'rev', got ${JSON.stringify(modes)}`,
    );
  const directions = opts.directions ?? 2;
  if (!Number.isSafeInteger(directions) || directions < 1)
    throw new Error(`checkGrads: directions must be a positive integer, got ${directions}`);
  const s: Settings = {
    modes,
    eps: opts.eps ?? 1e-6,
    atol: opts.atol ?? 1e-5,
    rtol: opts.rtol ?? 1e-4,
    directions,
    maxJacobian: opts.maxJacobian ?? 32,
  };
  const previous = getBackend();
  // The CPU backend is set synchronously; f64 lives there only.
  void setBackend('cpu');
  try {
    const [leaves, def] = flatten(args);
    const inputs: Input[] = [];
    const point: Float64Array[] = [];
    for (const leaf of leaves) {
      const shape = [...(leaf.shape as readonly number[])];
      if (isFloat(leaf.dtype)) {
        inputs.push({ shape });
        point.push(hostOf(leaf));
      } else inputs.push({ shape, fixed: leaf });
    }
    const fn: FlatFn = (xs) => {
      const out = callInF64(() => f(...unflatten<Args>(def, xs)));
      const [outLeaves] = flatten(out);
      if (!isTensor(out) && outLeaves.length === 0)
        throw new Error('checkGrads: f must return a tensor or a pytree of tensors');
      return outLeaves.filter((o) => isFloat(o.dtype as DType));
    };
    const entries: CheckGradsEntry[] = [];
    const { nIn, nOut } = checkFlat(
      fn,
      inputs,
      point,
      order,
      1,
      s,
      new Directions(opts.seed ?? 0),
      '',
      entries,
    );
    const compared = entries.reduce((n, e) => n + e.count, 0);
    // A check that compared nothing must not read as a pass.
    if (compared === 0 && !opts.allowEmpty)
      throw new Error(
        `checkGrads: nothing was compared (${nIn} float input elements, ${nOut} float output elements); ` +
          'differentiate with respect to float inputs that the float outputs depend on',
      );
    return {
      inputs: nIn,
      outputs: nOut,
      checks: entries,
      compared,
      maxRatio: entries.reduce((m, e) => Math.max(m, e.maxRatio), 0),
    };
  } finally {
    if (previous !== 'cpu') void setBackend(previous);
  }
}
