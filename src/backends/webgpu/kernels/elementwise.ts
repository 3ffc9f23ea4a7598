import type { DType } from '../../../core/dtype.ts';
import type { BinaryPrim, CompareOp, UnaryPrim } from '../../../core/primitives.ts';
import type { OutputSpec } from '../../backend.ts';
import {
  expectInputs,
  type GpuOperand,
  type Kernel,
  type KernelContext,
  type WebGpuBuffer,
} from '../kernel.ts';
import { grid1d, main1d, sizeOf, storageType } from '../wgsl.ts';

/** Float helpers: stable tanh/logistic, IEEE/C pow, sign that keeps NaN and ±0. */
export const FLOAT_FNS = `
fn tg_tanh(x: f32) -> f32 {
  if (tg_isnan(x)) { return x; }
  let a = abs(x);
  var r: f32;
  if (a < 0.125) {
    let z = x * x;
    return x * (1.0 + z * (-0.33333333333 + z * (0.13333333333 + z * (-0.053968253968 + z * 0.021869488536))));
  }
  // exp(-2|x|) never overflows: tanh(|x|) = (1 - t) / (1 + t).
  let t = exp(-2.0 * a);
  r = (1.0 - t) / (1.0 + t);
  return select(r, -r, x < 0.0);
}
fn tg_logistic(x: f32) -> f32 {
  if (tg_isnan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
// sin/cos: Cody-Waite reduction by pi/2 and Cephes' single-precision polynomials, because
// drivers' sin/cos may be far less accurate (SwiftShader: ~2e-4 absolute).
fn tg_sincos_q(x: f32, shift: i32) -> f32 {
  if (tg_isnan(x) || abs(x) > 3.0e38) { return tg_nan(); }
  let j = round(x * 0.63661977236758134);
  let r = ((x - j * 1.5703125) - j * 4.8375129699707031e-4) - j * 7.5497899548918821e-8;
  let z = r * r;
  let sn = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let cs = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  let q = (i32(clamp(j, -1.0e9, 1.0e9)) + shift) & 3;
  if (q == 0) { return sn; }
  if (q == 1) { return cs; }
  if (q == 2) { return -sn; }
  return -cs;
}
fn tg_sin(x: f32) -> f32 { return tg_sincos_q(x, 0); }
fn tg_cos(x: f32) -> f32 { return tg_sincos_q(x, 1); }
// log with IEEE edge cases (SwiftShader's log(0) is -88, not -inf).
fn tg_log(x: f32) -> f32 {
  if (tg_isnan(x)) { return x; }
  if (x == 0.0) { return tg_neg_inf(); }
  if (x < 0.0) { return tg_nan(); }
  return log(x);
}
// Drivers' transcendental functions need not propagate NaN (SwiftShader's do not).
fn tg_exp(x: f32) -> f32 { if (tg_isnan(x)) { return x; } return exp(x); }
fn tg_sqrt(x: f32) -> f32 { if (tg_isnan(x) || x < 0.0) { return tg_nan(); } return sqrt(x); }
fn tg_sign_f32(x: f32) -> f32 { return select(select(x, -1.0, x < 0.0), 1.0, x > 0.0); }
fn tg_is_int(b: f32) -> bool { return floor(b) == b; }
fn tg_is_odd(b: f32) -> bool { let h = b * 0.5; return tg_is_int(b) && floor(h) != h; }
fn tg_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (tg_isnan(a) || tg_isnan(b)) { return a + b; }
  let inf = -tg_neg_inf();
  let ab = abs(a);
  if (abs(b) == inf) {
    if (ab == 1.0) { return 1.0; }
    return select(0.0, inf, (ab > 1.0) == (b > 0.0));
  }
  var r: f32;
  if (ab == 0.0) {
    r = select(inf, 0.0, b > 0.0);
  } else if (tg_is_int(b) && abs(b) <= 1024.0) {
    var e = u32(abs(b));
    var base = ab;
    r = 1.0;
    loop {
      if ((e & 1u) != 0u) { r = r * base; }
      e = e >> 1u;
      if (e == 0u) { break; }
      base = base * base;
    }
    if (b < 0.0) { r = 1.0 / r; }
  } else {
    r = exp2(b * log2(ab));
  }
  if (a < 0.0 || bitcast<u32>(a) == 0x80000000u) {
    if (!tg_is_int(b) && ab != inf && ab != 0.0) { return tg_nan(); }
    if (tg_is_odd(b)) { return -r; }
  }
  return r;
}
fn tg_f2i(x: f32) -> i32 {
  if (tg_isnan(x)) { return 0; }
  if (x >= 2147483648.0) { return 2147483647; }
  if (x <= -2147483648.0) { return tg_i32_min(); }
  return i32(x);
}
`;

