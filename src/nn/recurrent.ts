import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { relu, sigmoid, tanh } from '../ops/activations.ts';
import { tensor, zeros } from '../ops/creation.ts';
import { add, mul } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import { slice } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import { scan } from '../transforms/scan.ts';
import type { DimCheck, FourTimes, LastDim, LastDimCheck, RankCheck } from './checks.ts';
import { dimCheck, lastDimCheck, rankCheck } from './checks.ts';
import { configFromExample } from './example-input.ts';
import type { Initializer } from './init.ts';
import { glorotUniform, zeros as zerosInit } from './init.ts';
import { checkSizes, ownedInit } from './init-scope.ts';

type T = Tensor;

/** `[T, B, H]` from an input `[T, B, F]` (numbers when the input rank is unknown). */
export type SeqOut<X extends Shape, H extends Dim> = X extends readonly [
  infer Tn extends Dim,
  infer B extends Dim,
  infer _F,
]
  ? [Tn, B, H]
  : [number, number, H];
/** The batch dim B of an input `[T, B, F]`. */
export type SeqBatch<X extends Shape> = X extends readonly [infer _T, infer B extends Dim, infer _F]
  ? B
  : number;
const dims = (t: Tensor) => t.shape as readonly number[];

/**
 * The configuration of `nn.rnn.init` and `nn.gru.init`: input features, hidden units, dtype and
 * initialisers.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const config: nn.RecurrentConfig<3, 5, 'f32'> = { in: 3, hidden: 5 };
 * const p = nn.rnn.init(random.key(0), config);
 * assert.deepEqual([p.wx.shape, p.wh.shape, p.b.shape], [[3, 5], [5, 5], [5]]);
 * ```
 */
export interface RecurrentConfig<F extends number, H extends number, D extends FloatDType> {
  /** input features */
  readonly in: F;
  /** hidden units */
  readonly hidden: H;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
  /** for wx (default glorotUniform) */
  readonly kernelInit?: Initializer;
  /** for wh (default glorotUniform) */
  readonly recurrentInit?: Initializer;
  /** default zeros */
  readonly biasInit?: Initializer;
}

// ---------------------------------------------------------------- Elman RNN

/** Elman RNN weights: `h' = tanh(x @ wx + h @ wh + b)`. */
export interface RnnParams<F extends Dim = number, H extends Dim = number, D extends FloatDType = 'f32'> {
  /** Input weights `[F, H]`. */
  readonly wx: Tensor<[F, H], D>;
  /** Recurrent weights `[H, H]`. */
  readonly wh: Tensor<[H, H], D>;
  /** Bias `[H]` (PyTorch's `bias_ih + bias_hh`). */
  readonly b: Tensor<[H], D>;
}

export const RNN_CONFIG_KEYS = optionKeys<RecurrentConfig<number, number, FloatDType>>({
  in: true,
  hidden: true,
  dtype: true,
  kernelInit: true,
  recurrentInit: true,
  biasInit: true,
});

function rnnInit<const F extends number, const H extends number, D extends FloatDType = 'f32'>(
  key: Key,
  config: RecurrentConfig<F, H, D>,
): RnnParams<F, H, D> {
  checkOptions('nn.rnn.init', config, RNN_CONFIG_KEYS);
  checkSizes('nn.rnn.init', config, ['in', 'hidden']);
  return ownedInit(() => {
    const [k1, k2, k3] = splitKeys(key, { num: 3 }) as [Key, Key, Key];
    const dtype = config.dtype ?? ('f32' as D);
    const { in: f, hidden: h } = config;
    return {
      wx: (config.kernelInit ?? glorotUniform)(k1, [f, h] as [F, H], { dtype }),
      wh: (config.recurrentInit ?? glorotUniform)(k2, [h, h] as [H, H], { dtype }),
      b: (config.biasInit ?? zerosInit)(k3, [h] as [H], { dtype }),
    };
  });
}

