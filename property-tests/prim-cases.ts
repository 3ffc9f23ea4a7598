/**
 * One random-case generator per primitive: shapes and parameters (the case), then the
 * host values of its operands (generated separately, so vmap tests can draw several
 * slices of the same case). Float operands are f64 and chosen away from kinks; integer
 * and bool operands (indices, conditions, keys) are held fixed by the checks.
 */
import fc from 'fast-check';
import * as lax from '../src/core/lax.ts';
import type { PrimName, PrimParams, WindowParams } from '../src/core/primitives.ts';
import type { Tensor } from '../src/index.ts';
import type { HostTensor } from '../src/testing/index.ts';
import { arbConvConfig, arbHostTensor, arbShape, hostTensor } from '../src/testing/index.ts';

export type Host = HostTensor<number[]>;

export interface PrimCase {
  /** a readable description, printed by fast-check on failure */
  readonly label: string;
  /** the host values of the operands (fixed shapes and dtypes; drawn jointly) */
  readonly data: fc.Arbitrary<Host[]>;
  readonly fn: (...xs: Tensor[]) => Tensor;
  /** the operands in which fn is linear when the others are fixed (for the transposition test) */
  readonly linearIn?: readonly number[];
  /** finite-difference step and tolerances, where f64 defaults do not fit (casts to f32) */
  readonly check?: { readonly eps?: number; readonly atol?: number; readonly rtol?: number };
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const range = (n: number, start = 0) => Array.from({ length: n }, (_, i) => start + i);

const f64 = (shape: readonly number[], min = -1, max = 1, minAbs = 0) =>
  arbHostTensor(shape, { dtype: 'f64', min, max, minAbs }) as fc.Arbitrary<Host>;

/** f64 values that are pairwise at least 0.05 apart (no ties for max/argmax). */
export const distinct = (shape: readonly number[]): fc.Arbitrary<Host> => {
  const n = prod(shape);
  return fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }),
    )
    .map(([keys, noise]) => {
      const order = range(n).sort((a, b) => keys[a]! - keys[b]! || a - b);
      const data = new Float64Array(n);
      order.forEach((i, rank) => {
        data[i] = (rank - n / 2) * 0.1 + noise[i]! * 0.0005;
      });
      return hostTensor([...shape], 'f64', data) as Host;
    });
};

/** Two f64 operands that differ by at least 0.05 everywhere (no ties for max/min). */
const apart = (shape: readonly number[]) =>
  fc.tuple(f64(shape), f64(shape, -1, 1, 0.05)).map(([a, d]) => [a, d] as const);

const ints = (shape: readonly number[], min: number, max: number) =>
  arbHostTensor(shape, { dtype: 'i32', min, max }) as fc.Arbitrary<Host>;

const bools = (shape: readonly number[]) => arbHostTensor(shape, { dtype: 'bool' }) as fc.Arbitrary<Host>;

export const arbPerm = (n: number): fc.Arbitrary<number[]> =>
  fc
    .array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n })
    .map((k) => range(n).sort((a, b) => k[a]! - k[b]! || a - b));

const anyShape = arbShape({ min: 0, max: 3 }, { maxDim: 3 });
const nonScalar = arbShape({ min: 1, max: 3 }, { maxDim: 3 });

type CaseArb = fc.Arbitrary<PrimCase>;

const unaryCase = (prim: PrimName, min = -1.5, max = 1.5, minAbs = 0): CaseArb =>
  anyShape.map((s) => ({
    label: `${prim} [${s}]`,
    data: fc.tuple(f64(s, min, max, minAbs)),
    fn: (x: Tensor) => lax.unary(prim as never, x),
    ...(prim === 'neg' ? { linearIn: [0] } : {}),
  }));

