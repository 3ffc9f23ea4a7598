import type { DType } from '../core/dtype.ts';
import { BINARY_PRIMS, type PrimParams, UNARY_PRIMS } from '../core/primitives.ts';
import type { Program, ProgramEqn, ProgramVar } from './backend.ts';

/**
 * Backend-independent planning of fused kernels for `jit` programs (`Backend.fuse`). A group
 * is rooted at an elementwise equation (unary, binary, compare, select, cast) or a reduction,
 * and holds:
 *
 * - an epilogue tree: elementwise equations of one output shape, plus `broadcast_in_dim`s
 *   feeding them (read through strides, never materialized) and, where the backend's rules
 *   allow, `slice`s (read through strides from an offset);
 * - optionally (where the backend's rules allow cores) a core under it: a `dot_general` or
 *   `conv_general` (possibly seen through a `transpose`), whose kernel applies the epilogue to
 *   each accumulator before storing it; or a `reduce_sum`/`reduce_max`, whose operand may
 *   itself be computed by a prologue tree (elementwise on the operand's shape) as it is read.
 *
 * Inner values are used only inside the group (a value may be used several times there). A
 * tree is a list of named steps in evaluation order: each backend turns a step (an equation
 * applied to earlier names) into its own code.
 */

/** What a backend lets the planner fuse. */
export interface FusionRules {
  /** dtypes of every value a tree reads or computes */
  readonly dtypes: ReadonlySet<DType>;
  /** dtypes of core accumulators; without it, no cores (elementwise groups only) */
  readonly coreDtypes?: ReadonlySet<DType>;
  /** inputs one kernel may read (a core's own operands included) */
  readonly maxInputs: number;
  /** further veto on an elementwise equation (e.g. one whose kernel would throw) */
  readonly accept?: (e: ProgramEqn) => boolean;
  /**
   * Read `slice`s through strides from an offset instead of materializing them (the
   * backend's code generator must honour `Load.offset`).
   */
  readonly slices?: boolean;
  /**
   * Recompute cheap values a group needs that are also used outside it, instead of making
   * them inputs: the group computes them again from their own inputs, and they keep their
   * own kernel for the outside readers. A ReLU's mask (read again by its gradient) then no
   * longer splits the bias add, the compare and the select into three passes.
   */
  readonly recompute?: boolean;
}

const UNARY = new Set<string>(UNARY_PRIMS);
const BINARY = new Set<string>(BINARY_PRIMS);

export type CoreKind = 'dot_general' | 'conv_general' | 'reduce_sum' | 'reduce_max';

/**
 * A value a tree reads from storage: extra input `bind`, at the tree's index or through
 * strides over its dims, starting at element `offset` (a slice's start; only with strides).
 */
export interface Load {
  readonly name: string;
  readonly bind: number;
  readonly strides?: readonly number[];
  readonly offset?: number;
}

/** One computed value of a tree: equation `eqn` applied to the named `args` (loads, earlier steps or `acc`). */
export interface Step {
  readonly name: string;
  readonly eqn: number;
  readonly args: readonly string[];
}

/** Elementwise code of one shape, computing `result` at each row-major index of `shape`. */
export interface Tree {
  readonly shape: readonly number[];
  readonly loads: Load[];
  readonly steps: Step[];
  result: string;
  readonly memo: Map<ProgramVar, string>;
}

export interface Core {
  readonly kind: CoreKind;
  readonly eqn: number;
  /** a transpose between the core and the epilogue: epilogue dim i is core dim perm[i] */
  readonly perm?: readonly number[];
  /** reductions: the operand, computed as it is read */
  readonly pro?: Tree;
}

/** A planned fused kernel. */
export interface FusionGroup {
  /** the equations it replaces, ascending */
  readonly eqns: number[];
  /** the core's own operands (dot_general, conv_general: lhs and rhs; else none) */
  readonly own: readonly ProgramVar[];
  /** inputs read by the trees, bound after `own` */
  readonly extra: readonly ProgramVar[];
  readonly out: ProgramVar;
  readonly core?: Core;
  readonly epi: Tree;
}

