/**
 * Fused elementwise groups (`../fusion.ts`) as WebAssembly SIMD128: the same loop nest as the
 * generated JS loop, four f32 lanes a step. Only groups whose every step has an exact f32x4
 * twin qualify (add, sub, mul, div, neg, abs, sqrt, min, max, compare, select, casts between
 * f32 and bool, and bool arithmetic), so results equal the JS loop's bit for bit (IEEE f32
 * ops either way; `f32x4.min/max` propagate NaN and order -0 < +0 as `Math.min/max` do).
 * Anything else (exp, tanh, pow, i32, f64) stays on the JS loop.
 *
 * A bool is a lane mask (0 or -1) inside the kernel and a 0/1 byte in storage. The innermost
 * run is walked four lanes a step and its tail (n % 4) one element a step with the same
 * vector code on splatted lanes, so the tail is exact without a second code path. Loads
 * whose innermost stride is 0 (a per-channel scale, a scalar), and steps on them only, are
 * computed once per inner run.
 *
 * `fused(rows, out, in1, …)`: `rows` iterations of the outermost dim; every pointer is the
 * byte address of that array's element at the chunk's first row; other extents and strides
 * are baked into the module.
 */
import type { DType } from '../../../core/dtype.ts';
import type { CompareOp } from '../../../core/primitives.ts';
import type { ProgramEqn } from '../../backend.ts';
import type { FusionGroup } from '../../fusion-plan.ts';
import { coalesce, stridesOf } from '../strides.ts';
import { Code, emitModule, I32, V128 } from './emitter.ts';

/** One array the kernel walks: the output (bind -1) or a load of input `bind`. */
export interface FusedArray {
  readonly bind: number;
  /** element strides over the coalesced loop dims (all ≥ 0; the innermost 0 or 1) */
  readonly strides: readonly number[];
  /** the element read at index 0 */
  readonly offset: number;
  readonly bool: boolean;
}

/** How a qualifying group is walked: the coalesced loop, its arrays (output first). */
export interface FusedLayout {
  readonly shape: readonly number[];
  readonly arrays: readonly FusedArray[];
}

type Lanes = 'f32' | 'bool';

const F32_UNARY = { neg: 'f32x4Neg', abs: 'f32x4Abs', sqrt: 'f32x4Sqrt' } as const;
const F32_BINARY = {
  add: 'f32x4Add',
  sub: 'f32x4Sub',
  mul: 'f32x4Mul',
  div: 'f32x4Div',
  min: 'f32x4Min',
  max: 'f32x4Max',
} as const;
/** bool arithmetic on 0/1 as the JS kernels do it (| ^ &, max = or, min = and), on masks */
const BOOL_BINARY = { add: 'v128Or', sub: 'v128Xor', mul: 'v128And', max: 'v128Or', min: 'v128And' } as const;
const COMPARE = {
  lt: 'f32x4Lt',
  le: 'f32x4Le',
  gt: 'f32x4Gt',
  ge: 'f32x4Ge',
  eq: 'f32x4Eq',
  ne: 'f32x4Ne',
} as const;

const lanesOf = (d: DType): Lanes | undefined => (d === 'f32' ? 'f32' : d === 'bool' ? 'bool' : undefined);

/** Whether one equation has an exact SIMD twin on the lanes it reads. */
function stepQualifies(e: ProgramEqn): boolean {
  const dt = lanesOf(e.inputs[0]!.aval.dtype);
  const to = lanesOf(e.outs[0]!.aval.dtype);
  if (dt === undefined || to === undefined) return false;
  switch (e.prim) {
    case 'compare':
      return dt === 'f32' && (e.params as { op: string }).op in COMPARE;
    case 'select':
      return dt === 'bool' && lanesOf(e.inputs[1]!.aval.dtype) === to;
    case 'cast':
      return true; // f32 ↔ bool, or the identity
    case 'abs':
    case 'sign':
      return dt === 'bool' || e.prim === 'abs';
    default:
      if (e.prim in F32_UNARY) return dt === 'f32';
      if (dt === 'bool') return e.prim in BOOL_BINARY;
      return e.prim in F32_BINARY;
  }
}

/**
 * The layout of a group the SIMD kernel can run, or undefined (the JS loop runs it): f32/bool
 * values, exact steps only, every load's innermost stride 0 or 1, no negative strides.
 *
 * @example
 * const layout = fusedLayout(group, program.eqns); // undefined for a group with exp
 */