const binaryCase = (
  prim: PrimName,
  a: (s: number[]) => fc.Arbitrary<Host>,
  b: (s: number[]) => fc.Arbitrary<Host>,
  linearIn?: readonly number[],
): CaseArb =>
  anyShape.map((s) => ({
    label: `${prim} [${s}]`,
    data: fc.tuple(a(s), b(s)),
    fn: (x: Tensor, y: Tensor) => bind(prim, x, y),
    ...(linearIn ? { linearIn } : {}),
  }));

const bind = (prim: PrimName, x: Tensor, y: Tensor): Tensor => {
  switch (prim) {
    case 'add':
      return lax.add(x, y);
    case 'sub':
      return lax.sub(x, y);
    case 'mul':
      return lax.mul(x, y);
    case 'div':
      return lax.div(x, y);
    case 'pow':
      return lax.pow(x, y);
    case 'max':
      return lax.max(x, y);
    case 'min':
      return lax.min(x, y);
    default:
      throw new Error(`not binary: ${prim}`);
  }
};

/** max/min with operands apart from each other: the second is the first plus an offset. */
const chooserCase = (prim: 'max' | 'min'): CaseArb =>
  anyShape.map((s) => {
    const pair = apart(s);
    return {
      label: `${prim} [${s}]`,
      data: pair.map(([a, d]) => [a as Host, plus(a, d)]),
      fn: (x: Tensor, y: Tensor) => bind(prim, x, y),
    };
  });

function plus(a: Host, d: Host): Host {
  const data = Float64Array.from(a.data as Float64Array, (v, i) => v + (d.data[i] as number));
  return hostTensor([...a.shape], 'f64', data) as Host;
}

const reduceAxes = (s: readonly number[]) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((m) => range(s.length).filter((i) => m[i]));

const sliceParams = (s: readonly number[]) =>
  fc.tuple(
    ...s.map((n) =>
      fc
        .record({
          a: fc.integer({ min: 0, max: n }),
          b: fc.integer({ min: 0, max: n }),
          st: fc.integer({ min: 1, max: 3 }),
        })
        .map(({ a, b, st }) => ({ start: Math.min(a, b), limit: Math.max(a, b), stride: st })),
    ),
  );

const dotCase: CaseArb = fc
  .record({
    batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    contract: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    lfree: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    rfree: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    lperm: arbPerm(6),
    rperm: arbPerm(6),
  })
  .map(({ batch, contract, lfree, rfree, lperm, rperm }) => {
    // Place batch, contracting and free axes of each operand in a random order.
    const place = (free: number[], perm: number[]) => {
      const roles = [
        ...batch.map((d, i) => ({ d, kind: 'b', i })),
        ...contract.map((d, i) => ({ d, kind: 'c', i })),
        ...free.map((d, i) => ({ d, kind: 'f', i })),
      ];
      const order = perm.filter((p) => p < roles.length).map((p) => roles[p]!);
      return {
        shape: order.map((r) => r.d),
        batchAxes: batch.map((_, i) => order.findIndex((r) => r.kind === 'b' && r.i === i)),
        contractAxes: contract.map((_, i) => order.findIndex((r) => r.kind === 'c' && r.i === i)),
      };
    };
    const l = place(lfree, lperm);
    const r = place(rfree, rperm);
    const p: PrimParams['dot_general'] = {
      lhsContract: l.contractAxes,
      rhsContract: r.contractAxes,
      lhsBatch: l.batchAxes,
      rhsBatch: r.batchAxes,
    };
    return {
      label: `dot_general [${l.shape}] x [${r.shape}] ${JSON.stringify(p)}`,
      data: fc.tuple(f64(l.shape), f64(r.shape)),
      fn: (a: Tensor, b: Tensor) => lax.dotGeneral(a, b, p),
      linearIn: [0, 1],
    };
  });

