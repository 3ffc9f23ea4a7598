import type { DType } from '../../core/dtype.ts';
import {
  BINARY_PRIMS,
  type BinaryPrim,
  type CompareOp,
  UNARY_PRIMS,
  type UnaryPrim,
} from '../../core/primitives.ts';
import type { BufferHandle, FusedKernel, Operand, Program, ProgramEqn, ProgramVar } from '../backend.ts';
import type { Binding, DispatchSpec, WebGpuBuffer } from './kernel.ts';
import { binaryExpr, castExpr, compareExpr, FLOAT_FNS, INT_FNS, unaryExpr } from './kernels/elementwise.ts';
import { grid1d, main1d, sizeOf, storageType, stridesOf } from './wgsl.ts';

/**
 * Elementwise fusion of `jit` programs. A group is a tree of elementwise equations (unary,
 * binary, compare, select, cast) of one output shape, plus `broadcast_in_dim`s feeding it
 * (read through strides, never materialized), whose inner values are used only inside the
 * group. It becomes one generated WGSL kernel: one dispatch instead of one per equation.
 */

/** Storage buffers one fused kernel may read (plus its output: 8 per stage at most). */
const MAX_INPUTS = 7;

const UNARY = new Set<string>(UNARY_PRIMS);
const BINARY = new Set<string>(BINARY_PRIMS);
const GPU_DTYPES = new Set<DType>(['f32', 'i32', 'bool']);

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

interface BroadcastParams {
  readonly shape: readonly number[];
  readonly dims: readonly number[];
}

/** A leaf of a fused kernel: an input variable read at `gi`, or through broadcast strides. */
interface Leaf {
  readonly v: ProgramVar;
  /** per output dim, the input's stride (0 where broadcast); undefined: same shape, read at gi */
  readonly strides?: readonly number[];
}

interface Group {
  readonly eqns: number[];
  readonly leaves: Leaf[];
  /** WGSL statements computing the root's value into `r` */
  readonly code: string;
  readonly out: ProgramVar;
}

/** Plans the fused kernels of a program (groups of at least two equations). */
export function planFusion(
  program: Program,
): { eqns: number[]; leaves: Leaf[]; code: string; out: ProgramVar }[] {
  const eqns = program.eqns;
  const producer = new Map<ProgramVar, number>();
  const uses = new Map<ProgramVar, number>();
  eqns.forEach((e, i) => {
    for (const v of e.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);
    for (const v of e.outs) producer.set(v, i);
  });
  for (const v of program.outVars) uses.set(v, (uses.get(v) ?? 0) + 1);

  const absorbed = new Set<number>();
  const groups: Group[] = [];
  for (let root = eqns.length - 1; root >= 0; root--) {
    if (absorbed.has(root) || !isElementwise(eqns[root]!)) continue;
    const g = buildGroup(root, eqns, producer, uses, absorbed);
    if (g && g.eqns.length >= 2) {
      for (const i of g.eqns) absorbed.add(i);
      groups.push(g);
    }
  }
  return groups.reverse();
}