/**
 * `rnn.initFor(key, xs, config)`: `init` with `in` read from the feature dim of the example
 * input `xs [T, B, F]`, so the weights have xs's feature dim in their type.
 */
function rnnInitFor<X extends Shape, const H extends number, D extends FloatDType = 'f32'>(
  key: Key,
  xs: Checked<Tensor<X, DType>, RankCheck<'nn.rnn.initFor', X, 3>>,
  config: Omit<RecurrentConfig<number, number, FloatDType>, 'in' | 'hidden' | 'dtype'> & {
    readonly hidden: H;
    readonly dtype?: D;
  },
): RnnParams<LastDim<X>, H, D> {
  return rnnInit(key, configFromExample('nn.rnn.initFor', xs, config, 'in', 2, 3)) as never;
}

/**
 * The options of `nn.rnn` and `nn.rnn.cell`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.RnnOptions = { nonlinearity: 'tanh' };
 * const p = { wx: tensor([[1]]), wh: tensor([[0]]), b: tensor([0]) };
 * assert.ok(Math.abs(nn.rnn.cell(p, tensor([[0]]), tensor([[1]]), opts).item() - Math.tanh(1)) < 1e-6);
 * ```
 */
export interface RnnOptions {
  /** 'tanh' (default) or 'relu', as PyTorch's `nn.RNN(nonlinearity=...)` */
  readonly nonlinearity?: 'tanh' | 'relu';
}

function nonlinearityOf(op: string, opts: RnnOptions): (x: T) => T {
  const f = opts.nonlinearity ?? 'tanh';
  if (f !== 'tanh' && f !== 'relu')
    throw new Error(`${op}: nonlinearity must be 'tanh' or 'relu', got ${JSON.stringify(f)}`);
  return f === 'tanh' ? tanh : relu;
}

/**
 * One Elman step: `h' = tanh(x @ wx + h @ wh + b)` (or relu) for h `[B, H]`, x `[B, F]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor, zeros } from 'typegrad';
 * const p = { wx: tensor([[1]]), wh: tensor([[0.5]]), b: tensor([0]) };
 * const h1 = nn.rnn.cell(p, tensor([[2]]), tensor([[-1]]), { nonlinearity: 'relu' });
 * assert.deepEqual(h1.toArray(), [[0]]); // relu(-1 + 0.5 * 2)
 * assert.deepEqual(nn.rnnCell(p, zeros([1, 1]), tensor([[3]]), { nonlinearity: 'relu' }).toArray(), [[3]]);
 * ```
 */
export function rnnCell<B extends Dim, F extends Dim, H extends Dim, X extends Shape, D extends FloatDType>(
  p: RnnParams<F, H, D>,
  h: Tensor<[B, H], DType>,
  x: Checked<Tensor<X, DType>, LastDimCheck<'nn.rnnCell', 'features', X, F>>,
  opts: RnnOptions = {},
): Tensor<[B, H], D> {
  lastDimCheck('nn.rnnCell', 'features', dims(x as T), dims(p.wx as T)[0]!);
  const act = nonlinearityOf('rnn.cell', opts);
  return act(add(add(matmul(x as T, p.wx as T), matmul(h as T, p.wh as T)), p.b as T)) as never;
}

