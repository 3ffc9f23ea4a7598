import type { DType } from '../../core/dtype.ts';
import {
  BINARY_PRIMS,
  type BinaryPrim,
  type CompareOp,
  type PrimParams,
  UNARY_PRIMS,
  type UnaryPrim,
} from '../../core/primitives.ts';
import type { BufferHandle, FusedKernel, Operand, OutputSpec, Program, ProgramEqn } from '../backend.ts';
import {
  type FusionGroup,
  type FusionRules,
  planFusion as planFusionWith,
  type Tree,
} from '../fusion-plan.ts';
import type { Binding, GpuOperand, KernelContext, KernelFusion, WebGpuBuffer } from './kernel.ts';
import { convGeneral } from './kernels/conv.ts';
import { binaryExpr, castExpr, compareExpr, FLOAT_FNS, INT_FNS, unaryExpr } from './kernels/elementwise.ts';
import { dotGeneral } from './kernels/matmul.ts';
import { reduce } from './kernels/reduce.ts';
import { grid1d, main1d, sizeOf, storageType, stridesOf } from './wgsl.ts';

/**
 * Fusion of `jit` programs on WebGPU: the groups planned by `../fusion-plan.ts` (elementwise
 * trees of one shape with their broadcasts read through strides; under them, optionally, a
 * matmul / convolution / reduction core, reductions with an elementwise prologue) become one
 * generated WGSL kernel each: one dispatch instead of one per equation, at most 8 storage
 * buffers (7 inputs and the output).
 */

/** Storage buffers one fused kernel may read (plus its output: 8 per stage at most). */
const MAX_INPUTS = 7;

const UNARY = new Set<string>(UNARY_PRIMS);
const BINARY = new Set<string>(BINARY_PRIMS);

/** What WebGPU fuses: f32/i32/bool trees; f32/i32 cores. */
const GPU_RULES: FusionRules = {
  dtypes: new Set<DType>(['f32', 'i32', 'bool']),
  coreDtypes: new Set<DType>(['f32', 'i32']),
  maxInputs: MAX_INPUTS,
};

export type { FusionGroup } from '../fusion-plan.ts';

/** Plans the fused kernels of a program under WebGPU's rules (groups of at least two equations). */
export function planFusion(program: Program): FusionGroup[] {
  return planFusionWith(program, GPU_RULES);
}

/** The WGSL expression of one step: its equation applied to the named arguments. */
function stepExpr(e: ProgramEqn, args: readonly string[]): string {
  const dt = e.inputs[0]!.aval.dtype;
  if (UNARY.has(e.prim)) return unaryExpr(e.prim as UnaryPrim, dt, args[0]!);
  if (BINARY.has(e.prim)) return binaryExpr(e.prim as BinaryPrim, dt, args[0]!, args[1]!);
  if (e.prim === 'compare') return compareExpr((e.params as { op: CompareOp }).op, dt, args[0]!, args[1]!);
  if (e.prim === 'select') return `select(${args[2]}, ${args[1]}, ${args[0]} != 0u)`;
  return castExpr(dt, (e.params as { dtype: DType }).dtype, args[0]!);
}

/** WGSL statements of a tree's steps. */
function treeLines(tree: Tree, eqns: readonly ProgramEqn[]): string[] {
  return tree.steps.map((s) => `  let ${s.name} = ${stepExpr(eqns[s.eqn]!, s.args)};`);
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
  eqns: readonly ProgramEqn[],
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
      lines.push(...treeLines(tree, eqns));
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
    eqns,
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
        eqns,
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
      const tc = treeCode(
        g.epi,
        program.eqns,
        out.shape,
        undefined,
        'fn epi_store(gi: u32)',
        (v) => `  out0[gi] = ${v};`,
      );
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
