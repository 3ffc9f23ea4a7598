import type { DType } from '../../../core/dtype.ts';
import type { OutputSpec } from '../../backend.ts';
import {
  type Binding,
  expectInputs,
  type Kernel,
  type KernelContext,
  type KernelFusion,
  type WebGpuBuffer,
} from '../kernel.ts';
import { grid, grid1d, main1d, sizeOf, storageType, stridesOf } from '../wgsl.ts';
import { plainStore } from './matmul.ts';

/** Threads per workgroup in the tree reductions (one workgroup per output element). */
const TREE = 64;

interface Plan {
  nOut: number;
  nRed: number;
  kept: { size: number; stride: number }[];
  red: { size: number; stride: number }[];
}

/**
 * Splits the operand's axes into kept and reduced ones, merging neighbours of the same kind
 * (row-major, so merged runs are contiguous) to keep the index arithmetic short.
 */
function plan(op: string, shape: readonly number[], axes: readonly number[]): Plan {
  const st = stridesOf(shape);
  const isRed = shape.map((_, d) => axes.includes(d));
  for (const a of axes)
    if (a < 0 || a >= shape.length) throw new Error(`webgpu ${op}: axis ${a} out of range`);
  const kept: Plan['kept'] = [];
  const red: Plan['red'] = [];
  let prev: boolean | undefined;
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue; // contributes nothing to either side
    const list = isRed[d] ? red : kept;
    const last = list[list.length - 1];
    if (prev === isRed[d] && last) {
      last.size *= size;
      last.stride = st[d]!;
    } else list.push({ size, stride: st[d]! });
    prev = isRed[d];
  }
  let nOut = 1;
  for (const k of kept) nOut *= k.size;
  let nRed = 1;
  for (const r of red) nRed *= r.size;
  // a zero-size kept axis means no output; a zero-size reduced axis means an empty reduction
  if (shape.some((d, i) => d === 0 && !isRed[i])) nOut = 0;
  if (shape.some((d, i) => d === 0 && isRed[i])) nRed = 0;
  return { nOut, nRed, kept, red };
}

/** Offsets of output `o` (over kept dims) and reduction step `r` (over reduced dims). */
const INDEX_FNS = `
fn base_of(o: u32) -> u32 {
  let nk = u(2u);
  var rem = o;
  var off = 0u;
  for (var d = 0u; d < nk; d = d + 1u) {
    let a = nk - 1u - d;
    let size = u(4u + a);
    off = off + (rem % size) * u(4u + nk + a);
    rem = rem / size;
  }
  return off;
}
fn red_off(r: u32) -> u32 {
  let nk = u(2u);
  let nr = u(3u);
  let p = 4u + 2u * nk;
  var rem = r;
  var off = 0u;
  for (var d = 0u; d < nr; d = d + 1u) {
    let a = nr - 1u - d;
    let size = u(p + a);
    off = off + (rem % size) * u(p + nr + a);
    rem = rem / size;
  }
  return off;
}
`;

function planMeta(p: Plan): number[] {
  return [
    p.nOut,
    p.nRed,
    p.kept.length,
    p.red.length,
    ...p.kept.map((k) => k.size),
    ...p.kept.map((k) => k.stride),
    ...p.red.map((r) => r.size),
    ...p.red.map((r) => r.stride),
  ];
}

function useTree(p: Plan): boolean {
  return p.nRed > 64 || (p.nRed > 8 && p.nOut <= 256);
}

interface Monoid {
  acc: string;
  identity: string;
  combine: (a: string, b: string) => string;
  final: (acc: string) => string;
  /** The subgroup builtin with the same result, where it exists (not f32 max: NaN rules). */
  subgroup?: 'subgroupAdd' | 'subgroupMax';
}

function monoid(kind: 'sum' | 'max', dtype: DType): Monoid {
  const t = storageType(dtype);
  if (kind === 'sum') {
    return {
      acc: t,
      identity: `${t}(0)`,
      combine: (a, b) => `${a} + ${b}`,
      final: (a) => (dtype === 'bool' ? `select(0u, 1u, ${a} != 0u)` : a),
      subgroup: 'subgroupAdd',
    };
  }
  if (dtype === 'f32') {
    return {
      acc: 'f32',
      identity: 'tg_neg_inf()',
      combine: (a, b) => `tg_max_f32(${a}, ${b})`,
      final: (a) => a,
    };
  }
  return {
    acc: t,
    identity: dtype === 'i32' ? 'tg_i32_min()' : '0u',
    combine: (a, b) => `max(${a}, ${b})`,
    final: (a) => a,
    subgroup: 'subgroupMax',
  };
}

