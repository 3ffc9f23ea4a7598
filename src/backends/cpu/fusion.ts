/**
 * Fusion of `jit` programs on the CPU: each group planned by `../fusion-plan.ts` (a tree of
 * elementwise equations of one shape, with the `broadcast_in_dim`s and `slice`s feeding it
 * read through strides, a slice from its start offset) becomes one generated JS loop over
 * the output. Intermediates are never stored: each step is computed in doubles and converted
 * as the unfused kernel's store into its output array would convert it (Math.fround for f32, `| 0` for i32), so results agree bit
 * for bit with running the equations one by one.
 *
 * The loop nest walks the output row-major over the coalesced shape (dims merged where the
 * output and every strided operand step through them as one); loads whose innermost stride
 * is 0 (a bias along a row, a scalar) and the steps that depend only on them are computed
 * once per inner run, outside the innermost loop.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import { BINARY_PRIMS, type CompareOp, UNARY_PRIMS } from '../../core/primitives.ts';
import type { BufferHandle, FusedKernel, Operand, Program, ProgramEqn } from '../backend.ts';
import { type FusionGroup, type FusionRules, planFusion as planFusionWith } from '../fusion-plan.ts';
import { ipow, logistic, powIeee, sign } from './elementwise.ts';
import { logisticF32, tanhF32 } from './f32-math.ts';
import { allocOut, castToI32, dataOf } from './storage.ts';
import { coalesce, sizeOf, stridesOf } from './strides.ts';
import { fusedWasm } from './wasm/fused-run.ts';

const UNARY = new Set<string>(UNARY_PRIMS);
const BINARY = new Set<string>(BINARY_PRIMS);

/** What the CPU fuses: elementwise trees of any CPU dtype (no cores), except ops whose kernel throws. */
const CPU_RULES: FusionRules = {
  dtypes: new Set<DType>(['f32', 'f64', 'i32', 'bool']),
  maxInputs: 32,
  slices: true,
  recompute: true,
  accept: (e) => {
    const dt = e.inputs[0]!.aval.dtype;
    if (UNARY.has(e.prim)) return dt !== 'bool' || e.prim === 'abs' || e.prim === 'sign';
    if (e.prim === 'select') return dt === 'bool';
    if (e.prim === 'compare') return (e.params as { op: string }).op in COMPARE_JS;
    return true;
  },
};

/** Plans the fused kernels of a program under the CPU's rules (groups of at least two equations). */
export function planCpuFusion(program: Program): FusionGroup[] {
  return planFusionWith(program, CPU_RULES);
}

const COMPARE_JS: Record<CompareOp, string> = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '===', ne: '!==' };

/** Helpers the generated code calls (the same functions the unfused kernels use), and select's scratch. */
const HELPERS = { logistic, logisticF32, tanhF32, sign, powIeee, ipow, castToI32, s: new Float64Array(2) };

/** A JS expression and whether its value is already exact in the output dtype (no conversion needed). */
type Expr = readonly [code: string, exact: boolean];

/** The value `code` takes when stored into an array of `dtype` (a typed-array store's conversion). */
function stored(dtype: DType, [code, exact]: Expr): string {
  if (exact || dtype === 'f64') return code;
  if (dtype === 'f32') return `Math.fround(${code})`;
  if (dtype === 'i32') return `((${code}) | 0)`;
  return `((${code}) & 255)`; // bool storage: Uint8Array (ToUint8)
}

