import type { Backend, Operand } from '../backends/backend.ts';
import type { Aval } from './aval.ts';
import { sizeOf } from './aval.ts';
import { currentBackend } from './backend-registry.ts';
import type { DType, TypedArray } from './dtype.ts';
import { allocArray, byteSize } from './dtype.ts';
import { checkAllocation } from './limits.ts';
import type { PrimName } from './primitives.ts';
import { shapeRules } from './shape-rules.ts';
import { Tensor } from './tensor.ts';
import type { Params } from './trace.ts';
import { installEvaluator } from './trace.ts';

/**
 * Eager evaluation: each backend primitive runs one kernel; structured primitives (jit
 * calls, scan, custom derivatives) register their own evaluation here.
 */
type Impl = (args: readonly Tensor[], params: Params) => Tensor[];
const structuredImpls = new Map<string, Impl>();

export function registerImpl(prim: string, impl: Impl): void {
  structuredImpls.set(prim, impl);
}

export function isBackendPrim(prim: string): prim is PrimName {
  return Object.hasOwn(shapeRules, prim);
}

/** Wraps a freshly made buffer as a tensor. */
export function wrapBuffer(backend: Backend, aval: Aval, buffer: unknown): Tensor {
  return new Tensor(aval, {
    backend,
    buffer,
    bytes: sizeOf(aval.shape) * byteSize(aval.dtype),
    freed: false,
  });
}

/** Where the dtypes that not every backend has do exist. */
const DTYPE_HOME: Partial<Record<DType, string>> = {
  f64: 'f64 is CPU-only',
  f16: 'f16 is WebGPU-only (shader-f16): use the WebGPU backend on an adapter with shader-f16, or f32',
};

function checkDtype(backend: Backend, dtype: DType, op: string): void {
  if (!backend.supports(dtype))
    throw new Error(
      `${op}: dtype ${dtype} is not supported on the ${backend.name} backend (${DTYPE_HOME[dtype] ?? 'use f32'})`,
    );
}

/** Makes a tensor from host data on the current backend. */
export function fromHost(data: TypedArray, aval: Aval, op: string): Tensor {
  const backend = currentBackend();
  checkDtype(backend, aval.dtype, op);
  checkAllocation(op, backend, aval);
  return wrapBuffer(backend, aval, backend.upload(data, aval.dtype));
}

/** A tensor of `aval` filled with `value`, made on the current backend where it can. */
export function filled(aval: Aval, value: number, op: string): Tensor {
  const backend = currentBackend();
  checkAllocation(op, backend, aval);
  if (!backend.fill) {
    const data = allocArray(aval.dtype, sizeOf(aval.shape));
    if (value !== 0) data.fill(aval.dtype === 'bool' ? (value ? 1 : 0) : value);
    return fromHost(data, aval, op);
  }
  checkDtype(backend, aval.dtype, op);
  return wrapBuffer(backend, aval, backend.fill(aval.dtype, sizeOf(aval.shape), value));
}

function operandOn(backend: Backend, t: Tensor, op: string): Operand {
  const s = t._live(op);
  if (s.backend === backend) return { buffer: s.buffer, shape: t.shape as readonly number[], dtype: t.dtype };
  if (!s.backend.readSync)
    throw new Error(
      `${op}: operand ${t.describe()} lives on the ${s.backend.name} backend but the current backend is ${backend.name}`,
    );
  checkDtype(backend, t.dtype, op);
  // A CPU-resident operand (often a constant) is copied to the current backend for this op.
  const buffer = backend.upload(s.backend.readSync(s.buffer, t.dtype, t.size), t.dtype);
  return { buffer, shape: t.shape as readonly number[], dtype: t.dtype };
}

export function evalPrimitive(prim: string, args: readonly Tensor[], params: Params): Tensor[] {
  const impl = structuredImpls.get(prim);
  if (impl) return impl(args, params);
  return [evalPrimitive1(prim, args, params)];
}

/** A backend primitive's single output (structured primitives: their first). */
function evalPrimitive1(prim: string, args: readonly Tensor[], params: Params): Tensor {
  const impl = structuredImpls.get(prim);
  if (impl) return impl(args, params)[0]!;
  if (!isBackendPrim(prim)) throw new Error(`unknown primitive '${prim}'`);
  const rule = shapeRules[prim] as (inputs: readonly Aval[], p: Params) => Aval;
  // A concrete tensor is its own aval (shape and dtype); a rule may return an input as the
  // output's aval, and the output tensor copies only those two fields from it.
  const out = rule(args, params);
  return runOnBackend(currentBackend(), prim, args, out, runPrimitive, params);
}

/** How a backend primitive runs, for runOnBackend (module-level, so no closure per op). */
function runPrimitive(
  backend: Backend,
  operands: readonly Operand[],
  prim: string,
  params: Params | undefined,
  out: Aval,
): unknown {
  return backend.run(prim as PrimName, operands, params as never, out);
}

/**
 * Runs a kernel (one primitive, or a backend's fused kernel) on concrete tensors: uploads
 * operands living elsewhere for the call, wraps the output buffer as a tracked tensor.
 * `run` gets the backend, the operands, `op`, `params` and `out`.
 */
export function runOnBackend(
  backend: Backend,
  op: string,
  args: readonly Tensor[],
  out: Aval,
  run: (
    backend: Backend,
    operands: readonly Operand[],
    op: string,
    params: Params | undefined,
    out: Aval,
  ) => unknown,
  params?: Params,
): Tensor {
  checkDtype(backend, out.dtype, op);
  checkAllocation(op, backend, out);
  const operands: Operand[] = new Array(args.length);
  let copied = false;
  for (let i = 0; i < args.length; i++) {
    const o = operandOn(backend, args[i]!, op);
    operands[i] = o;
    if (o.buffer !== args[i]!._storage!.buffer) copied = true;
  }
  if (!copied) return wrapBuffer(backend, out, run(backend, operands, op, params, out));
  try {
    return wrapBuffer(backend, out, run(backend, operands, op, params, out));
  } finally {
    for (let i = 0; i < args.length; i++)
      if (operands[i]!.buffer !== args[i]!._storage!.buffer) backend.dispose(operands[i]!.buffer);
  }
}

installEvaluator(evalPrimitive, evalPrimitive1);
