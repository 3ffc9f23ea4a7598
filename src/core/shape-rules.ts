import type { Aval } from './aval.ts';
import { formatShape, sameShape, sizeOf } from './aval.ts';
import type { PrimName, PrimParams, WindowParams } from './primitives.ts';
import { windowTaps } from './window.ts';

/**
 * Abstract evaluation of each primitive: the output shape and dtype from the inputs'.
 * The public ops check user-facing rules first (with src/shapes' messages); these checks
 * guard the primitive contract itself, so that a bad call never reaches a kernel.
 */
type ShapeRule<P extends PrimName> = (inputs: readonly Aval[], params: PrimParams[P]) => Aval;

function fail(prim: string, msg: string): never {
  throw new Error(`${prim}: ${msg}`);
}

function arity(prim: string, inputs: readonly Aval[], n: number): void {
  if (inputs.length !== n) fail(prim, `expected ${n} operands, got ${inputs.length}`);
}

/** The output shape of a pooling window primitive: leading dims, then `out`. */
function windowShape(prim: string, inputs: readonly Aval[], p: WindowParams): readonly number[] {
  arity(prim, inputs, 1);
  const x = inputs[0]!;
  const nsp = p.out.length;
  if (nsp === 0 || x.shape.length < nsp) fail(prim, `${nsp} window axes for rank ${x.shape.length}`);
  for (const list of [p.window, p.strides, p.padding, p.dilation])
    if (!p.adaptive && list.length !== nsp) fail(prim, `window parameters need ${nsp} entries each`);
  if (!p.out.every((o) => Number.isInteger(o) && o > 0)) fail(prim, `bad output sizes [${p.out}]`);
  if (sizeOf(x.shape) > 2 ** 31 - 1) fail(prim, 'operand too large for i32 indices');
  const lead = x.shape.slice(0, x.shape.length - nsp);
  windowTaps(prim, p, x.shape.slice(lead.length));
  return [...lead, ...p.out];
}

type AnyRule = (inputs: readonly Aval[]) => Aval;

const unary =
  (prim: string): AnyRule =>
  (inputs) => {
    arity(prim, inputs, 1);
    return inputs[0]!;
  };

function sameAvals(prim: string, inputs: readonly Aval[]): Aval {
  arity(prim, inputs, 2);
  const [a, b] = inputs as [Aval, Aval];
  if (!sameShape(a.shape, b.shape))
    fail(prim, `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`);
  if (a.dtype !== b.dtype) fail(prim, `dtypes ${a.dtype} and ${b.dtype} differ`);
  return a;
}

const binary =
  (prim: string): AnyRule =>
  (inputs) =>
    sameAvals(prim, inputs);

function checkAxes(prim: string, axes: readonly number[], ndim: number): void {
  const seen = new Set<number>();
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= ndim) fail(prim, `axis ${a} out of range for rank ${ndim}`);
    if (seen.has(a)) fail(prim, `axis ${a} repeated`);
    seen.add(a);
  }
}

const reduce =
  (prim: 'reduce_sum' | 'reduce_max') =>
  (inputs: readonly Aval[], { axes }: { axes: readonly number[] }): Aval => {
    arity(prim, inputs, 1);
    const x = inputs[0]!;
    checkAxes(prim, axes, x.shape.length);
    return { shape: x.shape.filter((_, i) => !axes.includes(i)), dtype: x.dtype };
  };

function convOutSize(
  input: number,
  window: number,
  stride: number,
  lo: number,
  hi: number,
  lhsD: number,
  rhsD: number,
) {
  const dilIn = input === 0 ? 0 : (input - 1) * lhsD + 1;
  const dilWin = (window - 1) * rhsD + 1;
  return Math.floor((dilIn + lo + hi - dilWin) / stride) + 1;
}