export const INT_FNS = `
fn tg_idiv(a: i32, b: i32) -> i32 { return select(a / b, 0, b == 0); }
fn tg_ipow(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) != 0) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}
`;

function mapKernel(
  ctx: KernelContext,
  op: string,
  key: string,
  ins: readonly GpuOperand[],
  out: OutputSpec,
  expr: (args: string[]) => string,
  helpers = '',
): WebGpuBuffer {
  const n = sizeOf(out.shape);
  for (const x of ins) {
    if (x.buf.length !== n)
      throw new Error(`webgpu ${op}: operand has ${x.buf.length} elements, output ${n}`);
  }
  const buf = ctx.alloc(op, out);
  if (n === 0) return buf;
  const args = ins.map((_, k) => `in${k}[gi]`);
  ctx.dispatch({
    op,
    key: `map:${key}`,
    inputs: ins.map((x) => ({ buf: x.buf, type: storageType(x.dtype) })),
    outputs: [{ buf, type: storageType(out.dtype) }],
    meta: [n],
    workgroups: grid1d(n),
    body: () => `${helpers}
${main1d()}
  if (gi >= u(0u)) { return; }
  out0[gi] = ${expr(args)};
}`,
  });
  return buf;
}

const FLOAT_UNARY: Record<UnaryPrim, (x: string) => string> = {
  neg: (x) => `-(${x})`,
  exp: (x) => `tg_exp(${x})`,
  log: (x) => `tg_log(${x})`,
  sin: (x) => `tg_sin(${x})`,
  cos: (x) => `tg_cos(${x})`,
  sqrt: (x) => `tg_sqrt(${x})`,
  tanh: (x) => `tg_tanh(${x})`,
  logistic: (x) => `tg_logistic(${x})`,
  abs: (x) => `abs(${x})`,
  sign: (x) => `tg_sign_f32(${x})`,
};

/** The WGSL conversion of a loaded `from` value to `to` (cast semantics). */
export function castExpr(from: DType, to: DType, x: string): string {
  if (from === to) return x;
  // f16 goes through f32 both ways (every f16 is exact in f32).
  if (from === 'f16') return castExpr('f32', to, `f32(${x})`);
  if (to === 'f16') return `f16(${castExpr(from, 'f32', x)})`;
  if (to === 'bool') {
    // NaN is != 0, so true (SwiftShader's != is ordered, hence the explicit NaN test).
    return from === 'f32' ? `select(0u, 1u, ${x} != 0.0 || tg_isnan(${x}))` : `select(0u, 1u, ${x} != 0)`;
  }
  if (to === 'f32') return `f32(${x})`;
  // to i32
  return from === 'f32' ? `tg_f2i(${x})` : `i32(${x})`;
}

export function unaryExpr(prim: UnaryPrim, dtype: DType, x: string): string {
  if (dtype === 'f32') return FLOAT_UNARY[prim](x);
  if (dtype === 'i32') {
    if (prim === 'neg') return `-(${x})`;
    if (prim === 'abs') return `abs(${x})`;
    if (prim === 'sign') return `sign(${x})`;
    return `tg_f2i(${FLOAT_UNARY[prim](`f32(${x})`)})`;
  }
  // bool (u32 0/1)
  if (prim === 'neg' || prim === 'abs' || prim === 'sign') return x;
  return `select(0u, 1u, ${FLOAT_UNARY[prim](`f32(${x})`)} != 0.0)`;
}

export function unaryKernel<P extends UnaryPrim>(prim: P): Kernel<P> {
  return (ctx, inputs, _params, out) => {
    expectInputs(prim, inputs, 1);
    const dt = inputs[0]!.dtype;
    return mapKernel(ctx, prim, `${prim}:${dt}`, inputs, out, ([x]) => unaryExpr(prim, dt, x!), FLOAT_FNS);
  };
}

const FLOAT_BINARY: Record<BinaryPrim, (a: string, b: string) => string> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  pow: (a, b) => `tg_pow(${a}, ${b})`,
  max: (a, b) => `tg_max_f32(${a}, ${b})`,
  min: (a, b) => `tg_min_f32(${a}, ${b})`,
};