function rnnApply<X extends Shape, F extends Dim, H extends Dim, D extends FloatDType>(
  p: RnnParams<F, H, D>,
  xs: Checked<Tensor<X, DType>, RankCheck<'nn.rnn', X, 3>, LastDimCheck<'nn.rnn', 'features', X, F>>,
  opts: RnnOptions & { readonly initial?: Tensor<[SeqBatch<X>, H], DType> } = {},
): [Tensor<SeqOut<X, H>, D>, Tensor<[SeqBatch<X>, H], D>] {
  checkOptions('nn.rnn', opts, ['initial', 'nonlinearity']);
  const h0 = opts.initial;
  const x = xs as T;
  nonlinearityOf('nn.rnn', opts);
  rankCheck('nn.rnn', dims(x), 3);
  lastDimCheck('nn.rnn', 'features', dims(x), dims(p.wx)[0]!);
  const h = h0 ?? zeros([dims(x)[1]!, dims(p.wh)[0]!], { dtype: p.wh.dtype });
  if (h0) dimCheck('nn.rnn', 'initial state batch', dims(h0 as T)[0]!, dims(x)[1]!);
  const [hT, ys] = scan(
    (hc: T, xt: T) => {
      const hn = rnnCell(
        p as RnnParams,
        hc as Tensor<[number, number]>,
        xt as Tensor<[number, number]>,
        opts,
      ) as T;
      return [hn, hn] as const;
    },
    h as T,
    x,
  );
  return [ys as never, hT as never];
}

/**
 * Elman RNN over a time-major sequence `xs [T, B, F]` with `scan` (one loop in the program):
 * returns `[ys [T, B, H], hT [B, H]]`; the initial state `{ initial: h0 }` defaults to zeros;
 * `{ nonlinearity: 'relu' }` as PyTorch's. From PyTorch's `nn.RNN`: `wx = weight_ih_l0.T`,
 * `wh = weight_hh_l0.T` and the one bias `b = bias_ih_l0 + bias_hh_l0` (they only ever appear summed).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 * const p = nn.rnn.init(random.key(0), { in: 8, hidden: 16 });
 * const xs = zeros([5, 2, 8]); // [T, B, F], time-major
 * const [ys, hT] = nn.rnn(p, xs, { nonlinearity: 'relu' });
 * assert.deepEqual(ys.shape, [5, 2, 16]);
 * assert.deepEqual(hT.shape, [2, 16]);
 * ```
 */
export const rnn = Object.assign(rnnApply, {
  /**
   * `rnn.init(key, { in, hidden, dtype?, kernelInit?, recurrentInit?, biasInit? })`: the weights
   * `wx [F, H]`, `wh [H, H]` and `b [H]`.
   */
  init: rnnInit,
  /** `rnn.initFor(key, xs, { hidden, … })`: `init` with `in` the feature dim F of `xs [T, B, F]`. */
  initFor: rnnInitFor,
  /** One step, `rnn.cell(params, h [B, H], x [B, F], opts?)` → `h' [B, H]`: {@link rnnCell}. */
  cell: rnnCell,
});

// ---------------------------------------------------------------- LSTM

/** LSTM weights, gates in the order i, f, g, o along the 4H axis. */
export interface LstmParams<F extends Dim = number, H extends Dim = number, D extends FloatDType = 'f32'> {
  /** Input weights `[F, 4H]`, gates i, f, g, o. */
  readonly wx: Tensor<[F, FourTimes<H>], D>;
  /** Recurrent weights `[H, 4H]`, gates i, f, g, o. */
  readonly wh: Tensor<[H, FourTimes<H>], D>;
  /** Bias `[4H]` (PyTorch's `bias_ih + bias_hh`). */
  readonly b: Tensor<[FourTimes<H>], D>;
}

/** The carry of an LSTM: hidden state h and cell state c, both `[B, H]`. */
export interface LstmState<B extends Dim = number, H extends Dim = number, D extends DType = 'f32'> {
  /** Hidden state `[B, H]` (the output). */
  readonly h: Tensor<[B, H], D>;
  /** Cell state `[B, H]`. */
  readonly c: Tensor<[B, H], D>;
}

/**
 * The configuration of `nn.lstm.init`: that of the other recurrent layers and a forget-gate bias.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.lstm.init(random.key(0), { in: 2, hidden: 3, forgetBias: 1 });
 * assert.deepEqual(p.b.toArray(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]); // gates i, f, g, o
 * ```
 */