export const shapeRules: { [P in PrimName]: ShapeRule<P> } = {
  neg: unary('neg'),
  exp: unary('exp'),
  log: unary('log'),
  sin: unary('sin'),
  cos: unary('cos'),
  sqrt: unary('sqrt'),
  tanh: unary('tanh'),
  logistic: unary('logistic'),
  abs: unary('abs'),
  sign: unary('sign'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  pow: binary('pow'),
  max: binary('max'),
  min: binary('min'),
  compare: (inputs) => ({ shape: sameAvals('compare', inputs).shape, dtype: 'bool' }),
  select: (inputs) => {
    arity('select', inputs, 3);
    const [c, a, b] = inputs as [Aval, Aval, Aval];
    sameAvals('select', [a, b]);
    if (c.dtype !== 'bool') fail('select', `condition must be bool, got ${c.dtype}`);
    if (!sameShape(c.shape, a.shape))
      fail(
        'select',
        `condition shape ${formatShape(c.shape)} and value shape ${formatShape(a.shape)} differ`,
      );
    return a;
  },
  cast: (inputs, { dtype }) => {
    arity('cast', inputs, 1);
    return { shape: inputs[0]!.shape, dtype };
  },
  reduce_sum: reduce('reduce_sum'),
  reduce_max: reduce('reduce_max'),
  argmax: (inputs, { axis }) => {
    arity('argmax', inputs, 1);
    const x = inputs[0]!;
    checkAxes('argmax', [axis], x.shape.length);
    if (x.shape[axis] === 0) fail('argmax', `axis ${axis} has size 0`);
    return { shape: x.shape.filter((_, i) => i !== axis), dtype: 'i32' };
  },
  window_argmax: (inputs, p) => ({ shape: windowShape('window_argmax', inputs, p), dtype: 'i32' }),
  window_max: (inputs, p) => ({ shape: windowShape('window_max', inputs, p), dtype: inputs[0]!.dtype }),
  reshape: (inputs, { shape }) => {
    arity('reshape', inputs, 1);
    const x = inputs[0]!;
    if (sizeOf(shape) !== sizeOf(x.shape))
      fail('reshape', `cannot reshape ${formatShape(x.shape)} (${sizeOf(x.shape)}) to ${formatShape(shape)}`);
    return { shape, dtype: x.dtype };
  },
  broadcast_in_dim: (inputs, { shape, dims }) => {
    arity('broadcast_in_dim', inputs, 1);
    const x = inputs[0]!;
    if (dims.length !== x.shape.length)
      fail('broadcast_in_dim', `dims ${formatShape(dims)} do not match rank`);
    dims.forEach((d, i) => {
      const n = x.shape[i]!;
      if (d < 0 || d >= shape.length || (n !== 1 && n !== shape[d]) || (i > 0 && d <= dims[i - 1]!))
        fail('broadcast_in_dim', `cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
    });
    return { shape, dtype: x.dtype };
  },
  transpose: (inputs, { perm }) => {
    arity('transpose', inputs, 1);
    const x = inputs[0]!;
    if (perm.length !== x.shape.length)
      fail('transpose', `permutation ${formatShape(perm)} for rank ${x.shape.length}`);
    checkAxes('transpose', perm, x.shape.length);
    return { shape: perm.map((p) => x.shape[p]!), dtype: x.dtype };
  },
  slice: (inputs, { start, limit, stride }) => {
    arity('slice', inputs, 1);
    const x = inputs[0]!;
    const shape = x.shape.map((n, i) => {
      const s = start[i]!;
      const l = limit[i]!;
      const st = stride[i]!;
      if (!(s >= 0 && s <= l && l <= n && st >= 1))
        fail('slice', `bad slice ${s}:${l}:${st} of axis ${i} with size ${n}`);
      return Math.ceil((l - s) / st);
    });
    return { shape, dtype: x.dtype };
  },
  pad: (inputs, { lo, hi, interior }) => {
    arity('pad', inputs, 1);
    const x = inputs[0]!;
    const shape = x.shape.map((n, i) => {
      const a = lo[i]!;
      const b = hi[i]!;
      const c = interior[i]!;
      if (a < 0 || b < 0 || c < 0) fail('pad', `negative padding on axis ${i}`);
      return a + b + (n === 0 ? 0 : n + (n - 1) * c);
    });
    return { shape, dtype: x.dtype };
  },
  concatenate: (inputs, { axis }) => {
    if (inputs.length === 0) fail('concatenate', 'no operands');
    const first = inputs[0]!;
    checkAxes('concatenate', [axis], first.shape.length);
    let total = 0;
    for (const x of inputs) {
      if (x.dtype !== first.dtype) fail('concatenate', `dtypes ${first.dtype} and ${x.dtype} differ`);
      if (x.shape.length !== first.shape.length || x.shape.some((d, i) => i !== axis && d !== first.shape[i]))
        fail(
          'concatenate',
          `shapes ${formatShape(first.shape)} and ${formatShape(x.shape)} differ off axis ${axis}`,
        );
      total += x.shape[axis]!;
    }
    return { shape: first.shape.map((d, i) => (i === axis ? total : d)), dtype: first.dtype };
  },
  rev: (inputs, { axes }) => {
    arity('rev', inputs, 1);
    checkAxes('rev', axes, inputs[0]!.shape.length);
    return inputs[0]!;
  },
  dot_general: (inputs, p) => {
    arity('dot_general', inputs, 2);
    const [a, b] = inputs as [Aval, Aval];
    if (a.dtype !== b.dtype) fail('dot_general', `dtypes ${a.dtype} and ${b.dtype} differ`);
    checkAxes('dot_general', [...p.lhsContract, ...p.lhsBatch], a.shape.length);
    checkAxes('dot_general', [...p.rhsContract, ...p.rhsBatch], b.shape.length);
    if (p.lhsContract.length !== p.rhsContract.length || p.lhsBatch.length !== p.rhsBatch.length)
      fail('dot_general', 'contracting/batch dims do not pair up');
    p.lhsContract.forEach((d, i) => {
      const e = p.rhsContract[i]!;
      if (a.shape[d] !== b.shape[e])
        fail('dot_general', `contracting dims ${a.shape[d]} and ${b.shape[e]} differ`);
    });
    p.lhsBatch.forEach((d, i) => {
      const e = p.rhsBatch[i]!;
      if (a.shape[d] !== b.shape[e]) fail('dot_general', `batch dims ${a.shape[d]} and ${b.shape[e]} differ`);
    });
    const free = (s: readonly number[], used: readonly number[]) => s.filter((_, i) => !used.includes(i));
    return {
      shape: [
        ...p.lhsBatch.map((d) => a.shape[d]!),
        ...free(a.shape, [...p.lhsBatch, ...p.lhsContract]),
        ...free(b.shape, [...p.rhsBatch, ...p.rhsContract]),
      ],
      dtype: a.dtype,
    };
  },
  conv_general: (inputs, p) => {
    arity('conv_general', inputs, 2);
    const [x, w] = inputs as [Aval, Aval];
    const nd = x.shape.length - 2;
    if (nd < 1 || w.shape.length !== nd + 2)
      fail(
        'conv_general',
        `input ${formatShape(x.shape)} and weight ${formatShape(w.shape)} ranks do not match`,
      );
    if (x.dtype !== w.dtype) fail('conv_general', `dtypes ${x.dtype} and ${w.dtype} differ`);
    const [n, c] = x.shape as [number, number];
    const [o, ci] = w.shape as [number, number];
    if (c !== ci * p.groups)
      fail('conv_general', `input channels ${c} and weight in-channels ${ci} x groups ${p.groups} differ`);
    if (o % p.groups !== 0) fail('conv_general', `output channels ${o} not divisible by groups ${p.groups}`);
    const spatial = x.shape.slice(2).map((size, i) => {
      const out = convOutSize(
        size,
        w.shape[i + 2]!,
        p.strides[i]!,
        p.padding[i]![0],
        p.padding[i]![1],
        p.lhsDilation[i]!,
        p.rhsDilation[i]!,
      );
      if (out < 0) fail('conv_general', `window larger than padded input on spatial axis ${i}`);
      return out;
    });
    return { shape: [n, o, ...spatial], dtype: x.dtype };
  },
  gather: (inputs, { axis }) => {
    arity('gather', inputs, 2);
    const [x, idx] = inputs as [Aval, Aval];
    checkAxes('gather', [axis], x.shape.length);
    if (idx.dtype !== 'i32') fail('gather', `indices must be i32, got ${idx.dtype}`);
    return { shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)], dtype: x.dtype };
  },
  scatter_add: (inputs, { axis }) => {
    arity('scatter_add', inputs, 3);
    const [x, idx, upd] = inputs as [Aval, Aval, Aval];
    checkAxes('scatter_add', [axis], x.shape.length);
    if (idx.dtype !== 'i32') fail('scatter_add', `indices must be i32, got ${idx.dtype}`);
    const expected = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
    if (!sameShape(expected, upd.shape) || upd.dtype !== x.dtype)
      fail('scatter_add', `updates ${formatShape(upd.shape)} do not match ${formatShape(expected)}`);
    return x;
  },
  random_bits: (inputs, { shape }) => {
    arity('random_bits', inputs, 1);
    const k = inputs[0]!;
    if (k.dtype !== 'i32' || !sameShape(k.shape, [2]))
      fail('random_bits', `key must be i32[2], got ${k.dtype}${formatShape(k.shape)}`);
    return { shape, dtype: 'i32' };
  },
};
