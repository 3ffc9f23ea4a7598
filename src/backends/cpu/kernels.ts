/**
 * The CPU kernel table: one entry per primitive, typed so that a primitive without a CPU
 * kernel is a compile error. Each entry gets its operands' checked typed arrays, the
 * operands themselves (for shapes and dtypes), the primitive's parameters and the output
 * spec, and returns the output's new storage.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import type { BinaryPrim, PrimName, PrimParams, UnaryPrim } from '../../core/primitives.ts';
import type { Operand, OutputSpec } from '../backend.ts';
import { dotGeneral, type GemmEngine } from './dot.ts';
import { binary, cast, compare, select, unary } from './elementwise.ts';
import { gather, scatterAdd } from './gather.ts';
import { cpuKernel, installedCpuKernel } from './kernel-slots.ts';
import { broadcastInDim, concatenate, pad, reshape, rev, slice, transpose } from './movement.ts';
import { randomBits } from './random.ts';
import { argmax, reduce } from './reduce.ts';
import { allocOut } from './storage.ts';
import { fmtShape, sizeOf } from './strides.ts';

export type Kernel<P extends PrimName> = (
  xs: readonly TypedArray[],
  ops: readonly Operand[],
  params: PrimParams[P],
  out: OutputSpec,
) => TypedArray;

/** How many operands each primitive takes (-1: one or more). */
export const ARITY: { [P in PrimName]: number } = {
  neg: 1,
  exp: 1,
  log: 1,
  sin: 1,
  cos: 1,
  sqrt: 1,
  tanh: 1,
  logistic: 1,
  abs: 1,
  sign: 1,
  add: 2,
  sub: 2,
  mul: 2,
  div: 2,
  pow: 2,
  max: 2,
  min: 2,
  compare: 2,
  select: 3,
  cast: 1,
  reduce_sum: 1,
  reduce_max: 1,
  argmax: 1,
  window_argmax: 1,
  window_max: 1,
  reshape: 1,
  broadcast_in_dim: 1,
  transpose: 1,
  slice: 1,
  pad: 1,
  concatenate: -1,
  rev: 1,
  dot_general: 2,
  conv_general: 2,
  gather: 2,
  scatter_add: 3,
  random_bits: 1,
};

/** Elementwise primitives index every operand by the output's flat index: sizes must agree. */
function sameSize(prim: string, xs: readonly TypedArray[], ops: readonly Operand[], out: OutputSpec): void {
  const n = sizeOf(out.shape);
  xs.forEach((x, i) => {
    if (x.length !== n) {
      throw new Error(
        `cpu ${prim}: operand ${i} has shape ${fmtShape(ops[i]!.shape)}, output ${fmtShape(out.shape)} (no broadcasting at primitive level)`,
      );
    }
  });
}

/** Throws unless operand `i` has the dtype the primitive requires. */
function needDtype(prim: string, ops: readonly Operand[], i: number, dtype: DType): void {
  const d = ops[i]!.dtype;
  if (d !== dtype) throw new Error(`cpu ${prim}: operand ${i} must be ${dtype}, got ${d}`);
}

function unaryKernel(prim: UnaryPrim): Kernel<UnaryPrim> {
  return (xs, ops, _p, out) => {
    sameSize(prim, xs, ops, out);
    const o = allocOut(out, false);
    unary(prim, xs[0]!, o, ops[0]!.dtype);
    return o;
  };
}

function binaryKernel(prim: BinaryPrim): Kernel<BinaryPrim> {
  return (xs, ops, _p, out) => {
    sameSize(prim, xs, ops, out);
    const o = allocOut(out, false);
    binary(prim, xs[0]!, xs[1]!, o, ops[0]!.dtype);
    return o;
  };
}

/**
 * Elementwise primitives with an exact SIMD twin: on the fused-group SIMD kernel from a size
 * up, once jit's fusion has installed it (`kernel-slots.ts`), else on the JS kernels.
 */
const SIMD_PRIMS = [
  'neg',
  'abs',
  'sqrt',
  'add',
  'sub',
  'mul',
  'div',
  'max',
  'min',
  'compare',
  'select',
] as const;
type SimdPrim = (typeof SIMD_PRIMS)[number];

function simdKernels(): Pick<KernelTable, SimdPrim> {
  const table = {} as Record<SimdPrim, Kernel<SimdPrim>>;
  for (const prim of SIMD_PRIMS) {
    const js = KERNELS[prim] as Kernel<SimdPrim>;
    table[prim] = (xs, ops, p, out) => {
      sameSize(prim, xs, ops, out);
      const dtypes = ops.map((o) => o.dtype);
      const size = sizeOf(out.shape);
      const route = installedCpuKernel('elementwise');
      const simd =
        route === undefined || (prim === 'select' && dtypes[0] !== 'bool')
          ? undefined
          : route(prim, dtypes, out.dtype, p, size);
      if (simd === undefined) return js(xs, ops, p, out);
      const o = allocOut(out, false);
      simd.run(xs, o, size);
      return o;
    };
  }
  return table as unknown as Pick<KernelTable, SimdPrim>;
}

/** Max pooling's window kernels, on the wasm SIMD kernel where it applies (`simd`). */
function windowKernels(simd: boolean): Pick<KernelTable, 'window_max' | 'window_argmax'> {
  return {
    window_argmax: ([x], [op], p, out) =>
      overwrite(out, (o) => cpuKernel('window_argmax', 'pool')(x!, op!.shape, p, o, false, simd)),
    window_max: ([x], [op], p, out) =>
      overwrite(out, (o) => cpuKernel('window_max', 'pool')(x!, op!.shape, p, o, true, simd)),
  };
}