function buildGroup(
  root: number,
  eqns: readonly ProgramEqn[],
  producer: ReadonlyMap<ProgramVar, number>,
  uses: ReadonlyMap<ProgramVar, number>,
  taken: ReadonlySet<number>,
): Group | undefined {
  const outShape = eqns[root]!.outs[0]!.aval.shape;
  const members: number[] = [];
  const leaves: Leaf[] = [];
  const lines: string[] = [];
  let tmp = 0;

  /** A leaf's WGSL name; undefined when the kernel would read too many buffers. */
  const leafOf = (v: ProgramVar, strides?: readonly number[]): string | undefined => {
    const sk = strides?.join(',') ?? '';
    let k = leaves.findIndex((l) => l.v === v && (l.strides?.join(',') ?? '') === sk);
    if (k < 0) {
      if (leaves.length >= MAX_INPUTS) return undefined;
      k = leaves.length;
      leaves.push(strides ? { v, strides } : { v });
    }
    return `l${k}`;
  };

  /** The WGSL value of `v` (a variable of the output's shape) inside the kernel. */
  const operandExpr = (v: ProgramVar, consumer: number): string | undefined => {
    const p = producer.get(v);
    const fusible = p !== undefined && p < consumer && !taken.has(p) && uses.get(v) === 1;
    if (fusible) {
      const e = eqns[p]!;
      if (isElementwise(e)) return emit(p);
      if (e.prim === 'broadcast_in_dim' && GPU_DTYPES.has(e.outs[0]!.aval.dtype)) {
        const prm = e.params as BroadcastParams;
        const src = e.inputs[0]!;
        const st = stridesOf(src.aval.shape);
        const strides = outShape.map(() => 0);
        prm.dims.forEach((d, i) => {
          strides[d] = src.aval.shape[i] === 1 ? 0 : st[i]!;
        });
        const name = leafOf(src, strides);
        if (name !== undefined) {
          members.push(p);
          return name;
        }
      }
    }
    return leafOf(v);
  };

  const emit = (i: number): string | undefined => {
    const e = eqns[i]!;
    const args: string[] = [];
    for (const v of e.inputs) {
      const a = operandExpr(v, i);
      if (a === undefined) return undefined;
      args.push(a);
    }
    const dt = e.inputs[0]!.aval.dtype;
    let expr: string;
    if (UNARY.has(e.prim)) expr = unaryExpr(e.prim as UnaryPrim, dt, args[0]!);
    else if (BINARY.has(e.prim)) {
      if (dt === 'bool' && (e.prim === 'div' || e.prim === 'pow')) return undefined;
      expr = binaryExpr(e.prim as BinaryPrim, dt, args[0]!, args[1]!);
    } else if (e.prim === 'compare')
      expr = compareExpr((e.params as { op: CompareOp }).op, dt, args[0]!, args[1]!);
    else if (e.prim === 'select') expr = `select(${args[2]}, ${args[1]}, ${args[0]} != 0u)`;
    else expr = castExpr(dt, (e.params as { dtype: DType }).dtype, args[0]!);
    const name = `t${tmp++}`;
    lines.push(`  let ${name} = ${expr};`);
    members.push(i);
    return name;
  };

  const r = emit(root);
  if (r === undefined) return undefined;
  lines.push(`  out0[gi] = ${r};`);
  // Leaf loads: same-shape leaves read at gi, broadcast ones through strides (from the uniforms).
  const rank = outShape.length;
  const loads = leaves.map((l, k) => {
    if (!l.strides) return `  let l${k} = in${k}[gi];`;
    const base = 1 + rank + k * rank;
    const idx = outShape.map((_, d) => `((gi / os${d}) % od${d}) * u(${base + d}u)`).join(' + ');
    return `  let l${k} = in${k}[${idx || '0u'}];`;
  });
  const dims = outShape.map(
    (_, d) => `  let os${d} = u(${1 + d}u);\n  let od${d} = u(${1 + rank + MAX_INPUTS * rank + d}u);`,
  );
  const code = [...dims, ...loads, ...lines].join('\n');
  members.sort((a, b) => a - b);
  return { eqns: members, leaves, code, out: eqns[root]!.outs[0]! };
}

/** What a fused kernel needs from the backend. */
export interface FusionHost {
  alloc(op: string, dtype: DType, length: number): WebGpuBuffer;
  handle(op: string, b: BufferHandle): WebGpuBuffer;
  dispatch(spec: DispatchSpec): void;
  releasingOnThrow<T>(fn: () => T): T;
}

/**
 * The kernels of a plan. Uniforms: [n, output strides (rank), for each leaf its strides
 * over the output dims (rank each, MAX_INPUTS slots), output dims (rank)].
 */
export function fusedKernels(program: Program, host: FusionHost): FusedKernel[] {
  return planFusion(program).map((g) => {
    const out = g.out.aval;
    const rank = out.shape.length;
    const n = sizeOf(out.shape);
    const meta = new Array<number>(1 + rank + MAX_INPUTS * rank + rank).fill(0);
    meta[0] = n;
    stridesOf(out.shape).forEach((s, d) => {
      meta[1 + d] = s;
    });
    g.leaves.forEach((l, k) => {
      l.strides?.forEach((s, d) => {
        meta[1 + rank + k * rank + d] = s;
      });
    });
    out.shape.forEach((s, d) => {
      meta[1 + rank + MAX_INPUTS * rank + d] = s;
    });
    const body = `${FLOAT_FNS}${INT_FNS}
${main1d()}
  if (gi >= u(0u)) { return; }
${g.code}
}`;
    const types = g.leaves.map((l) => storageType(l.v.aval.dtype));
    const key = `fused:${types.join(',')}>${storageType(out.dtype)}|${g.code}`;
    const op = `fused(${g.eqns.length})`;
    return {
      eqns: g.eqns,
      inputs: g.leaves.map((l) => l.v),
      output: g.out,
      run(operands: readonly Operand[]): BufferHandle {
        return host.releasingOnThrow(() => {
          const ins: Binding[] = operands.map((o, k) => ({
            buf: host.handle(op, o.buffer),
            type: types[k]!,
          }));
          const buf = host.alloc(op, out.dtype, n);
          if (n === 0) return buf;
          host.dispatch({
            op,
            key,
            inputs: ins,
            outputs: [{ buf, type: storageType(out.dtype) }],
            meta,
            workgroups: grid1d(n),
            body: () => body,
          });
          return buf;
        });
      },
    };
  });
}