export function fusedLayout(g: FusionGroup, eqns: readonly ProgramEqn[]): FusedLayout | undefined {
  const tree = g.epi;
  if (g.core !== undefined || lanesOf(g.out.aval.dtype) === undefined) return undefined;
  if (!tree.steps.every((s) => stepQualifies(eqns[s.eqn]!))) return undefined;
  const dense = stridesOf(tree.shape);
  const arrays = [{ bind: -1, strides: dense, offset: 0, bool: g.out.aval.dtype === 'bool' }];
  for (const l of tree.loads) {
    const lanes = lanesOf(g.extra[l.bind]!.aval.dtype);
    if (lanes === undefined) return undefined;
    arrays.push({
      bind: l.bind,
      strides: [...(l.strides ?? dense)],
      offset: l.offset ?? 0,
      bool: lanes === 'bool',
    });
  }
  const loop = coalesce(
    tree.shape,
    arrays.map((a) => a.strides),
  );
  // a single element: one run of one, every load read at its offset
  const scalar = loop.shape.length === 0;
  const shape = scalar ? [1] : loop.shape;
  const out = arrays.map((a, k) => ({ ...a, strides: scalar ? [k === 0 ? 1 : 0] : loop.strides[k]! }));
  const r = shape.length;
  if (!out.every((a) => a.strides.every((s) => s >= 0) && a.strides[r - 1]! <= 1)) return undefined;
  return { shape, arrays: out };
}

/** Bytes per element of an array in storage. */
export const elementBytes = (a: FusedArray): number => (a.bool ? 1 : 4);

/**
 * The module (`fused`) for a qualifying group and its layout.
 *
 * @example
 * const bytes = fusedModuleBytes(group, program.eqns, fusedLayout(group, program.eqns)!);
 */