/** dot_general and conv_general on one products engine. */
function productKernels(engine: GemmEngine): Pick<KernelTable, 'dot_general' | 'conv_general'> {
  return {
    dot_general: ([a, b], [l, r], p, out) =>
      into(out, (o) => dotGeneral(a!, l!.shape, b!, r!.shape, p, o, out.dtype, engine)),
    conv_general: ([a, b], [l, r], p, out) =>
      into(out, (o) =>
        cpuKernel('conv_general', 'conv')(a!, l!.shape, b!, r!.shape, p, o, out.shape, out.dtype, engine),
      ),
  };
}

/**
 * The kernels that differ between kernel sets: f32 products on the WebAssembly SIMD GEMM, 2×2
 * max pools, and large f32 elementwise primitives (jit's fused groups switch with the set too).
 */
export type KernelSet = 'wasm' | 'js';

/**
 * The kernel table of a kernel set: `js` is KERNELS; `wasm` replaces its f32 products, 2×2
 * max pools and (once installed) large exact f32 elementwise primitives.
 *
 * @example
 * const table = kernelTable(wasmSimdSupported() ? 'wasm' : 'js');
 */
export function kernelTable(set: KernelSet): KernelTable {
  return set === 'js'
    ? KERNELS
    : { ...KERNELS, ...productKernels('wasm'), ...windowKernels(true), ...simdKernels() };
}

/** Runs `fill` on a fresh output buffer and returns it. */
function into(out: OutputSpec, fill: (o: TypedArray) => void): TypedArray {
  const o = allocOut(out);
  fill(o);
  return o;
}

/** As `into`, for a kernel that writes every output element (no zero-fill first). */
function overwrite(out: OutputSpec, fill: (o: TypedArray) => void): TypedArray {
  const o = allocOut(out, false);
  fill(o);
  return o;
}

/** A kernel per primitive. */
export type KernelTable = { [P in PrimName]: Kernel<P> };

/** The pure-JS kernel set (f64 accumulation in every product): the fallback, and the table of record. */
export const KERNELS: KernelTable = {
  neg: unaryKernel('neg'),
  exp: unaryKernel('exp'),
  log: unaryKernel('log'),
  sin: unaryKernel('sin'),
  cos: unaryKernel('cos'),
  sqrt: unaryKernel('sqrt'),
  tanh: unaryKernel('tanh'),
  logistic: unaryKernel('logistic'),
  abs: unaryKernel('abs'),
  sign: unaryKernel('sign'),
  add: binaryKernel('add'),
  sub: binaryKernel('sub'),
  mul: binaryKernel('mul'),
  div: binaryKernel('div'),
  pow: binaryKernel('pow'),
  max: binaryKernel('max'),
  min: binaryKernel('min'),
  compare: (xs, ops, p, out) => {
    sameSize('compare', xs, ops, out);
    return overwrite(out, (o) => compare(p.op, xs[0]!, xs[1]!, o));
  },
  select: (xs, ops, _p, out) => {
    sameSize('select', xs, ops, out);
    needDtype('select', ops, 0, 'bool');
    return overwrite(out, (o) => select(xs[0]!, xs[1]!, xs[2]!, o));
  },
  cast: (xs, ops, p, out) => {
    sameSize('cast', xs, ops, out);
    return overwrite(out, (o) => cast(xs[0]!, ops[0]!.dtype, o, p.dtype));
  },
  reduce_sum: ([x], [op], p, out) => into(out, (o) => reduce('sum', x!, op!.shape, p.axes, o, op!.dtype)),
  reduce_max: ([x], [op], p, out) => into(out, (o) => reduce('max', x!, op!.shape, p.axes, o, op!.dtype)),
  argmax: ([x], [op], p, out) => into(out, (o) => argmax(x!, op!.shape, p.axis, o)),
  ...windowKernels(false),
  reshape: ([x], _ops, _p, out) => overwrite(out, (o) => reshape(x!, o)),
  broadcast_in_dim: ([x], [op], p, out) =>
    overwrite(out, (o) => broadcastInDim(x!, op!.shape, out.shape, p.dims, o)),
  transpose: ([x], [op], p, out) => overwrite(out, (o) => transpose(x!, op!.shape, out.shape, p.perm, o)),
  slice: ([x], [op], p, out) =>
    overwrite(out, (o) => slice(x!, op!.shape, out.shape, p.start, p.limit, p.stride, o)),
  pad: ([x], [op], p, out) => into(out, (o) => pad(x!, op!.shape, out.shape, p.lo, p.hi, p.interior, o)),
  concatenate: (xs, ops, p, out) =>
    overwrite(out, (o) =>
      concatenate(
        xs,
        ops.map((op) => op.shape),
        p.axis,
        out.shape,
        o,
      ),
    ),
  rev: ([x], [op], p, out) => overwrite(out, (o) => rev(x!, op!.shape, p.axes, o)),
  dot_general: productKernels('js').dot_general,
  conv_general: productKernels('js').conv_general,
  gather: ([x, i], ops, p, out) => {
    needDtype('gather', ops, 1, 'i32');
    return overwrite(out, (o) => gather(x!, ops[0]!.shape, i!, p.axis, o));
  },
  scatter_add: ([x, i, u], ops, p, out) => {
    needDtype('scatter_add', ops, 1, 'i32');
    return overwrite(out, (o) => scatterAdd(x!, ops[0]!.shape, i!, u!, p.axis, o));
  },
  random_bits: ([k], ops, p, out) => {
    needDtype('random_bits', ops, 0, 'i32');
    if (sizeOf(p.shape) !== sizeOf(out.shape)) {
      throw new Error(
        `cpu random_bits: shape ${fmtShape(p.shape)} does not match output ${fmtShape(out.shape)}`,
      );
    }
    return into(out, (o) => randomBits(k!, p.stream, o));
  },
};