const convCase: CaseArb = arbConvConfig({
  maxLhsDilation: 2,
  negativePadding: true,
  maxGroups: 2,
  spatial: { min: 1, max: 2 },
}).map((c) => ({
  label: `conv_general lhs [${c.lhs}] rhs [${c.rhs}] ${JSON.stringify(c.params)}`,
  data: fc.tuple(f64(c.lhs), f64(c.rhs)),
  fn: (x: Tensor, w: Tensor) => lax.convGeneral(x, w, c.params),
  linearIn: [0, 1],
}));

const gatherCase: CaseArb = fc
  .record({ s: nonScalar, axisSeed: fc.nat(), idx: arbShape({ min: 0, max: 2 }, { maxDim: 3 }) })
  .map(({ s, axisSeed, idx }) => {
    const axis = axisSeed % s.length;
    const n = s[axis]!;
    return {
      label: `gather [${s}] axis ${axis} idx [${idx}]`,
      data: fc.tuple(f64(s), ints(idx, -n, n - 1)),
      fn: (x: Tensor, i: Tensor) => lax.gather(x, i, axis),
      linearIn: [0],
    };
  });

const scatterCase: CaseArb = fc
  .record({ s: nonScalar, axisSeed: fc.nat(), idx: arbShape({ min: 0, max: 2 }, { maxDim: 3 }) })
  .map(({ s, axisSeed, idx }) => {
    const axis = axisSeed % s.length;
    const n = s[axis]!;
    const upd = [...s.slice(0, axis), ...idx, ...s.slice(axis + 1)];
    return {
      label: `scatter_add [${s}] axis ${axis} idx [${idx}]`,
      data: fc.tuple(f64(s), ints(idx, 0, n - 1), f64(upd)),
      fn: (x: Tensor, i: Tensor, u: Tensor) => lax.scatterAdd(x, i, u, axis),
      linearIn: [0, 2],
    };
  });

/** The generators, one per primitive: adding a primitive without one does not compile. */
/** Pooling windows (uniform with stride, dilation and padding, or adaptive) over two trailing axes. */
const windowCase = (fn: (x: Tensor, p: WindowParams) => Tensor) =>
  fc
    .record({
      lead: fc.integer({ min: 1, max: 2 }),
      k: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      extra: fc.tuple(fc.nat(3), fc.nat(3)),
      adaptive: fc.boolean(),
    })
    .map(({ lead, k, stride, dilation, extra, adaptive }) => {
      const span = dilation * (k - 1) + 1;
      const spatial = extra.map((e) => span + e);
      const lo = Math.floor(k / 2) >= dilation ? 0 : Math.floor(k / 2);
      const out = spatial.map((n) =>
        adaptive ? Math.max(1, n - 1) : Math.floor((n + 2 * lo - span) / stride) + 1,
      );
      const p = {
        out,
        window: [k, k],
        strides: [stride, stride],
        padding: [lo, lo],
        dilation: [dilation, dilation],
        adaptive,
      };
      const shape = [lead, ...spatial];
      return {
        label: `window [${shape}] ${JSON.stringify(p)}`,
        data: fc.tuple(distinct(shape)),
        fn: (x: Tensor) => fn(x, p),
      };
    });

