/**
 * The bad-input suite (issue 11): every public op, driven with generated invalid arguments
 * (fractional, NaN, infinite, negative, out of range, wrong type). Each call must throw an
 * `Error` whose message starts with the public op's name, never an engine `RangeError` or
 * `TypeError` from inside the library, and leave `memory()` exactly as it was, on the CPU
 * and on WebGPU where an adapter exists.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { Tensor } from '../src/index.ts';
import * as tg from '../src/index.ts';
import { backendsUnderTest, useBackend } from '../test/backends/helpers.ts';

// Argument checks do not depend on the CPU kernel set, so the pure-JS rerun is left out.
const BACKENDS = (await backendsUnderTest()).filter((b) => b.kernels === undefined);

type Call = (bad: never) => unknown;

/** A public op and one argument slot of it, with the invalid values to put there. */
interface Case {
  readonly op: string;
  readonly bad: fc.Arbitrary<unknown>;
  readonly call: Call;
}

const fractional = fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((v) => !Number.isInteger(v));
const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
const negativeInt = fc.integer({ min: -1e6, max: -1 });
const wrongType = fc.constantFrom<unknown>('x', '2', null, true, {}, [1, 2], () => 1, Symbol('s'));
const notTensor = fc.oneof(
  wrongType.filter((v) => typeof v !== 'number'),
  fc.constant(undefined),
);

/** Invalid dims (shape entries), integer counts and positive options. */
const badDim = fc.oneof(fractional, nonFinite, negativeInt, wrongType);
const badPositive = fc.oneof(fractional, nonFinite, fc.integer({ min: -1e6, max: 0 }), wrongType);
/** An axis invalid for a rank-2 tensor. */
const badAxis2 = fc.oneof(
  fractional,
  nonFinite,
  fc.integer({ min: 2, max: 1e6 }),
  fc.integer({ min: -1e6, max: -3 }),
  fc.constantFrom<unknown>('0', null, true, {}),
);
/** Operands for broadcasting ops: neither a tensor nor a number. */
const badOperand = notTensor;
const huge = fc.constantFrom(2 ** 40, 2 ** 45, 2 ** 52);

/** Valid inputs made by a call; disposed after it, so only what the failed op left counts. */
const made: Tensor[] = [];
const input = <T extends Tensor>(t: T): T => {
  made.push(t);
  return t;
};
const m = () => input(tg.ones([2, 3]) as Tensor);
const img = () => input(tg.ones([1, 1, 4, 4]) as Tensor);
const ker = () => input(tg.ones([1, 1, 2, 2]) as Tensor);
const k = () => input(tg.random.key(0));
const i32 = (xs: number[]) => input(tg.tensor(xs, { dtype: 'i32' }) as Tensor);
const any = (f: (...a: unknown[]) => unknown) => f as unknown as Call;

type Loose = (...args: unknown[]) => unknown;
const loose = (fs: Record<string, unknown>) => fs as Record<string, Loose>;
const BINARY = loose({
  add: tg.add,
  sub: tg.sub,
  mul: tg.mul,
  div: tg.div,
  pow: tg.pow,
  maximum: tg.maximum,
  minimum: tg.minimum,
  equal: tg.equal,
  less: tg.less,
});
const UNARY = loose({
  exp: tg.exp,
  log: tg.log,
  sqrt: tg.sqrt,
  sin: tg.sin,
  cos: tg.cos,
  neg: tg.neg,
  abs: tg.abs,
  sign: tg.sign,
  tanh: tg.tanh,
  sigmoid: tg.sigmoid,
  silu: tg.silu,
  gelu: tg.gelu,
  softplus: tg.softplus,
  leakyRelu: tg.leakyRelu,
  elu: tg.elu,
  erf: tg.erf,
  erfc: tg.erfc,
});
const REDUCTIONS = loose({
  sum: tg.sum,
  mean: tg.mean,
  max: tg.max,
  min: tg.min,
  variance: tg.variance,
  std: tg.std,
  logsumexp: tg.logsumexp,
  argmax: tg.argmax,
  argmin: tg.argmin,
});