/** The JS of one equation on named arguments, as the unfused kernel computes it before storing. */
function stepExpr(e: ProgramEqn, a: readonly string[]): Expr {
  const dt = e.inputs[0]!.aval.dtype;
  const [x, y] = a;
  if (UNARY.has(e.prim)) {
    if (dt === 'bool') return [x!, true]; // abs, sign: the identity on 0/1
    if (dt === 'i32' && e.prim === 'neg') return [`(-${x} | 0)`, true];
    if (dt === 'i32' && e.prim === 'abs') return [`(Math.abs(${x}) | 0)`, true];
    const same = dt === e.outs[0]!.aval.dtype;
    switch (e.prim) {
      case 'neg':
        return [`(-${x})`, same];
      case 'abs':
        return [`Math.abs(${x})`, same];
      // f32 operands: the f32-accurate forms the unfused f32 kernels use (f32-math.ts)
      case 'logistic':
        return [dt === 'f32' ? `h.logisticF32(${x})` : `h.logistic(${x})`, false];
      case 'tanh':
        return [dt === 'f32' ? `h.tanhF32(${x})` : `Math.tanh(${x})`, false];
      case 'sign':
        return [`h.sign(${x})`, same];
      default:
        return [`Math.${e.prim}(${x})`, false];
    }
  }
  if (BINARY.has(e.prim)) {
    if (dt === 'i32') {
      if (e.prim === 'mul') return [`Math.imul(${x}, ${y})`, true];
      if (e.prim === 'div') return [`(${y} === 0 ? 0 : (${x} / ${y}) | 0)`, true];
      if (e.prim === 'pow') return [`h.ipow(${x}, ${y})`, true];
    }
    if (dt === 'bool') {
      if (e.prim === 'add') return [`(${x} | ${y})`, true];
      if (e.prim === 'sub') return [`(${x} ^ ${y})`, true];
      if (e.prim === 'mul') return [`(${x} & ${y})`, true];
    }
    switch (e.prim) {
      case 'add':
        return [`(${x} + ${y})`, false];
      case 'sub':
        return [`(${x} - ${y})`, false];
      case 'mul':
        return [`(${x} * ${y})`, false];
      case 'div':
        return [`(${x} / ${y})`, false];
      case 'pow':
        return [`h.powIeee(${x}, ${y})`, false];
      default:
        // max, min: NaN-propagating, as in the kernels; exact on 0/1 and on i32 values
        return [`Math.${e.prim}(${x}, ${y})`, dt !== 'f64' && dt === e.outs[0]!.aval.dtype];
    }
  }
  if (e.prim === 'compare') {
    // `| 0` turns the comparison into a flag without a branch (a ternary branches, and a
    // ReLU's sign pattern mispredicts half the time: 3x slower loops)
    const op = COMPARE_JS[(e.params as { op: CompareOp }).op];
    return [`((${x} ${op} ${y}) | 0)`, true];
  }
  // a bool is 0 or 1: pick from a two-slot scratch by it, again without a branch
  if (e.prim === 'select') return [`(s[0] = ${a[2]}, s[1] = ${y}, s[${x}])`, true];
  // cast
  const to = (e.params as { dtype: DType }).dtype;
  if (to === 'bool') return [`(${x} !== 0 ? 1 : 0)`, true];
  if (to === 'i32' && (dt === 'f32' || dt === 'f64')) return [`h.castToI32(${x})`, true];
  return [x!, dt === to || to === 'f64' || dt === 'bool' || (dt === 'i32' && to === 'i32')];
}

/** The body of the generated kernel `(h, xs, out) => void` for a group with a non-empty output. */
export function fusedSource(g: FusionGroup, eqns: readonly ProgramEqn[]): string {
  const tree = g.epi;
  const shape = tree.shape;
  // arrays walked by strides: the output (contiguous), then each strided load
  const strided = tree.loads.filter((l) => l.strides !== undefined);
  const loop = coalesce(shape, [stridesOf(shape), ...strided.map((l) => l.strides!)]);
  const r = loop.shape.length;
  const ptr = (k: number, d: number) => `p${k}_${d}`; // load k's offset at loop depth d
  const start = (k: number) => String(strided[k]!.offset ?? 0); // its offset outside every loop
  const lines: string[] = ['"use strict";'];
  // the select scratch (shared: each select reads it back at once)
  if (tree.steps.some((st) => eqns[st.eqn]!.prim === 'select')) lines.push('const s = h.s;');
  g.extra.forEach((_, i) => {
    lines.push(`const x${i} = xs[${i}];`);
  });
  // where each strided load is read: its offset inside the innermost loop, or before it
  const innerStride = (k: number) => (r === 0 ? 0 : loop.strides[k + 1]![r - 1]!);
  const invariant = new Set<string>();
  const loadAt = new Map<string, string>();
  strided.forEach((l, k) => {
    // an invariant load reads at the enclosing loop's offset (the innermost adds nothing)
    const inv = r === 0 || innerStride(k) === 0;
    if (inv) invariant.add(l.name);
    loadAt.set(l.name, `x${l.bind}[${inv ? (r <= 1 ? start(k) : ptr(k, r - 2)) : ptr(k, r - 1)}]`);
  });
  const outer: string[] = []; // code before the innermost loop (inside the outer ones)
  const inner: string[] = [];
  for (const l of tree.loads) {
    const src = l.strides === undefined ? `x${l.bind}[o]` : loadAt.get(l.name)!;
    (invariant.has(l.name) ? outer : inner).push(`const ${l.name} = ${src};`);
  }
  for (const s of tree.steps) {
    const e = eqns[s.eqn]!;
    const expr = stepExpr(e, s.args);
    const code = s.name === tree.result ? expr[0] : stored(e.outs[0]!.aval.dtype, expr);
    const inv = s.args.every((a) => invariant.has(a));
    if (inv) invariant.add(s.name);
    (inv ? outer : inner).push(`const ${s.name} = ${code};`);
  }
  inner.push(`out[o++] = ${tree.result};`);
  lines.push('let o = 0;');
  if (r === 0) {
    lines.push(...outer, ...inner);
    return lines.join('\n');
  }
  // loop nest: depth d walks loop.shape[d]; load k's pointer at depth d starts at depth d-1's
  const open: string[] = [];
  const n1 = loop.shape[r - 1]!;
  const unroll = n1 <= UNROLL; // a short inner run (pooling windows): written out, no loop
  for (let d = 0; d < (unroll ? r - 1 : r); d++) {
    const inits = [`i${d} = 0`];
    const steps = [`i${d}++`];
    strided.forEach((_, k) => {
      inits.push(`${ptr(k, d)} = ${d === 0 ? start(k) : ptr(k, d - 1)}`);
      const st = loop.strides[k + 1]![d]!;
      if (st !== 0) steps.push(`${ptr(k, d)} += ${st}`);
    });
    if (d === r - 1) open.push(...outer);
    open.push(`for (let ${inits.join(', ')}; i${d} < ${loop.shape[d]}; ${steps.join(', ')}) {`);
  }
  if (!unroll) {
    lines.push(...open, ...inner, ...new Array<string>(r).fill('}'));
    return lines.join('\n');
  }
  // the innermost dim written out: load k's pointer is its depth r-2 pointer plus j·stride
  const base = (k: number) => (r === 1 ? start(k) : ptr(k, r - 2));
  const body: string[] = [...outer];
  for (let j = 0; j < n1; j++) {
    const at = (k: number) => {
      const st = loop.strides[k + 1]![r - 1]! * j;
      return st === 0 ? base(k) : `${base(k)} + ${st}`;
    };
    body.push('{');
    for (const line of inner) {
      body.push(line.replace(/\bp(\d+)_\d+\b/g, (_, k: string) => at(Number(k))));
    }
    body.push('}');
  }
  lines.push(...open, ...body, ...new Array<string>(r - 1).fill('}'));
  return lines.join('\n');
}

