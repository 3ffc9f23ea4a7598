import type { DType } from '../../core/dtype.ts';
import type { PrimName, PrimParams } from '../../core/primitives.ts';
import { stridesOf } from './wgsl.ts';

/**
 * Host forwarding of tiny ops. A dispatch costs tens of µs of driver and queue work however
 * small the tensor, so a buffer of at most this many elements whose values are known on the
 * host (an upload, or the result of a forwarded op) keeps them there, and the exact ops
 * below run on the host while all their inputs are such buffers (tfjs-webgpu forwards the
 * same way, below 128 elements). The GPU copy is made only when a GPU kernel or a read needs it.
 */
export const HOST_MAX_ELEMENTS = 128;

/** Values in the CPU backend's layouts (bool as 0/1 bytes). */
export type HostArray = Float32Array | Int32Array | Uint8Array;

export interface HostOperand {
  readonly host: HostArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

function alloc(dtype: DType, n: number): HostArray | undefined {
  if (dtype === 'f32') return new Float32Array(n);
  if (dtype === 'i32') return new Int32Array(n);
  if (dtype === 'bool') return new Uint8Array(n);
  return undefined;
}

/** A copy of `data` in the host layout of `dtype` (bool as 0/1). */
export function toHostArray(data: ArrayLike<number>, dtype: DType): HostArray | undefined {
  const out = alloc(dtype, data.length);
  if (!out) return undefined;
  if (dtype === 'bool') for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
  else out.set(data);
  return out;
}

type Fn2 = (a: number, b: number) => number;

// The same results as the WGSL kernels: f32 + - * are correctly rounded on both sides (the
// typed array rounds), max/min return NaN when either side is NaN, i32 wraps.
const F32: Partial<Record<PrimName, Fn2>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  // biome-ignore lint/complexity/useMathMinMax: Math.max(0, -0) is 0; the kernel's select gives -0
  max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? a + b : a > b ? a : b),
  // biome-ignore lint/complexity/useMathMinMax: as max
  min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? a + b : a < b ? a : b),
};
const I32: Partial<Record<PrimName, Fn2>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: Math.imul,
  max: Math.max,
  min: Math.min,
};
const BOOL: Partial<Record<PrimName, Fn2>> = {
  add: (a, b) => a | b,
  max: (a, b) => a | b,
  mul: (a, b) => a & b,
  min: (a, b) => a & b,
  sub: (a, b) => a ^ b,
};
const COMPARE: Record<PrimParams['compare']['op'], Fn2> = {
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
};

function map2(a: HostArray, b: HostArray, out: HostArray, f: Fn2): HostArray {
  for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, b[i]!);
  return out;
}

function castValue(x: number, from: DType, to: DType): number {
  if (to === 'bool') return x !== 0 ? 1 : 0; // NaN !== 0: true, as on the GPU
  if (to === 'f32' || from !== 'f32') return x;
  // f32 -> i32 as tg_f2i: NaN is 0, out of range saturates, else truncation
  if (Number.isNaN(x)) return 0;
  if (x >= 2147483648) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x);
}

function broadcast(x: HostOperand, p: PrimParams['broadcast_in_dim'], out: HostArray): HostArray {
  const inStrides = stridesOf(x.shape);
  const strides = p.shape.map(() => 0);
  p.dims.forEach((d, i) => {
    if (x.shape[i] !== 1) strides[d] = inStrides[i]!;
  });
  const idx = p.shape.map(() => 0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x.host[src]!;
    for (let d = p.shape.length - 1; d >= 0; d--) {
      src += strides[d]!;
      if (++idx[d]! < p.shape[d]!) break;
      src -= strides[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * `prim` computed on the host, or undefined when it is not one of the forwarded ops
 * (add, sub, mul, max, min, neg, abs, compare, select, cast, broadcast_in_dim).
 */
export function hostRun<P extends PrimName>(
  prim: P,
  inputs: readonly HostOperand[],
  params: PrimParams[P],
  out: { readonly dtype: DType; readonly size: number },
): HostArray | undefined {
  const r = alloc(out.dtype, out.size);
  if (!r) return undefined;
  const [a, b, c] = inputs;
  switch (prim) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'max':
    case 'min': {
      const table = a!.dtype === 'f32' ? F32 : a!.dtype === 'i32' ? I32 : BOOL;
      const f = table[prim];
      return f && b!.dtype === a!.dtype ? map2(a!.host, b!.host, r, f) : undefined;
    }
    case 'neg':
    case 'abs': {
      if (a!.dtype === 'bool') return r.set(a!.host) ?? r;
      const f = prim === 'neg' ? (x: number) => -x : Math.abs;
      for (let i = 0; i < r.length; i++) r[i] = f(a!.host[i]!);
      return r;
    }
    case 'compare':
      return map2(a!.host, b!.host, r, COMPARE[(params as PrimParams['compare']).op]);
    case 'select':
      for (let i = 0; i < r.length; i++) r[i] = a!.host[i] ? b!.host[i]! : c!.host[i]!;
      return r;
    case 'cast':
      for (let i = 0; i < r.length; i++) r[i] = castValue(a!.host[i]!, a!.dtype, out.dtype);
      return r;
    case 'broadcast_in_dim':
      return broadcast(a!, params as PrimParams['broadcast_in_dim'], r);
    default:
      return undefined;
  }
}