const cases: Case[] = [
  // creation
  {
    op: 'tensor',
    bad: fc.oneof(fractional, nonFinite),
    call: any((v) => tg.tensor([v as number, 1], { dtype: 'i32' })),
  },
  {
    op: 'tensor',
    bad: fc.constantFrom<unknown>('a', null, undefined, {}, () => 1),
    call: any((v) => tg.tensor([1, v] as never)),
  },
  {
    op: 'tensor',
    bad: fc.constantFrom<unknown>('int64', 'float', 'F32', 3, null),
    call: any((v) => tg.tensor([1], { dtype: v as never })),
  },
  { op: 'tensor', bad: badDim, call: any((v) => tg.tensor([1, 2], [v as number, 2])) },
  { op: 'full', bad: badDim, call: any((v) => tg.full([2, v as number], 1)) },
  { op: 'full', bad: huge, call: any((v) => tg.full([v as number], 1)) },
  { op: 'full', bad: fc.constantFrom<unknown>('1', null, {}), call: any((v) => tg.full([2], v as number)) },
  { op: 'zeros', bad: fc.constantFrom<unknown>('int64', 'f16'), call: any((v) => tg.zeros([2], v as never)) },
  { op: 'eye', bad: badDim, call: any((v) => tg.eye(v as number)) },
  { op: 'eye', bad: huge, call: any((v) => tg.eye(v as number)) },
  { op: 'arange', bad: nonFinite, call: any((v) => tg.arange(0, v as number)) },
  {
    op: 'arange',
    bad: fc.oneof(nonFinite, fc.constant(0)),
    call: any((v) => tg.arange(0, 4, { step: v as number })),
  },
  { op: 'arange', bad: huge, call: any((v) => tg.arange(v as number)) },
  { op: 'linspace', bad: badDim, call: any((v) => tg.linspace(0, 1, v as number)) },
  // elementwise
  ...Object.entries(BINARY).map(
    ([op, f]): Case => ({
      op,
      bad: badOperand,
      call: any((v) => f(m(), v)),
    }),
  ),
  { op: 'add', bad: badOperand, call: any((v) => tg.add(v as never, m())) },
  { op: 'mul', bad: fractional, call: any((v) => tg.mul(input(tg.tensor([true, false])), v as number)) },
  ...Object.entries(UNARY).map(
    ([op, f]): Case => ({
      op,
      bad: fc.oneof(fc.double(), badOperand),
      call: any((v) => f(v)),
    }),
  ),
  // reductions
  ...Object.entries(REDUCTIONS).map(
    ([op, f]): Case => ({
      op,
      bad: badAxis2,
      call: any((v) => f(m(), { axis: v })),
    }),
  ),
  {
    op: 'max',
    bad: fc.constantFrom([0], [2, 0], [0, 3]),
    call: any((s) => tg.max(input(tg.zeros(s as number[])))),
  },
  { op: 'min', bad: fc.constantFrom([0], [2, 0]), call: any((s) => tg.min(input(tg.zeros(s as number[])))) },
  { op: 'sum', bad: badOperand, call: any((v) => tg.sum(v as never)) },
  // shape
  { op: 'reshape', bad: badDim, call: any((v) => tg.reshape(m(), [v as number, 6] as never)) },
  { op: 'transpose', bad: badAxis2, call: any((v) => tg.transpose(m(), [v as number, 0] as never)) },
  {
    op: 'expandDims',
    bad: badAxis2.filter((v) => v !== 2 && v !== -3),
    call: any((v) => tg.expandDims(m(), v as never)),
  },
  { op: 'squeeze', bad: badAxis2, call: any((v) => tg.squeeze(m(), { axis: v as never })) },
  { op: 'broadcastTo', bad: badDim, call: any((v) => tg.broadcastTo(m(), [v as number, 2, 3] as never)) },
  { op: 'broadcastTo', bad: huge, call: any((v) => tg.broadcastTo(m(), [v as number, 2, 3] as never)) },
  { op: 'concat', bad: badAxis2, call: any((v) => tg.concat([m(), m()], { axis: v as never })) },
  {
    op: 'stack',
    bad: badAxis2.filter((v) => v !== 2 && v !== -3),
    call: any((v) => tg.stack([m(), m()], { axis: v as never })),
  },
  {
    op: 'slice',
    bad: fc.oneof(
      fractional,
      nonFinite,
      wrongType.filter((v) => v !== null),
    ),
    call: any((v) => tg.slice(m(), [[0, v as number]] as never)),
  },
  {
    op: 'slice',
    bad: fc.oneof(fractional, nonFinite, fc.integer({ min: 2, max: 1e6 })),
    call: any((v) => tg.slice(m(), [v as number] as never)),
  },
  {
    op: 'pad',
    bad: badDim,
    call: any((v) =>
      tg.pad(m(), [
        [0, v as number],
        [0, 0],
      ] as never),
    ),
  },
  {
    op: 'pad',
    bad: huge,
    call: any((v) =>
      tg.pad(m(), [
        [0, v as number],
        [0, 0],
      ] as never),
    ),
  },
  { op: 'take', bad: badAxis2, call: any((v) => tg.take(m(), i32([0]) as never, { axis: v } as never)) },
  { op: 'oneHot', bad: badDim, call: any((v) => tg.oneHot(i32([0, 1]) as never, v as never)) },
  // linalg
  { op: 'matmul', bad: badOperand, call: any((v) => tg.matmul(m(), v as never)) },
  { op: 'matmul', bad: badOperand, call: any((v) => tg.matmul(v as never, m())) },
  // conv and pooling
  { op: 'conv2d', bad: badPositive, call: any((v) => tg.conv2d(img(), ker(), { stride: v as number })) },
  { op: 'conv2d', bad: badPositive, call: any((v) => tg.conv2d(img(), ker(), { dilation: v as number })) },
  { op: 'conv2d', bad: badDim, call: any((v) => tg.conv2d(img(), ker(), { padding: v as number })) },
  { op: 'conv2d', bad: badPositive, call: any((v) => tg.conv2d(img(), ker(), { groups: v as number })) },
  { op: 'conv2d', bad: badOperand, call: any((v) => tg.conv2d(img(), v as never)) },
  { op: 'maxPool2d', bad: badPositive, call: any((v) => tg.maxPool2d(img(), { window: v as number })) },
  {
    op: 'maxPool2d',
    bad: badPositive,
    call: any((v) => tg.maxPool2d(img(), { window: 2, stride: v as number })),
  },
  { op: 'avgPool2d', bad: badPositive, call: any((v) => tg.avgPool2d(img(), { window: v as number })) },
  {
    op: 'avgPool2d',
    bad: badDim,
    call: any((v) => tg.avgPool2d(img(), { window: 2, padding: v as number })),
  },
  // activations
  // the PyTorch-parity additions
  { op: 'split', bad: badPositive, call: any((v) => tg.split(m(), v as number)) },
  { op: 'split', bad: badAxis2, call: any((v) => tg.split(m(), 1, { axis: v as number })) },
  { op: 'flip', bad: badAxis2, call: any((v) => tg.flip(m(), v as number)) },
  {
    op: 'variance',
    bad: fc.oneof(nonFinite, negativeInt),
    call: any((v) => tg.variance(m(), { correction: v as number })),
  },
  {
    op: 'gelu',
    bad: fc.constantFrom<unknown>('exact', 1, null),
    call: any((v) => tg.gelu(m(), { approximate: v as never })),
  },
  {
    op: 'softplus',
    bad: fc.oneof(nonFinite, fc.integer({ min: -5, max: 0 })),
    call: any((v) => tg.softplus(m(), { beta: v as number })),
  },
  {
    op: 'conv1d',
    bad: badPositive,
    call: any((v) =>
      tg.conv1d(input(tg.ones([1, 1, 4])), input(tg.ones([1, 1, 2])), { stride: v as number }),
    ),
  },
  {
    op: 'maxPool1d',
    bad: badPositive,
    call: any((v) => tg.maxPool1d(input(tg.ones([1, 1, 4])), { window: v as number })),
  },
  { op: 'adaptiveAvgPool2d', bad: badPositive, call: any((v) => tg.adaptiveAvgPool2d(img(), v as never)) },
  {
    op: 'crossEntropy',
    bad: fc.oneof(nonFinite, fc.double({ min: 1.01, max: 100, noNaN: true })),
    call: any((v) => tg.nn.crossEntropy(m() as never, i32([0, 1]) as never, { labelSmoothing: v as number })),
  },
  { op: 'mseLoss', bad: badOperand, call: any((v) => tg.nn.mseLoss(m() as never, v as never)) },
  { op: 'softmax', bad: badAxis2, call: any((v) => tg.softmax(m(), { axis: v } as never)) },
  { op: 'logSoftmax', bad: badAxis2, call: any((v) => tg.logSoftmax(m(), { axis: v } as never)) },
  { op: 'relu', bad: badOperand, call: any((v) => tg.relu(v as never)) },
  // casts and clamps
  {
    op: 'cast',
    bad: fc.constantFrom<unknown>('int64', 'f16', null, 3),
    call: any((v) => tg.cast(m(), v as never)),
  },
  {
    op: 'clip',
    bad: fc.constantFrom<unknown>(Number.NaN, '1', null),
    call: any((v) => tg.clip(m(), 0, v as number)),
  },
  // random
  {
    op: 'random.key',
    bad: fc.oneof(fractional, nonFinite, wrongType),
    call: any((v) => tg.random.key(v as number)),
  },
  { op: 'random.uniform', bad: badDim, call: any((v) => tg.random.uniform(k(), [v as number])) },
  { op: 'random.uniform', bad: huge, call: any((v) => tg.random.uniform(k(), [v as number, 2])) },
  { op: 'random.normal', bad: badDim, call: any((v) => tg.random.normal(k(), [2, v as number])) },
  { op: 'random.normal', bad: huge, call: any((v) => tg.random.normal(k(), [v as number])) },
  {
    op: 'random.uniform',
    bad: fc.constantFrom<unknown>(tg.ones([2, 3]), 'k', null),
    call: any((v) => tg.random.uniform(v as never, [2])),
  },
  { op: 'random.split', bad: badDim, call: any((v) => tg.random.split(k(), { num: v as number })) },
  // layer inits: sizes are checked before any tensor is made
  {
    op: 'nn.dense.init',
    bad: badPositive,
    call: any((v) => tg.nn.dense.init(k(), { in: 4, out: v as number })),
  },
  {
    op: 'nn.conv2d.init',
    bad: badPositive,
    call: any((v) => tg.nn.conv2d.init(k(), { in: 1, out: 2, kernel: [2, v as number] })),
  },
  {
    op: 'nn.lstm.init',
    bad: badPositive,
    call: any((v) => tg.nn.lstm.init(k(), { in: 4, hidden: v as number })),
  },
];