function reduceKernel(kind: 'sum' | 'max'): Kernel<'reduce_sum' | 'reduce_max'> {
  const op = kind === 'sum' ? 'reduce_sum' : 'reduce_max';
  return (ctx, inputs, params, out) => {
    expectInputs(op, inputs, 1);
    return reduce(ctx, kind, inputs[0]!, params.axes, out);
  };
}

/**
 * reduce_sum or reduce_max over `axes`. With `fusion`, the operand is not bound: the fused
 * code's `pro(i)` computes it (from its own inputs) and `epi_store` finishes each output.
 */
export function reduce(
  ctx: KernelContext,
  kind: 'sum' | 'max',
  x: { readonly shape: readonly number[]; readonly dtype: DType; readonly buf?: WebGpuBuffer },
  axes: readonly number[],
  out: OutputSpec,
  fusion?: KernelFusion,
): WebGpuBuffer {
  const op = kind === 'sum' ? 'reduce_sum' : 'reduce_max';
  const p = plan(op, x.shape, axes);
  if (p.nOut !== sizeOf(out.shape)) throw new Error(`webgpu ${op}: output [${out.shape}] has the wrong size`);
  const m = monoid(kind, x.dtype);
  const buf = ctx.alloc(op, fusion?.out ?? out);
  if (p.nOut === 0) return buf;
  const t = storageType(x.dtype);
  const tree = useTree(p);
  const sg = tree && ctx.subgroups && m.subgroup !== undefined;
  const meta = planMeta(p);
  let inputs: Binding[];
  let fns: string;
  if (fusion) {
    inputs = [...fusion.inputs];
    fns = fusion.code(0, meta.length);
  } else {
    if (!x.buf) throw new Error(`webgpu ${op}: no operand`);
    inputs = [{ buf: x.buf, type: t }];
    fns = `fn pro(i: u32) -> ${t} { return in0[i]; }\n${plainStore(out.dtype)}`;
  }
  ctx.dispatch({
    op,
    key: `reduce:${kind}:${x.dtype}:${sg ? 'sg' : tree ? 'tree' : 'seq'}${fusion ? `:${meta.length}|${fusion.key}` : ''}`,
    ...(sg ? { enables: ['subgroups'] } : {}),
    inputs,
    outputs: [{ buf, type: storageType(fusion?.out.dtype ?? out.dtype) }],
    meta: [...meta, ...(fusion?.meta ?? [])],
    workgroups: tree ? grid(p.nOut) : grid1d(p.nOut),
    body: () =>
      sg
        ? subgroupTreeBody(fns, m)
        : tree
          ? `${INDEX_FNS}
${fns}
var<workgroup> sh: array<${m.acc}, ${TREE}>;
@compute @workgroup_size(${TREE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * nwg.x + wid.x;
  let valid = o < u(0u);
  var acc = ${m.identity};
  if (valid) {
    let b = base_of(o);
    let n = u(1u);
    for (var r = lid; r < n; r = r + ${TREE}u) { acc = ${m.combine('acc', 'pro(b + red_off(r))')}; }
  }
  sh[lid] = acc;
  workgroupBarrier();
  for (var w = ${TREE / 2}u; w > 0u; w = w >> 1u) {
    if (lid < w) { sh[lid] = ${m.combine('sh[lid]', 'sh[lid + w]')}; }
    workgroupBarrier();
  }
  if (valid && lid == 0u) { epi_store(o, ${m.final('sh[0]')}); }
}`
          : `${INDEX_FNS}
${fns}
${main1d()}
  if (gi >= u(0u)) { return; }
  let b = base_of(gi);
  let n = u(1u);
  var acc = ${m.identity};
  for (var r = 0u; r < n; r = r + 1u) { acc = ${m.combine('acc', 'pro(b + red_off(r))')}; }
  epi_store(gi, ${m.final('acc')});
}`,
  });
  return buf;
}

/**
 * The tree reduction with subgroup operations: each thread folds a strided run, one
 * `subgroupAdd`/`subgroupMax` combines each subgroup, its first lane writes the result to
 * its own slot (the others write the identity; no assumption on how lanes map to
 * `local_invocation_index`), and one barrier later thread 0 folds the slots. One barrier
 * instead of log2(64) + 1; the builtins run in uniform control flow.
 */