/** Equations cheap enough to compute twice (rules.recompute), and how many one group may. */
const CHEAP = new Set(['add', 'sub', 'mul', 'neg', 'abs', 'max', 'min', 'compare', 'select', 'cast']);
const FREE = new Set(['broadcast_in_dim', 'slice']);
const MAX_RECOMPUTED = 4;

/** The name a core's accumulator has inside the epilogue tree. */
export const ACC = 'acc';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Row-major contiguous strides of a shape, in elements. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = k;
    k *= shape[i]!;
  }
  return s;
}

/** An elementwise equation whose operands all have its output's shape. */
function isElementwise(e: ProgramEqn, rules: FusionRules): boolean {
  if (e.outs.length !== 1) return false;
  const out = e.outs[0]!.aval;
  if (!rules.dtypes.has(out.dtype)) return false;
  if (
    !(
      UNARY.has(e.prim) ||
      BINARY.has(e.prim) ||
      e.prim === 'compare' ||
      e.prim === 'select' ||
      e.prim === 'cast'
    )
  )
    return false;
  if (!e.inputs.every((v) => rules.dtypes.has(v.aval.dtype) && sameShape(v.aval.shape, out.shape)))
    return false;
  return rules.accept?.(e) ?? true;
}

/** A core equation whose accumulator may take fused code. */
function coreKind(e: ProgramEqn, rules: FusionRules): CoreKind | undefined {
  const dts = rules.coreDtypes;
  if (!dts || e.outs.length !== 1 || !dts.has(e.outs[0]!.aval.dtype)) return undefined;
  if (e.prim === 'dot_general' || e.prim === 'conv_general') {
    const dt = e.outs[0]!.aval.dtype;
    return e.inputs.every((v) => v.aval.dtype === dt) ? e.prim : undefined;
  }
  if (e.prim === 'reduce_sum' || e.prim === 'reduce_max') {
    return dts.has(e.inputs[0]!.aval.dtype) ? e.prim : undefined;
  }
  return undefined;
}

interface Ctx {
  readonly eqns: readonly ProgramEqn[];
  readonly producer: ReadonlyMap<ProgramVar, number>;
  /** reads of each value by the equations and kernels that will read it from storage */
  readonly uses: Map<ProgramVar, number>;
  readonly taken: ReadonlySet<number>;
  readonly rules: FusionRules;
}

/** Plans the fused kernels of a program (groups of at least two equations). */
export function planFusion(program: Program, rules: FusionRules): FusionGroup[] {
  const eqns = program.eqns;
  const producer = new Map<ProgramVar, number>();
  const uses = new Map<ProgramVar, number>();
  eqns.forEach((e, i) => {
    for (const v of e.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);
    for (const v of e.outs) producer.set(v, i);
  });
  for (const v of program.outVars) uses.set(v, (uses.get(v) ?? 0) + 1);

  const taken = new Set<number>();
  const groups: FusionGroup[] = [];
  const ctx: Ctx = { eqns, producer, uses, taken, rules };
  for (let root = eqns.length - 1; root >= 0; root--) {
    if (taken.has(root)) continue;
    const e = eqns[root]!;
    if (!isElementwise(e, rules) && !(coreKind(e, rules)?.startsWith('reduce') ?? false)) continue;
    const g = buildGroup(root, ctx);
    if (g) {
      // the group's inputs are read from storage, its equations' own reads are gone
      for (const i of g.eqns) {
        taken.add(i);
        for (const v of eqns[i]!.inputs) uses.set(v, uses.get(v)! - 1);
      }
      for (const v of [...g.own, ...g.extra]) uses.set(v, (uses.get(v) ?? 0) + 1);
      groups.push(g);
    }
  }
  return groups.reverse();
}

/**
 * The largest group rooted at `root`: first with a core, then without. Values that would be
 * computed inside but are used outside are made inputs instead, until none is.
 */