export function fusedModuleBytes(
  g: FusionGroup,
  eqns: readonly ProgramEqn[],
  layout: FusedLayout,
): Uint8Array {
  const { shape, arrays } = layout;
  const tree = g.epi;
  const r = shape.length;
  const nA = arrays.length;
  const ROWS = 0;
  const param = (a: number) => 1 + a;
  let next = 1 + nA;
  const counter = shape.map(() => next++);
  // ptr[a][d]: array a's address at loop depth d (d < r - 1); q[a]: in the innermost run
  const ptr = arrays.map(() => shape.slice(0, r - 1).map(() => next++));
  const q = arrays.map(() => next++);
  const VEND = next++;
  const i32Locals = next - (1 + nA);
  // v128 locals: one per value, then one scratch
  const value = new Map<string, number>();
  const lanes = new Map<string, Lanes>();
  tree.loads.forEach((l, k) => {
    value.set(l.name, next++);
    lanes.set(l.name, arrays[k + 1]!.bool ? 'bool' : 'f32');
  });
  for (const s of tree.steps) {
    value.set(s.name, next++);
    lanes.set(s.name, eqns[s.eqn]!.outs[0]!.aval.dtype === 'bool' ? 'bool' : 'f32');
  }
  const TMP = next++;
  const v128Locals = next - (1 + nA) - i32Locals;

  // a load is invariant along the inner run when its innermost stride is 0; a step when its args are
  const invariant = new Set<string>();
  tree.loads.forEach((l, k) => {
    if (arrays[k + 1]!.strides[r - 1] === 0) invariant.add(l.name);
  });
  for (const s of tree.steps) if (s.args.every((a) => invariant.has(a))) invariant.add(s.name);

  const c = new Code();
  const base = (a: number, d: number) => (d === 0 ? param(a) : ptr[a]![d - 1]!);
  const extent = (d: number) => (d === 0 ? c.get(ROWS) : c.i32(shape[d]!));

  /** Pushes load k's lanes from `addr` (four elements, or one splatted). */
  const load = (k: number, addr: number, vec: boolean) => {
    c.get(addr);
    if (!arrays[k + 1]!.bool) {
      c.mem(vec ? 'v128Load' : 'v128Load32Splat');
      return;
    }
    // bytes 0/1 → i32 lanes 0/1 → masks 0/-1
    if (vec) c.mem('v128Load32Splat').simd('i16x8ExtendLowI8x16U').simd('i32x4ExtendLowI16x8U');
    else c.op('i32Load8U').simd('i32x4Splat');
    c.simd('i32x4Neg');
  };

  const step = (name: string, eqn: ProgramEqn, args: readonly string[]) => {
    const get = (i: number) => c.get(value.get(args[i]!)!);
    const dt = lanes.get(args[0]!)!;
    const prim = eqn.prim;
    if (prim === 'select') {
      // select(pred, onTrue, onFalse) = bitselect(onTrue, onFalse, pred)
      get(1);
      get(2);
      get(0);
      c.simd('v128Bitselect');
    } else if (prim === 'compare') {
      get(0);
      get(1);
      c.simd(COMPARE[(eqn.params as { op: CompareOp }).op]);
    } else if (prim === 'cast') {
      const to = lanes.get(name)!;
      get(0);
      if (dt === 'bool' && to === 'f32') c.i32x4([ONE_F32, ONE_F32, ONE_F32, ONE_F32]).simd('v128And');
      else if (dt === 'f32' && to === 'bool') c.i32x4([0, 0, 0, 0]).simd('f32x4Ne'); // NaN → true, as x !== 0
    } else if (args.length === 1) {
      get(0);
      if (dt === 'f32') c.simd(F32_UNARY[prim as keyof typeof F32_UNARY]);
    } else {
      get(0);
      get(1);
      c.simd(
        dt === 'bool'
          ? BOOL_BINARY[prim as keyof typeof BOOL_BINARY]
          : F32_BINARY[prim as keyof typeof F32_BINARY],
      );
    }
    c.set(value.get(name)!);
  };

  /** The loads and steps inside (or, `hoisted`, before) the inner run. */
  const body = (hoisted: boolean, vec: boolean, d: number) => {
    tree.loads.forEach((l, k) => {
      if (invariant.has(l.name) !== hoisted) return;
      load(k, hoisted ? base(k + 1, d) : q[k + 1]!, vec);
      c.set(value.get(l.name)!);
    });
    for (const s of tree.steps) if (invariant.has(s.name) === hoisted) step(s.name, eqns[s.eqn]!, s.args);
  };

  const store = (vec: boolean) => {
    c.get(q[0]!).get(value.get(tree.result)!);
    if (!arrays[0]!.bool) {
      if (vec) c.mem('v128Store');
      else c.simd('f32x4ExtractLane', 0).op('f32Store');
      return;
    }
    if (vec) {
      // masks → 0/1 lanes → bytes
      c.i32x4([1, 1, 1, 1]).simd('v128And').tee(TMP).get(TMP).simd('i16x8NarrowI32x4U');
      c.tee(TMP).get(TMP).simd('i8x16NarrowI16x8U').simd('i32x4ExtractLane', 0).op('i32Store');
    } else c.simd('i32x4ExtractLane', 0).i32(1).op('i32And').op('i32Store8');
  };

  /** One pass over the inner run, `width` elements a step, from j to `end` (a local). */
  const run = (vec: boolean, end: () => void) => {
    c.open('block').open('loop');
    c.get(counter[r - 1]!);
    end();
    c.op('i32GeS').brIf(1);
    body(false, vec, r - 1);
    store(vec);
    arrays.forEach((a, k) => {
      if (a.strides[r - 1] === 1) c.addTo(q[k]!, (vec ? 4 : 1) * elementBytes(a));
    });
    c.addTo(counter[r - 1]!, vec ? 4 : 1).br(0);
    c.end().end();
  };

  const loopAt = (d: number) => {
    if (d === r - 1) {
      arrays.forEach((a, k) => {
        if (a.strides[r - 1] === 1) c.get(base(k, d)).set(q[k]!);
      });
      body(true, false, d);
      extent(d).i32(-4).op('i32And').set(VEND);
      c.i32(0).set(counter[d]!);
      run(true, () => c.get(VEND));
      run(false, () => extent(d));
      return;
    }
    c.i32(0).set(counter[d]!);
    arrays.forEach((_, k) => {
      c.get(base(k, d)).set(ptr[k]![d]!);
    });
    c.open('loop');
    loopAt(d + 1);
    arrays.forEach((a, k) => {
      const st = a.strides[d]! * elementBytes(a);
      if (st !== 0) c.addTo(ptr[k]![d]!, st);
    });
    c.addTo(counter[d]!, 1).get(counter[d]!);
    extent(d);
    c.op('i32LtS').brIf(0).end();
  };
  loopAt(0);

  return emitModule([
    {
      name: 'fused',
      params: Array<typeof I32>(1 + nA).fill(I32),
      locals: [...Array<typeof I32>(i32Locals).fill(I32), ...Array<typeof V128>(v128Locals).fill(V128)],
      body: c,
    },
  ]);
}

/** The bits of 1.0f: bool → f32 is the mask ANDed with them. */
const ONE_F32 = 0x3f800000;