/** Live tensors per backend; a backend holding none is left out (WebGPU's entry appears on first use). */
const live = () =>
  JSON.stringify(
    Object.entries(tg.memory()).filter(([, u]) => u !== undefined && (u.tensors > 0 || u.bytes > 0)),
  );
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs `call(bad)` and checks that it failed cleanly and left memory() as it was. */
function expectCleanError(c: Case, bad: unknown): void {
  let error: unknown;
  const before = live();
  try {
    c.call(bad as never);
  } catch (e) {
    error = e;
  }
  for (const t of made.splice(0)) t.dispose();
  const after = live();
  const shown = typeof bad === 'symbol' ? bad.toString() : String(bad);
  if (!(error instanceof Error)) throw new Error(`${c.op}(${shown}) did not throw`);
  const what = `${c.op}(${shown}) threw ${error.name}: ${error.message}`;
  expect(error, what).not.toBeInstanceOf(RangeError);
  expect(error, what).not.toBeInstanceOf(TypeError);
  expect(error.message, what).toMatch(new RegExp(`^${escapeRegExp(c.op)}[:\\s]`));
  expect(after, `${c.op}(${shown}) leaked`).toBe(before);
}

describe.each(BACKENDS)('bad input to every public op on $name', (backend) => {
  const it = useBackend(backend);
  it.each(cases.map((c, i) => [`${c.op} #${i}`, c] as const))('%s', (_, c) => {
    fc.assert(
      fc.property(c.bad, (bad) => {
        expectCleanError(c, bad);
      }),
      { numRuns: 25, seed: 11 },
    );
  });
});