const INT_BINARY: Record<BinaryPrim, (a: string, b: string) => string> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `tg_idiv(${a}, ${b})`,
  pow: (a, b) => `tg_ipow(${a}, ${b})`,
  max: (a, b) => `max(${a}, ${b})`,
  min: (a, b) => `min(${a}, ${b})`,
};

/** The WGSL of a binary primitive on loaded values of dtype `dt`. */
export function binaryExpr(prim: BinaryPrim, dt: DType, a: string, b: string): string {
  if (dt === 'f32') return FLOAT_BINARY[prim](a, b);
  if (dt === 'i32') return INT_BINARY[prim](a, b);
  // bool: integer arithmetic on 0/1, then != 0 (add/max = or, mul/min = and, sub = xor)
  return `select(0u, 1u, ${INT_BINARY[prim](`i32(${a})`, `i32(${b})`)} != 0)`;
}

export function binaryKernel<P extends BinaryPrim>(prim: P): Kernel<P> {
  return (ctx, inputs, _params, out) => {
    expectInputs(prim, inputs, 2);
    const dt = inputs[0]!.dtype;
    if (inputs[1]!.dtype !== dt) {
      throw new Error(`webgpu ${prim}: operand dtypes ${dt} and ${inputs[1]!.dtype} differ`);
    }
    if (dt === 'bool' && (prim === 'div' || prim === 'pow'))
      throw new Error(`webgpu ${prim}: not defined for bool`);
    const expr = ([a, b]: string[]): string => binaryExpr(prim, dt, a!, b!);
    return mapKernel(ctx, prim, `${prim}:${dt}`, inputs, out, expr, `${FLOAT_FNS}${INT_FNS}`);
  };
}

const CMP: Record<CompareOp, string> = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=' };

/** The WGSL of a comparison (a u32 0/1). */
export function compareExpr(cmp: CompareOp, dt: DType, a: string, b: string): string {
  const op = CMP[cmp];
  if (!op) throw new Error(`webgpu compare: unknown op ${String(cmp)}`);
  // ne must be true when either side is NaN; drivers' != may be ordered.
  return dt === 'f32' && cmp === 'ne'
    ? `select(0u, 1u, ${a} != ${b} || tg_isnan(${a}) || tg_isnan(${b}))`
    : `select(0u, 1u, ${a} ${op} ${b})`;
}

export const compareKernel: Kernel<'compare'> = (ctx, inputs, params, out) => {
  expectInputs('compare', inputs, 2);
  const dt = inputs[0]!.dtype;
  const op = CMP[params.op];
  if (!op) throw new Error(`webgpu compare: unknown op ${String(params.op)}`);
  const expr = ([a, b]: string[]): string => compareExpr(params.op, dt, a!, b!);
  return mapKernel(ctx, 'compare', `compare:${params.op}:${dt}`, inputs, out, expr);
};

export const selectKernel: Kernel<'select'> = (ctx, inputs, _params, out) => {
  expectInputs('select', inputs, 3);
  return mapKernel(
    ctx,
    'select',
    `select:${inputs[1]!.dtype}`,
    inputs,
    out,
    ([c, a, b]) => `select(${b}, ${a}, ${c} != 0u)`,
  );
};

export const castKernel: Kernel<'cast'> = (ctx, inputs, params, out) => {
  expectInputs('cast', inputs, 1);
  const from = inputs[0]!.dtype;
  const to = params.dtype;
  if (from === to) return ctx.alias(inputs[0]!.buf, out);
  return mapKernel(
    ctx,
    'cast',
    `cast:${from}:${to}`,
    inputs,
    out,
    ([x]) => castExpr(from, to, x!),
    FLOAT_FNS,
  );
};

/** out = in (a copy into a fresh buffer). */
export function copyInto(ctx: KernelContext, op: string, src: GpuOperand, dst: WebGpuBuffer): void {
  const n = src.buf.length;
  if (n === 0) return;
  const t = storageType(src.dtype);
  ctx.dispatch({
    op,
    key: 'copy',
    inputs: [{ buf: src.buf, type: t }],
    outputs: [{ buf: dst, type: t }],
    meta: [n],
    workgroups: grid1d(n),
    body: () => `${main1d()}
  if (gi >= u(0u)) { return; }
  out0[gi] = in0[gi];
}`,
  });
}
