import type { DType } from '../../core/dtype.ts';
import {
  BINARY_PRIMS,
  type BinaryPrim,
  type CompareOp,
  type PrimParams,
  UNARY_PRIMS,
  type UnaryPrim,
} from '../../core/primitives.ts';
import type {
  BufferHandle,
  FusedKernel,
  Operand,
  OutputSpec,
  Program,
  ProgramEqn,
  ProgramVar,
} from '../backend.ts';
import type { Binding, GpuOperand, KernelContext, KernelFusion, WebGpuBuffer } from './kernel.ts';
import { convGeneral } from './kernels/conv.ts';
import { binaryExpr, castExpr, compareExpr, FLOAT_FNS, INT_FNS, unaryExpr } from './kernels/elementwise.ts';
import { dotGeneral } from './kernels/matmul.ts';
import { reduce } from './kernels/reduce.ts';
import { grid1d, main1d, sizeOf, storageType, stridesOf } from './wgsl.ts';

/**
 * Fusion of `jit` programs. A group is rooted at an elementwise equation (unary, binary,
 * compare, select, cast) or a reduction, and holds:
 *
 * - an epilogue tree: elementwise equations of one output shape, plus `broadcast_in_dim`s
 *   feeding them (read through strides, never materialized);
 * - optionally a core under it: a `dot_general` or `conv_general` (possibly seen through a
 *   `transpose`), whose tiled kernel applies the epilogue to each accumulator before storing
 *   it; or a `reduce_sum`/`reduce_max`, whose operand may itself be computed by a prologue
 *   tree (elementwise on the operand's shape) as it is read.
 *
 * Inner values are used only inside the group (a value may be used several times there). The
 * group becomes one kernel: one dispatch instead of one per equation, at most 8 storage
 * buffers (7 inputs and the output).
 */

/** Storage buffers one fused kernel may read (plus its output: 8 per stage at most). */
const MAX_INPUTS = 7;

const UNARY = new Set<string>(UNARY_PRIMS);
const BINARY = new Set<string>(BINARY_PRIMS);
const GPU_DTYPES = new Set<DType>(['f32', 'i32', 'bool']);
/** dtypes of matmul / convolution / reduction accumulators that take fused code */
const CORE_DTYPES = new Set<DType>(['f32', 'i32']);

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** An elementwise equation whose operands all have its output's shape. */
function isElementwise(e: ProgramEqn): boolean {
  if (e.outs.length !== 1) return false;
  const out = e.outs[0]!.aval;
  if (!GPU_DTYPES.has(out.dtype)) return false;
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
  return e.inputs.every((v) => GPU_DTYPES.has(v.aval.dtype) && sameShape(v.aval.shape, out.shape));
}

type CoreKind = 'dot_general' | 'conv_general' | 'reduce_sum' | 'reduce_max';

/** A core equation whose accumulator may take fused code. */
function coreKind(e: ProgramEqn): CoreKind | undefined {
  if (e.outs.length !== 1 || !CORE_DTYPES.has(e.outs[0]!.aval.dtype)) return undefined;
  if (e.prim === 'dot_general' || e.prim === 'conv_general') {
    const dt = e.outs[0]!.aval.dtype;
    return e.inputs.every((v) => v.aval.dtype === dt) ? e.prim : undefined;
  }
  if (e.prim === 'reduce_sum' || e.prim === 'reduce_max') {
    return CORE_DTYPES.has(e.inputs[0]!.aval.dtype) ? e.prim : undefined;
  }
  return undefined;
}

/** A value a tree reads from storage: extra input `bind`, at the tree's index or through strides over its dims. */
interface Load {
  readonly name: string;
  readonly bind: number;
  readonly strides?: readonly number[];
}

/** Elementwise code of one shape: WGSL statements computing `result` at a row-major index `gi`. */
interface Tree {
  readonly shape: readonly number[];
  readonly loads: Load[];
  readonly lines: string[];
  result: string;
  readonly memo: Map<ProgramVar, string>;
}