/** Innermost runs at most this long are written out instead of looped over. */
const UNROLL = 4;

type Compiled = (h: typeof HELPERS, xs: readonly TypedArray[], out: TypedArray) => void;

/** Generated kernels by source, shared between programs (bounded: cleared when it grows large). */
const compiled = new Map<string, Compiled>();

function compile(src: string): Compiled {
  let f = compiled.get(src);
  if (!f) {
    if (compiled.size >= 512) compiled.clear();
    f = new Function('h', 'xs', 'out', src) as Compiled;
    compiled.set(src, f);
  }
  return f;
}

/** What a fused kernel needs from the backend. */
export interface CpuFusionHost {
  /** Throws if the operand's buffer was disposed. */
  checkLive(op: string, o: Operand, i: number): void;
  /** Called once per kernel run (the backend's kernel counter). */
  counted(): void;
  /** Whether qualifying groups run on the WebAssembly SIMD kernel (the `wasm` kernel set). */
  simd(): boolean;
}

/**
 * Outputs smaller than this stay on the JS loop: staging into wasm memory and the call cost
 * more than the SIMD saves (bench/fused-simd.ts: `x·y + z` breaks even near 512 elements).
 */
let simdMinSize = 1024;

/**
 * Sets the output size from which qualifying fused groups run on the SIMD kernel (for tests:
 * 0 sends every qualifying group there) and returns the previous one. Plans made afterwards
 * use it.
 *
 * @example
 * const was = setFusedSimdMinSize(0);
 * // ... jit and run ...
 * setFusedSimdMinSize(was);
 */
export function setFusedSimdMinSize(n: number): number {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`setFusedSimdMinSize: expected an integer ≥ 0, got ${n}`);
  const was = simdMinSize;
  simdMinSize = n;
  return was;
}

/** The kernels of a plan. */
export function cpuFusedKernels(program: Program, host: CpuFusionHost): FusedKernel[] {
  return planCpuFusion(program).map((g) => {
    const out = g.out.aval;
    const op = `fused(${g.eqns.length})`;
    const size = sizeOf(out.shape);
    const fn = size === 0 ? undefined : compile(fusedSource(g, program.eqns));
    const simd = size >= simdMinSize ? fusedWasm(g, program.eqns) : undefined;
    return {
      eqns: g.eqns,
      inputs: g.extra,
      output: g.out,
      run(operands: readonly Operand[]): BufferHandle {
        host.counted();
        const xs = operands.map((o, i) => {
          host.checkLive(op, o, i);
          return dataOf(op, o, i);
        });
        const o = allocOut(out, false); // the loop writes every element
        if (simd !== undefined && host.simd()) simd.run(xs, o);
        else fn?.(HELPERS, xs, o);
        return o;
      },
    };
  });
}