export interface LstmConfig<F extends number, H extends number, D extends FloatDType>
  extends RecurrentConfig<F, H, D> {
  /** added to the forget-gate bias at init (default 0 as PyTorch; Keras and Jozefowicz et al. 2015 use 1) */
  readonly forgetBias?: number;
}

function lstmInit<const F extends number, const H extends number, D extends FloatDType = 'f32'>(
  key: Key,
  config: LstmConfig<F, H, D>,
): LstmParams<F, H, D> {
  checkOptions('nn.lstm.init', config, [...RNN_CONFIG_KEYS, 'forgetBias']);
  checkSizes('nn.lstm.init', config, ['in', 'hidden']);
  return ownedInit(() => {
    const [k1, k2, k3] = splitKeys(key, { num: 3 }) as [Key, Key, Key];
    const dtype = config.dtype ?? ('f32' as D);
    const { in: f, hidden: h } = config;
    let b = (config.biasInit ?? zerosInit)(k3, [4 * h], { dtype }) as T;
    const fb = config.forgetBias ?? 0;
    if (fb !== 0) {
      const shift = new Float64Array(4 * h).fill(fb, h, 2 * h);
      b = add(b, tensor(shift, [4 * h], { dtype }));
    }
    return {
      wx: (config.kernelInit ?? glorotUniform)(k1, [f, 4 * h], { dtype }),
      wh: (config.recurrentInit ?? glorotUniform)(k2, [h, 4 * h], { dtype }),
      b,
    } as never;
  });
}

/**
 * `lstm.initFor(key, xs, config)`: `init` with `in` read from the feature dim of the example
 * input `xs [T, B, F]`, so the weights have xs's feature dim in their type.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 *
 * const xs = zeros([10, 4, 8]); // [T, B, F]
 * const p = nn.lstm.initFor(random.key(0), xs, { hidden: 16 });
 * assert.deepEqual(p.wx.shape, [8, 64]);
 * const [ys] = nn.lstm(p, xs);
 * assert.deepEqual(ys.shape, [10, 4, 16]);
 * ```
 */
function lstmInitFor<X extends Shape, const H extends number, D extends FloatDType = 'f32'>(
  key: Key,
  xs: Checked<Tensor<X, DType>, RankCheck<'nn.lstm.initFor', X, 3>>,
  config: Omit<LstmConfig<number, number, FloatDType>, 'in' | 'hidden' | 'dtype'> & {
    readonly hidden: H;
    readonly dtype?: D;
  },
): LstmParams<LastDim<X>, H, D> {
  return lstmInit(key, configFromExample('nn.lstm.initFor', xs, config, 'in', 2, 3)) as never;
}

/**
 * One LSTM step (Hochreiter & Schmidhuber 1997, with a forget gate as Gers et al. 2000), gates
 * i, f, g, o from `z = x @ wx + h @ wh + b`:
 * `i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o); c' = f * c + i * g; h' = o * tanh(c')`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 * const p = nn.lstm.init(random.key(0), { in: 3, hidden: 4 });
 * const s0 = { h: zeros([2, 4]), c: zeros([2, 4]) };
 * const s1 = nn.lstm.cell(p, s0, zeros([2, 3]));
 * assert.deepEqual(s1.h.shape, [2, 4]);
 * assert.deepEqual(s1.c.toArray(), s0.c.toArray()); // zero input, zero bias, zero state: c stays 0
 * ```
 */
export function lstmCell<B extends Dim, F extends Dim, H extends Dim, X extends Shape, D extends FloatDType>(
  p: LstmParams<F, H, D>,
  state: LstmState<B, H, DType>,
  x: Checked<Tensor<X, DType>, LastDimCheck<'nn.lstmCell', 'features', X, F>>,
): LstmState<B, H, D> {
  lastDimCheck('nn.lstmCell', 'features', dims(x as T), dims(p.wx as T)[0]!);
  const hid = dims(p.wh as T)[0]!;
  const z = add(add(matmul(x as T, p.wx as T), matmul(state.h as T, p.wh as T)), p.b as T);
  const gate = (k: number) => slice(z, [null, [k * hid, (k + 1) * hid]]);
  const i = sigmoid(gate(0));
  const f = sigmoid(gate(1));
  const g = tanh(gate(2));
  const o = sigmoid(gate(3));
  const c = add(mul(f, state.c as T), mul(i, g));
  const h = mul(o, tanh(c));
  return { h, c } as never;
}