interface Core {
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

interface Ctx {
  readonly eqns: readonly ProgramEqn[];
  readonly producer: ReadonlyMap<ProgramVar, number>;
  readonly uses: ReadonlyMap<ProgramVar, number>;
  readonly taken: ReadonlySet<number>;
}

/** Plans the fused kernels of a program (groups of at least two equations). */
export function planFusion(program: Program): FusionGroup[] {
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
  const ctx: Ctx = { eqns, producer, uses, taken };
  for (let root = eqns.length - 1; root >= 0; root--) {
    if (taken.has(root)) continue;
    const e = eqns[root]!;
    if (!isElementwise(e) && !(coreKind(e)?.startsWith('reduce') ?? false)) continue;
    const g = buildGroup(root, ctx);
    if (g) {
      for (const i of g.eqns) taken.add(i);
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
  for (const allowCore of [true, false]) {
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
  const { eqns, producer, uses, taken } = ctx;
  const members = new Set<number>();
  const extra: ProgramVar[] = [];
  let own: readonly ProgramVar[] = [];
  let core: Core | undefined;
  let failed = false;
  let tmp = 0;

  const newTree = (shape: readonly number[]): Tree => ({
    shape,
    loads: [],
    lines: [],
    result: '',
    memo: new Map(),
  });

  const load = (tree: Tree, v: ProgramVar, strides?: readonly number[]): string => {
    let bind = extra.indexOf(v);
    if (bind < 0) {
      bind = extra.length;
      extra.push(v);
    }
    const sk = strides?.join(',');
    let l = tree.loads.find((x) => x.bind === bind && x.strides?.join(',') === sk);
    if (!l) {
      l = strides
        ? { name: `l${tree.loads.length}`, bind, strides }
        : { name: `l${tree.loads.length}`, bind };
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
    const dt = e.inputs[0]!.aval.dtype;
    let expr: string;
    if (UNARY.has(e.prim)) expr = unaryExpr(e.prim as UnaryPrim, dt, args[0]!);
    else if (BINARY.has(e.prim)) {
      if (dt === 'bool' && (e.prim === 'div' || e.prim === 'pow')) failed = true;
      expr = binaryExpr(e.prim as BinaryPrim, dt, args[0]!, args[1]!);
    } else if (e.prim === 'compare')
      expr = compareExpr((e.params as { op: CompareOp }).op, dt, args[0]!, args[1]!);
    else if (e.prim === 'select') expr = `select(${args[2]}, ${args[1]}, ${args[0]} != 0u)`;
    else expr = castExpr(dt, (e.params as { dtype: DType }).dtype, args[0]!);
    const name = `t${tmp++}`;
    tree.lines.push(`  let ${name} = ${expr};`);
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
    return 'acc';
  };

  const compute = (tree: Tree, v: ProgramVar, consumer: number): string => {
    const p = fusible(v, consumer);
    if (p === undefined) return load(tree, v);
    const e = eqns[p]!;
    if (isElementwise(e)) return emit(tree, p);
    if (e.prim === 'broadcast_in_dim' && GPU_DTYPES.has(e.outs[0]!.aval.dtype)) {
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
    if (allowCore && core === undefined && tree === epi) {
      const kind = coreKind(e);
      if (kind) return takeCore(p, kind);
      if (e.prim === 'transpose') {
        const q = fusible(e.inputs[0]!, p);
        const qk = q === undefined ? undefined : coreKind(eqns[q]!);
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
  if (isElementwise(rootEqn)) epi.result = emit(epi, root);
  else {
    const kind = coreKind(rootEqn);
    if (!allowCore || !kind) return undefined;
    epi.result = takeCore(root, kind);
  }
  if (failed || members.size < 2 || own.length + extra.length > MAX_INPUTS) return undefined;
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
  if (escaped.length > 0) return escaped;
  const group: FusionGroup = {
    eqns: [...members].sort((a, b) => a - b),
    own,
    extra,
    out,
    epi,
  };
  return core ? { ...group, core } : group;
}

// ------------------------------------------------------------------ code generation

/** Uniform words of a tree and WGSL that reads them from `base`. */
interface TreeCode {
  readonly meta: number[];
  code(inBase: number, metaBase: number): string;
}

/**
 * The code of a tree evaluated over an iteration space: `gi` indexes `iter` row-major; tree
 * dim i is iteration dim perm[i] (identity without perm). Uniforms: [iteration dims, their
 * strides, per strided load its strides over the iteration dims, output strides (perm only)].
 */
function treeCode(
  tree: Tree,
  iter: readonly number[],
  perm: readonly number[] | undefined,
  header: string,
  tail: (result: string, index: string) => string,
): TreeCode {
  const r = iter.length;
  // strides over tree dims -> strides over iteration dims
  const toIter = (s: readonly number[]): number[] => {
    if (!perm) return [...s];
    const out = new Array<number>(r).fill(0);
    perm.forEach((d, i) => {
      out[d] = s[i]!;
    });
    return out;
  };
  const treeStrides = stridesOf(tree.shape);
  const strided = tree.loads.map((l) =>
    l.strides ? toIter(l.strides) : perm ? toIter(treeStrides) : undefined,
  );
  const coords = perm !== undefined || strided.some((s) => s !== undefined);
  const meta: number[] = [];
  if (coords) meta.push(...iter, ...stridesOf(iter));
  const at: number[] = strided.map((s) => {
    if (!s) return -1;
    meta.push(...s);
    return meta.length - r;
  });
  let outAt = -1;
  if (perm) {
    meta.push(...toIter(treeStrides));
    outAt = meta.length - r;
  }
  return {
    meta,
    code(inBase, metaBase) {
      const u = (i: number) => `u(${metaBase + i}u)`;
      const dot = (base: number) => iter.map((_, d) => `c${d} * ${u(base + d)}`).join(' + ') || '0u';
      const lines = [`${header} {`];
      if (coords) for (let d = 0; d < r; d++) lines.push(`  let c${d} = (gi / ${u(r + d)}) % ${u(d)};`);
      tree.loads.forEach((l, k) => {
        const idx = at[k]! < 0 ? 'gi' : dot(at[k]!);
        lines.push(`  let ${l.name} = in${inBase + l.bind}[${idx}];`);
      });
      lines.push(...tree.lines);
      lines.push(tail(tree.result, outAt < 0 ? 'gi' : dot(outAt)));
      lines.push('}');
      return lines.join('\n');
    },
  };
}

/** The `KernelFusion` of a group with a core: `epi_store` and, for reductions, `pro`. */
function coreFusion(g: FusionGroup, eqns: readonly ProgramEqn[]): KernelFusion {
  const core = g.core!;
  const coreOut = eqns[core.eqn]!.outs[0]!.aval;
  const acc = storageType(coreOut.dtype);
  const epi = treeCode(
    g.epi,
    coreOut.shape,
    core.perm,
    `fn epi_store(gi: u32, acc: ${acc})`,
    (v, i) => `  out0[${i}] = ${v};`,
  );
  const parts: TreeCode[] = [epi];
  if (core.pro) {
    const x = eqns[core.eqn]!.inputs[0]!.aval;
    parts.push(
      treeCode(
        core.pro,
        x.shape,
        undefined,
        `fn pro(gi: u32) -> ${storageType(x.dtype)}`,
        (v) => `  return ${v};`,
      ),
    );
  }
  const meta = parts.flatMap((p) => p.meta);
  const code = (inBase: number, metaBase: number): string => {
    let base = metaBase;
    const fns = parts.map((p) => {
      const c = p.code(inBase, base);
      base += p.meta.length;
      return c;
    });
    return `${FLOAT_FNS}${INT_FNS}\n${fns.join('\n')}`;
  };
  return {
    out: g.out.aval,
    inputs: [],
    meta,
    key: `${eqns[core.eqn]!.prim}:${code(0, 0)}`,
    code,
  };
}

/** What a fused kernel needs from the backend. */
export interface FusionHost {
  readonly ctx: KernelContext;
  handle(op: string, b: BufferHandle): WebGpuBuffer;
  releasingOnThrow<T>(fn: () => T): T;
}

/** The kernels of a plan. */
export function fusedKernels(program: Program, host: FusionHost): FusedKernel[] {
  return planFusion(program).map((g) => {
    const out = g.out.aval;
    const n = sizeOf(out.shape);
    const op = g.core ? `fused ${g.core.kind}(${g.eqns.length})` : `fused(${g.eqns.length})`;
    const extraTypes = g.extra.map((v) => storageType(v.aval.dtype));
    const inputs = [...g.own, ...g.extra];
    let launch: (own: GpuOperand[], extra: Binding[]) => WebGpuBuffer;
    if (g.core) {
      const f = coreFusion(g, program.eqns);
      const e = program.eqns[g.core.eqn]!;
      const coreOut: OutputSpec = e.outs[0]!.aval;
      const kind = g.core.kind;
      launch = (own, extra) => {
        const fusion: KernelFusion = { ...f, inputs: extra };
        if (kind === 'dot_general')
          return dotGeneral(host.ctx, own, e.params as PrimParams['dot_general'], coreOut, fusion);
        if (kind === 'conv_general')
          return convGeneral(host.ctx, own, e.params as PrimParams['conv_general'], coreOut, fusion);
        const x = e.inputs[0]!.aval;
        const axes = (e.params as PrimParams['reduce_sum']).axes;
        return reduce(host.ctx, kind === 'reduce_sum' ? 'sum' : 'max', x, axes, coreOut, fusion);
      };
    } else {
      const tc = treeCode(g.epi, out.shape, undefined, 'fn epi_store(gi: u32)', (v) => `  out0[gi] = ${v};`);
      const meta = [n, ...tc.meta];
      const fns = tc.code(0, 1);
      const body = `${FLOAT_FNS}${INT_FNS}
${fns}
${main1d()}
  if (gi >= u(0u)) { return; }
  epi_store(gi);
}`;
      const key = `fused:${body}`;
      launch = (_own, extra) => {
        const buf = host.ctx.alloc(op, out);
        if (n === 0) return buf;
        host.ctx.dispatch({
          op,
          key,
          inputs: extra,
          outputs: [{ buf, type: storageType(out.dtype) }],
          meta,
          workgroups: grid1d(n),
          body: () => body,
        });
        return buf;
      };
    }
    return {
      eqns: g.eqns,
      inputs,
      output: g.out,
      run(operands: readonly Operand[]): BufferHandle {
        return host.releasingOnThrow(() => {
          const own: GpuOperand[] = operands.slice(0, g.own.length).map((o) => ({
            buf: host.handle(op, o.buffer),
            shape: o.shape,
            dtype: o.dtype,
          }));
          const extra: Binding[] = operands.slice(g.own.length).map((o, k) => ({
            buf: host.handle(op, o.buffer),
            type: extraTypes[k]!,
          }));
          return launch(own, extra);
        });
      },
    };
  });
}