const rawCases: { [P in PrimName]: CaseArb } = {
  neg: unaryCase('neg'),
  exp: unaryCase('exp'),
  log: unaryCase('log', 0.2, 3),
  sin: unaryCase('sin', -3, 3),
  cos: unaryCase('cos', -3, 3),
  sqrt: unaryCase('sqrt', 0.2, 3),
  tanh: unaryCase('tanh', -2, 2),
  logistic: unaryCase('logistic', -3, 3),
  abs: unaryCase('abs', -2, 2, 0.05),
  sign: unaryCase('sign', -2, 2, 0.05),
  add: binaryCase('add', f64, f64, [0, 1]),
  sub: binaryCase('sub', f64, f64, [0, 1]),
  mul: binaryCase('mul', f64, f64, [0]),
  div: binaryCase('div', f64, (s) => f64(s, -2, 2, 0.3), [0]),
  pow: binaryCase(
    'pow',
    (s) => f64(s, 0.3, 2),
    (s) => f64(s, -2, 2),
  ),
  max: chooserCase('max'),
  min: chooserCase('min'),
  compare: fc
    .tuple(anyShape, fc.constantFrom('lt', 'le', 'gt', 'ge', 'eq', 'ne' as const))
    .map(([s, op]) => ({
      label: `compare ${op} [${s}]`,
      data: fc.tuple(f64(s), f64(s)),
      fn: (a: Tensor, b: Tensor) => lax.compare(a, b, op),
    })),
  select: anyShape.map((s) => ({
    label: `select [${s}]`,
    data: fc.tuple(bools(s), f64(s), f64(s)),
    fn: (c: Tensor, a: Tensor, b: Tensor) => lax.select(c, a, b),
    linearIn: [1, 2],
  })),
  cast: fc.tuple(anyShape, fc.constantFrom('f32', 'i32', 'bool' as const)).map(([s, dtype]) => ({
    label: `cast f64 -> ${dtype} [${s}]`,
    data: fc.tuple(f64(s, -3, 3)),
    // Back to f64 so that the check compares in f64; the f32 rounding needs a larger step.
    fn: (x: Tensor) => (dtype === 'f32' ? lax.cast(lax.cast(x, 'f32'), 'f64') : lax.cast(x, dtype)),
    ...(dtype === 'f32' ? { linearIn: [0], check: { eps: 1e-2, atol: 1e-5, rtol: 1e-5 } } : {}),
  })),
  reduce_sum: anyShape.chain((s) =>
    reduceAxes(s).map((axes) => ({
      label: `reduce_sum [${s}] axes [${axes}]`,
      data: fc.tuple(f64(s)),
      fn: (x: Tensor) => lax.reduceSum(x, axes),
      linearIn: [0],
    })),
  ),
  reduce_max: nonScalar.chain((s) =>
    reduceAxes(s).map((axes) => ({
      label: `reduce_max [${s}] axes [${axes}]`,
      data: fc.tuple(distinct(s)),
      fn: (x: Tensor) => lax.reduceMax(x, axes),
    })),
  ),
  argmax: fc.record({ s: nonScalar, a: fc.nat() }).map(({ s, a }) => ({
    label: `argmax [${s}] axis ${a % s.length}`,
    data: fc.tuple(distinct(s)),
    fn: (x: Tensor) => lax.argmax(x, a % s.length),
  })),
  window_argmax: windowCase((x, p) => lax.windowArgmax(x, p)),
  window_max: windowCase((x, p) => lax.windowMax(x, p)),
  reshape: fc.record({ s: anyShape, perm: arbPerm(3), flat: fc.boolean() }).map(({ s, perm, flat }) => {
    const target = flat ? [prod(s)] : perm.filter((p) => p < s.length).map((p) => s[p]!);
    return {
      label: `reshape [${s}] -> [${target}]`,
      data: fc.tuple(f64(s)),
      fn: (x: Tensor) => lax.reshape(x, target),
      linearIn: [0],
    };
  }),
  broadcast_in_dim: fc
    .record({
      out: arbShape({ min: 0, max: 3 }, { maxDim: 3 }),
      keep: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      ones: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    })
    .map(({ out, keep, ones }) => {
      const dims = range(out.length).filter((i) => keep[i]);
      const shape = dims.map((d) => (ones[d] ? 1 : out[d]!));
      return {
        label: `broadcast_in_dim [${shape}] -> [${out}] dims [${dims}]`,
        data: fc.tuple(f64(shape)),
        fn: (x: Tensor) => lax.broadcastInDim(x, out, dims),
        linearIn: [0],
      };
    }),
  transpose: anyShape.chain((s) =>
    arbPerm(s.length).map((perm) => ({
      label: `transpose [${s}] perm [${perm}]`,
      data: fc.tuple(f64(s)),
      fn: (x: Tensor) => lax.transpose(x, perm),
      linearIn: [0],
    })),
  ),
  slice: anyShape.chain((s) =>
    sliceParams(s).map((ps) => {
      const p = {
        start: ps.map((q) => q.start),
        limit: ps.map((q) => q.limit),
        stride: ps.map((q) => q.stride),
      };
      return {
        label: `slice [${s}] ${JSON.stringify(p)}`,
        data: fc.tuple(f64(s)),
        fn: (x: Tensor) => lax.slice(x, p),
        linearIn: [0],
      };
    }),
  ),
  pad: anyShape.chain((s) =>
    fc
      .array(fc.record({ lo: fc.nat(2), hi: fc.nat(2), interior: fc.nat(2) }), {
        minLength: s.length,
        maxLength: s.length,
      })
      .map((ps) => {
        const p = { lo: ps.map((q) => q.lo), hi: ps.map((q) => q.hi), interior: ps.map((q) => q.interior) };
        return {
          label: `pad [${s}] ${JSON.stringify(p)}`,
          data: fc.tuple(f64(s)),
          fn: (x: Tensor) => lax.pad(x, p),
          linearIn: [0],
        };
      }),
  ),
  concatenate: fc
    .record({
      s: nonScalar,
      a: fc.nat(),
      sizes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 3 }),
    })
    .map(({ s, a, sizes }) => {
      const axis = a % s.length;
      const shapes = sizes.map((n) => s.map((d, i) => (i === axis ? n : d)));
      return {
        label: `concatenate ${shapes.map((x) => `[${x}]`).join(' ')} axis ${axis}`,
        data: fc.tuple(...shapes.map((x) => f64(x))),
        fn: (...xs: Tensor[]) => lax.concatenate(xs, axis),
        linearIn: range(shapes.length),
      };
    }),
  rev: anyShape.chain((s) =>
    reduceAxes(s).map((axes) => ({
      label: `rev [${s}] axes [${axes}]`,
      data: fc.tuple(f64(s)),
      fn: (x: Tensor) => lax.rev(x, axes),
      linearIn: [0],
    })),
  ),
  dot_general: dotCase,
  conv_general: convCase,
  gather: gatherCase,
  scatter_add: scatterCase,
  random_bits: fc
    .record({ shape: arbShape({ min: 0, max: 2 }, { maxDim: 4 }), stream: fc.nat(5) })
    .map(({ shape, stream }) => ({
      label: `random_bits [${shape}] stream ${stream}`,
      data: fc.tuple(ints([2], -(2 ** 31), 2 ** 31 - 1)),
      fn: (k: Tensor) => lax.randomBits(k, shape, stream),
    })),
};

/** fast-check prints a case by its label (not its arbitraries and closures). */
const labelled = (pc: PrimCase): PrimCase => ({ ...pc, [fc.toStringMethod]: () => pc.label }) as PrimCase;

export const primCases = Object.fromEntries(
  Object.entries(rawCases).map(([k, arb]) => [k, arb.map(labelled)]),
) as { [P in PrimName]: CaseArb };

/** Primitives whose outputs have no derivative (integer/bool results or piecewise constant). */
export const NON_DIFFERENTIABLE: readonly PrimName[] = [
  'compare',
  'argmax',
  'window_argmax',
  'sign',
  'random_bits',
];

/** A case and the host values of its operands. */
export const withData = (c: CaseArb) => c.chain((pc) => pc.data.map((data) => ({ pc, data })));

/** The primitives that are linear in some operands (they have transpose rules). */
export const LINEAR_PRIMS: readonly PrimName[] = [
  'neg',
  'add',
  'sub',
  'mul',
  'div',
  'select',
  'cast',
  'reduce_sum',
  'reshape',
  'broadcast_in_dim',
  'transpose',
  'slice',
  'pad',
  'concatenate',
  'rev',
  'dot_general',
  'conv_general',
  'gather',
  'scatter_add',
];