function lstmApply<
  X extends Shape,
  F extends Dim,
  H extends Dim,
  D extends FloatDType,
  B0 extends Dim = SeqBatch<X>,
>(
  p: LstmParams<F, H, D>,
  xs: Checked<Tensor<X, DType>, RankCheck<'nn.lstm', X, 3>, LastDimCheck<'nn.lstm', 'features', X, F>>,
  // the state's batch is inferred, then checked: batch-major xs [B, T, F] meet a [B, H] state here
  opts?: {
    readonly initial?: Checked<
      LstmState<B0, H, DType>,
      DimCheck<'nn.lstm', 'initial state batch', B0, SeqBatch<X>>
    >;
  },
): [Tensor<SeqOut<X, H>, D>, LstmState<SeqBatch<X>, H, D>] {
  checkOptions('nn.lstm', opts, ['initial']);
  const init = opts?.initial as LstmState<number, number, DType> | undefined;
  const x = xs as T;
  rankCheck('nn.lstm', dims(x), 3);
  lastDimCheck('nn.lstm', 'features', dims(x), dims(p.wx as T)[0]!);
  const hid = dims(p.wh as T)[0]!;
  const batch = dims(x)[1]!;
  const dtype = (p.wh as T).dtype;
  const s0 = init ?? { h: zeros([batch, hid], { dtype }), c: zeros([batch, hid], { dtype }) };
  if (init) dimCheck('nn.lstm', 'initial state batch', dims(init.h as T)[0]!, batch);
  const [final, ys] = scan(
    (s: LstmState<number, number, DType>, xt: T) => {
      const n = lstmCell(p as unknown as LstmParams, s, xt as Tensor<[number, number]>);
      return [n as LstmState<number, number, DType>, n.h as T] as const;
    },
    s0 as LstmState<number, number, DType>,
    x,
  );
  return [ys as never, final as never];
}

/**
 * LSTM over a time-major sequence `xs [T, B, F]` with `scan` (one loop in the program, also
 * under grad and jit): returns `[ys [T, B, H], { h, c }]` (final state); the initial state `{ initial: { h, c } }`
 * defaults to zeros. Weights `wx [F, 4H]`, `wh [H, 4H]`, `b [4H]`, gate order i, f, g, o as
 * PyTorch (which keeps two biases b_ih + b_hh where we keep their sum: `b = bias_ih_l0 + bias_hh_l0`,
 * `wx = weight_ih_l0.T`, `wh = weight_hh_l0.T`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 * const p = nn.lstm.init(random.key(0), { in: 8, hidden: 16, forgetBias: 1 });
 * const [ys, { h, c }] = nn.lstm(p, zeros([10, 4, 8]));
 * assert.deepEqual(ys.shape, [10, 4, 16]);
 * assert.deepEqual(h.shape, [4, 16]);
 * assert.deepEqual(c.shape, [4, 16]);
 * ```
 */
export const lstm = Object.assign(lstmApply, {
  /** `lstm.init(key, { in, hidden, forgetBias?, dtype?, … })`: `wx [F, 4H]`, `wh [H, 4H]`, `b [4H]`. */
  init: lstmInit,
  /** `lstm.initFor(key, xs, { hidden, … })`: `init` with `in` the feature dim F of `xs [T, B, F]`. */
  initFor: lstmInitFor,
  /** One step, `lstm.cell(params, { h, c } [B, H], x [B, F])` → the next `{ h, c }`: {@link lstmCell}. */
  cell: lstmCell,
});