function buildGroup(root: number, ctx: Ctx): FusionGroup | undefined {
  for (const allowCore of ctx.rules.coreDtypes ? [true, false] : [false]) {
    const forced = new Set<ProgramVar>();
    for (;;) {
      const r = tryGroup(root, ctx, forced, allowCore);
      if (r === undefined) break;
      if (Array.isArray(r)) {
        for (const v of r) forced.add(v);
        continue;
      }
      return r;
    }
  }
  return undefined;
}

/** A group, the values that escape it (to be made inputs), or undefined when none fits. */
function tryGroup(
  root: number,
  ctx: Ctx,
  forced: ReadonlySet<ProgramVar>,
  allowCore: boolean,
): FusionGroup | ProgramVar[] | undefined {
  const { eqns, producer, uses, taken, rules } = ctx;
  const members = new Set<number>();
  const extra: ProgramVar[] = [];
  let own: readonly ProgramVar[] = [];
  let core: Core | undefined;
  let failed = false;
  let tmp = 0;

  const newTree = (shape: readonly number[]): Tree => ({
    shape,
    loads: [],
    steps: [],
    result: '',
    memo: new Map(),
  });

  const load = (tree: Tree, v: ProgramVar, strides?: readonly number[], offset = 0): string => {
    let bind = extra.indexOf(v);
    if (bind < 0) {
      bind = extra.length;
      extra.push(v);
    }
    const sk = strides?.join(',');
    // two slices of one input differ by their offset alone
    let l = tree.loads.find(
      (x) => x.bind === bind && x.strides?.join(',') === sk && (x.offset ?? 0) === offset,
    );
    if (!l) {
      const name = `l${tree.loads.length}`;
      l = strides ? (offset ? { name, bind, strides, offset } : { name, bind, strides }) : { name, bind };
      tree.loads.push(l);
    }
    return l.name;
  };

  /** The producer of `v` if the group may compute it for `consumer`. */
  const fusible = (v: ProgramVar, consumer: number): number | undefined => {
    const p = producer.get(v);
    if (p === undefined || p >= consumer || taken.has(p) || forced.has(v)) return undefined;
    if (members.has(p)) {
      failed = true; // computed in another tree of the group: never materialized
      return undefined;
    }
    return p;
  };

  const emit = (tree: Tree, i: number): string => {
    const e = eqns[i]!;
    members.add(i);
    const args = e.inputs.map((v) => value(tree, v, i));
    if (BINARY.has(e.prim) && e.inputs[0]!.aval.dtype === 'bool' && (e.prim === 'div' || e.prim === 'pow'))
      failed = true;
    const name = `t${tmp++}`;
    tree.steps.push({ name, eqn: i, args });
    return name;
  };

  /** The core at equation `p` (seen through a transpose `perm`), its value `acc`. */
  const takeCore = (p: number, kind: CoreKind, perm?: readonly number[]): string => {
    const e = eqns[p]!;
    members.add(p);
    if (kind === 'reduce_sum' || kind === 'reduce_max') {
      const x = e.inputs[0]!;
      const pro = newTree(x.aval.shape);
      core = perm ? { kind, eqn: p, perm, pro } : { kind, eqn: p, pro };
      pro.result = value(pro, x, p);
    } else {
      own = e.inputs;
      core = perm ? { kind, eqn: p, perm } : { kind, eqn: p };
    }
    return ACC;
  };

  const compute = (tree: Tree, v: ProgramVar, consumer: number): string => {
    const p = fusible(v, consumer);
    if (p === undefined) return load(tree, v);
    const e = eqns[p]!;
    if (isElementwise(e, rules)) return emit(tree, p);
    if (e.prim === 'broadcast_in_dim' && rules.dtypes.has(e.outs[0]!.aval.dtype)) {
      const prm = e.params as PrimParams['broadcast_in_dim'];
      const src = e.inputs[0]!;
      const st = stridesOf(src.aval.shape);
      const strides = tree.shape.map(() => 0);
      prm.dims.forEach((d, i) => {
        strides[d] = src.aval.shape[i] === 1 ? 0 : st[i]!;
      });
      members.add(p);
      return load(tree, src, strides);
    }
    if (e.prim === 'slice' && rules.slices && rules.dtypes.has(e.outs[0]!.aval.dtype)) {
      // element j of the slice is source element start + j·stride: strides scaled, an offset
      const prm = e.params as PrimParams['slice'];
      const src = e.inputs[0]!;
      const st = stridesOf(src.aval.shape);
      const shape = e.outs[0]!.aval.shape;
      const strides = st.map((s, d) => (shape[d] === 1 ? 0 : s * prm.stride[d]!));
      const offset = prm.start.reduce((o, s, d) => o + s * st[d]!, 0);
      members.add(p);
      return load(tree, src, strides, offset);
    }
    if (allowCore && core === undefined && tree === epi) {
      const kind = coreKind(e, rules);
      if (kind) return takeCore(p, kind);
      if (e.prim === 'transpose') {
        const q = fusible(e.inputs[0]!, p);
        const qk = q === undefined ? undefined : coreKind(eqns[q]!, rules);
        if (q !== undefined && qk) {
          members.add(p);
          return takeCore(q, qk, (e.params as PrimParams['transpose']).perm);
        }
      }
    }
    return load(tree, v);
  };

  const value = (tree: Tree, v: ProgramVar, consumer: number): string => {
    const known = tree.memo.get(v);
    if (known !== undefined) return known;
    const r = compute(tree, v, consumer);
    tree.memo.set(v, r);
    return r;
  };

  const rootEqn = eqns[root]!;
  const out = rootEqn.outs[0]!;
  const epi = newTree(out.aval.shape);
  if (isElementwise(rootEqn, rules)) epi.result = emit(epi, root);
  else {
    const kind = coreKind(rootEqn, rules);
    if (!allowCore || !kind) return undefined;
    epi.result = takeCore(root, kind);
  }
  if (failed || members.size < 2 || own.length + extra.length > rules.maxInputs) return undefined;
  // inputs must be values the group does not compute
  for (const v of [...own, ...extra]) {
    const p = producer.get(v);
    if (p !== undefined && members.has(p)) return undefined;
  }
  // values computed inside and used outside escape
  const inner = new Map<ProgramVar, number>();
  for (const i of members) for (const v of eqns[i]!.inputs) inner.set(v, (inner.get(v) ?? 0) + 1);
  const escaped: ProgramVar[] = [];
  for (const i of members) {
    if (i === root) continue;
    for (const o of eqns[i]!.outs) if ((inner.get(o) ?? 0) < (uses.get(o) ?? 0)) escaped.push(o);
  }
  const kept = escaped.length > 0 && rules.recompute ? recomputed(escaped, members, ctx) : undefined;
  if (escaped.length > 0 && !kept) return escaped;
  const group: FusionGroup = {
    eqns: [...members].filter((i) => !kept?.has(i)).sort((a, b) => a - b),
    own,
    extra,
    out,
    epi,
  };
  return core ? { ...group, core } : group;
}

/**
 * The members to compute again (they keep their own kernels) so that `escaped` stay
 * available outside: the escaped values' producers and every member they read, or undefined
 * when that is more than a few cheap equations.
 */
function recomputed(
  escaped: readonly ProgramVar[],
  members: ReadonlySet<number>,
  ctx: Ctx,
): Set<number> | undefined {
  const kept = new Set<number>();
  const todo = escaped.map((v) => ctx.producer.get(v)!);
  let work = 0;
  while (todo.length > 0) {
    const i = todo.pop()!;
    if (kept.has(i)) continue;
    kept.add(i);
    const e = ctx.eqns[i]!;
    if (!FREE.has(e.prim) && (!CHEAP.has(e.prim) || ++work > MAX_RECOMPUTED)) return undefined;
    for (const v of e.inputs) {
      const p = ctx.producer.get(v);
      if (p !== undefined && members.has(p)) todo.push(p);
    }
  }
  return kept;
}