function subgroupTreeBody(fns: string, m: Monoid): string {
  return `${INDEX_FNS}
${fns}
var<workgroup> sh: array<${m.acc}, ${TREE}>;
@compute @workgroup_size(${TREE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sid: u32) {
  let o = wid.y * nwg.x + wid.x;
  let valid = o < u(0u);
  var acc = ${m.identity};
  if (valid) {
    let b = base_of(o);
    let n = u(1u);
    for (var r = lid; r < n; r = r + ${TREE}u) { acc = ${m.combine('acc', 'pro(b + red_off(r))')}; }
  }
  let part = ${m.subgroup}(acc);
  sh[lid] = select(${m.identity}, part, sid == 0u);
  workgroupBarrier();
  if (valid && lid == 0u) {
    var tot = sh[0];
    for (var i = 1u; i < ${TREE}u; i = i + 1u) { tot = ${m.combine('tot', 'sh[i]')}; }
    epi_store(o, ${m.final('tot')});
  }
}`;
}

export const reduceSumKernel = reduceKernel('sum') as Kernel<'reduce_sum'>;
export const reduceMaxKernel = reduceKernel('max') as Kernel<'reduce_max'>;

/** Is (bv, bi) a better argmax candidate than (av, ai)? Larger wins, NaN is largest, ties go to the lower index. */
function betterFn(dtype: DType): string {
  const t = storageType(dtype);
  const nan =
    dtype === 'f32'
      ? `  let an = tg_isnan(av);
  let bn = tg_isnan(bv);
  if (an) { return bn && bi < ai; }
  if (bn) { return true; }
`
      : '';
  return `fn better(av: ${t}, ai: u32, bv: ${t}, bi: u32) -> bool {
${nan}  if (bv > av) { return true; }
  return bv == av && bi < ai;
}`;
}

export const argmaxKernel: Kernel<'argmax'> = (ctx, inputs, params, out) => {
  expectInputs('argmax', inputs, 1);
  const x = inputs[0]!;
  const p = plan('argmax', x.shape, [params.axis]);
  if (p.nOut !== sizeOf(out.shape))
    throw new Error(`webgpu argmax: output [${out.shape}] has the wrong size`);
  const buf = ctx.alloc('argmax', out);
  if (p.nOut === 0) return buf;
  const t = storageType(x.dtype);
  const identity = x.dtype === 'f32' ? 'tg_neg_inf()' : x.dtype === 'i32' ? 'tg_i32_min()' : '0u';
  const tree = useTree(p);
  ctx.dispatch({
    op: 'argmax',
    key: `argmax:${x.dtype}:${tree ? 'tree' : 'seq'}`,
    inputs: [{ buf: x.buf, type: t }],
    outputs: [{ buf, type: 'i32' }],
    meta: planMeta(p),
    workgroups: tree ? grid(p.nOut) : grid1d(p.nOut),
    body: () =>
      tree
        ? `${INDEX_FNS}
${betterFn(x.dtype)}
var<workgroup> shv: array<${t}, ${TREE}>;
var<workgroup> shi: array<u32, ${TREE}>;
@compute @workgroup_size(${TREE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * nwg.x + wid.x;
  let valid = o < u(0u);
  var bv = ${identity};
  var bi = 0xffffffffu;
  if (valid) {
    let b = base_of(o);
    let n = u(1u);
    for (var r = lid; r < n; r = r + ${TREE}u) {
      let v = in0[b + red_off(r)];
      if (better(bv, bi, v, r)) { bv = v; bi = r; }
    }
  }
  shv[lid] = bv;
  shi[lid] = bi;
  workgroupBarrier();
  for (var w = ${TREE / 2}u; w > 0u; w = w >> 1u) {
    if (lid < w && better(shv[lid], shi[lid], shv[lid + w], shi[lid + w])) {
      shv[lid] = shv[lid + w];
      shi[lid] = shi[lid + w];
    }
    workgroupBarrier();
  }
  if (valid && lid == 0u) { out0[o] = select(i32(shi[0]), 0, shi[0] == 0xffffffffu); }
}`
        : `${INDEX_FNS}
${betterFn(x.dtype)}
${main1d()}
  if (gi >= u(0u)) { return; }
  let b = base_of(gi);
  let n = u(1u);
  var bv = ${identity};
  var bi = 0xffffffffu;
  for (var r = 0u; r < n; r = r + 1u) {
    let v = in0[b + red_off(r)];
    if (better(bv, bi, v, r)) { bv = v; bi = r; }
  }
  out0[gi] = select(i32(bi), 0, bi == 0xffffffffu);
}`,
  });
  return buf;
};
