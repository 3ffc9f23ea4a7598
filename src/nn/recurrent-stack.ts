/**
 * Multi-layer recurrent networks, PyTorch's `nn.LSTM(num_layers=L, dropout=p, bidirectional=...)`:
 * `L` layers of an rnn, LSTM or GRU, each reading the previous layer's outputs, with dropout on
 * the outputs of every layer but the last (only while training, keyed). The parameters are an
 * array with one record per layer, so optimizers, `summary` and `io` see them as any pytree.
 */
import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { describeArg } from '../ops/coerce.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Mul } from '../shapes/arith.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import { type BidirectionalParams, bidirectional } from './bidirectional.ts';
import type { LastDim, LastDimCheck, RankCheck } from './checks.ts';
import { dropout } from './dropout.ts';
import { configFromExample } from './example-input.ts';
import { type GruParams, gru } from './gru.ts';
import { checkSize, ownedInit } from './init-scope.ts';
import {
  type LstmConfig,
  type LstmParams,
  type LstmState,
  lstm,
  type RecurrentConfig,
  type RnnParams,
  rnn,
  type SeqBatch,
  type SeqOut,
} from './recurrent.ts';

type T = Tensor;

/** The parameters of one layer of each kind, reading F features with H hidden units. */
interface LayerParams<F extends Dim, H extends Dim, D extends FloatDType> {
  rnn: RnnParams<F, H, D>;
  lstm: LstmParams<F, H, D>;
  gru: GruParams<F, H, D>;
}

/** The final state of one layer of each kind. */
interface LayerState<B extends Dim, H extends Dim, D extends DType> {
  rnn: Tensor<[B, H], D>;
  lstm: LstmState<B, H, D>;
  gru: Tensor<[B, H], D>;
}

/** The recurrent layers a stack is made of. */
export type RecurrentKind = keyof LayerParams<Dim, Dim, FloatDType>;

/** 2 * H, the output width of a bidirectional layer; `number` for a named or dynamic H. */
export type TwoTimes<H extends Dim> = H extends number ? Mul<2, H> : number;

/** A unidirectional stack: the first layer reads F features, the others the H outputs below. */
export type StackParams<
  K extends RecurrentKind,
  F extends Dim,
  H extends Dim,
  D extends FloatDType,
> = readonly [LayerParams<F, H, D>[K], ...LayerParams<H, H, D>[K][]];

/** A bidirectional stack: the first layer reads F features, the others the 2H outputs below. */
export type BidirectionalStackParams<
  K extends RecurrentKind,
  F extends Dim,
  H extends Dim,
  D extends FloatDType,
> = readonly [
  BidirectionalParams<LayerParams<F, H, D>[K]>,
  ...BidirectionalParams<LayerParams<TwoTimes<H>, H, D>[K]>[],
];

/** How many layers, and whether each runs both ways (then the layers above read 2H features). */
export interface StackShape {
  /** the number of layers, PyTorch's `num_layers` */
  readonly layers: number;
  /** true: every layer is `nn.bidirectional` of the kind (default false) */
  readonly bidirectional?: boolean;
}

/** The config of a stack's `init`: the layer's own config (`in`, `hidden`, initialisers) and its shape. */
export type StackConfig<
  K extends RecurrentKind,
  F extends number,
  H extends number,
  D extends FloatDType,
> = (K extends 'lstm' ? LstmConfig<F, H, D> : RecurrentConfig<F, H, D>) & StackShape;

/** The config of a stack's `initFor`: as {@link StackConfig} without `in`, read from xs `[T, B, F]`. */
export type StackConfigFor<K extends RecurrentKind, H extends number, D extends FloatDType> = Omit<
  StackConfig<K, number, H, D>,
  'in' | 'hidden' | 'dtype'
> & {
  /** Hidden units of every layer. */
  readonly hidden: H;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
};

/** The options of a stack's forward pass (`lstmStack(params, xs, opts)`): dropout between the layers. */
export interface StackOptions {
  /** the dropout rate on the outputs of each layer but the last (default 0, as PyTorch's `dropout`) */
  readonly dropout?: number;
  /** dropout acts only while training; required when `dropout` is above 0 */
  readonly training?: boolean;
  /** the dropout masks' key (split once per layer); required while training with dropout */
  readonly key?: Key;
}

/** A stack of recurrent layers of kind K (see `lstmStack`). */
/** The first layer's parameter record (its forward direction's, in a bidirectional stack). */
type FirstLayer<P> = P extends readonly [infer L, ...unknown[]]
  ? L extends { readonly forward: infer Fw }
    ? Fw
    : L
  : never;
/** Whether P is a bidirectional stack. */
type IsBidirectional<P> = P extends readonly [{ readonly forward: unknown }, ...unknown[]] ? true : false;
/** F, H and the dtype of a stack's parameters: every kind's first layer has `wx: [F, …]` and `wh: [H, …]`. */
type StackDims<P> =
  FirstLayer<P> extends {
    readonly wx: Tensor<readonly [infer F extends Dim, ...unknown[]], infer D extends FloatDType>;
    readonly wh: Tensor<readonly [infer H extends Dim, ...unknown[]], FloatDType>;
  }
    ? [F, H, D]
    : [number, number, FloatDType];

/** A stack of recurrent layers of kind K (see `lstmStack`). */
export interface RecurrentStack<K extends RecurrentKind, Op extends string> {
  // One signature for both stacks (F, H and D read from P), not an overload each: a wrong xs
  // then prints only its message, not "No overload matches this call" and both overloads.
  <
    P extends readonly unknown[],
    X extends Shape,
    F extends Dim = StackDims<P>[0],
    H extends Dim = StackDims<P>[1],
    D extends FloatDType = StackDims<P>[2],
  >(
    params: P &
      (IsBidirectional<P> extends true ? BidirectionalStackParams<K, F, H, D> : StackParams<K, F, H, D>),
    xs: Checked<Tensor<X, DType>, RankCheck<Op, X, 3>, LastDimCheck<Op, 'features', X, F>>,
    opts?: IsBidirectional<P> extends true
      ? StackOptions
      : StackOptions & { readonly initial?: readonly LayerState<SeqBatch<X>, H, DType>[K][] },
  ): IsBidirectional<P> extends true
    ? [
        Tensor<SeqOut<X, TwoTimes<H>>, D>,
        {
          /** The layer's forward-in-time final state. */
          forward: LayerState<SeqBatch<X>, H, D>[K];
          /** The final state of the layer's reversed-sequence direction. */
          backward: LayerState<SeqBatch<X>, H, D>[K];
        }[],
      ]
    : [Tensor<SeqOut<X, H>, D>, LayerState<SeqBatch<X>, H, D>[K][]];
  /** One parameter record per layer from `splitKeys(key, { num: layers })`, the layer's `init` for each. */
  init<const F extends number, const H extends number, D extends FloatDType = 'f32'>(
    key: Key,
    config: StackConfig<K, F, H, D> & { readonly bidirectional: true },
  ): BidirectionalStackParams<K, F, H, D>;
  /** One parameter record per layer from `splitKeys(key, { num: layers })`, the layer's `init` for each. */
  init<const F extends number, const H extends number, D extends FloatDType = 'f32'>(
    key: Key,
    config: StackConfig<K, F, H, D> & { readonly bidirectional?: false },
  ): StackParams<K, F, H, D>;
  /** `init` with `in` read from the feature dim of the example input `xs [T, B, F]`. */
  initFor<X extends Shape, const H extends number, D extends FloatDType = 'f32'>(
    key: Key,
    xs: Checked<Tensor<X, DType>, RankCheck<`${Op}.initFor`, X, 3>>,
    config: StackConfigFor<K, H, D> & { readonly bidirectional: true },
  ): BidirectionalStackParams<K, LastDim<X>, H, D>;
  /** `init` with `in` read from the feature dim of the example input `xs [T, B, F]`. */
  initFor<X extends Shape, const H extends number, D extends FloatDType = 'f32'>(
    key: Key,
    xs: Checked<Tensor<X, DType>, RankCheck<`${Op}.initFor`, X, 3>>,
    config: StackConfigFor<K, H, D> & { readonly bidirectional?: false },
  ): StackParams<K, LastDim<X>, H, D>;
}

type AnyLayer = ((p: unknown, xs: T, opts?: object) => [T, unknown]) & {
  init: (key: Key, config: object) => unknown;
};

const OPTION_KEYS = optionKeys<StackOptions & { initial: unknown }>({
  dropout: true,
  training: true,
  key: true,
  initial: true,
});

function makeStack<K extends RecurrentKind, Op extends string>(
  op: Op,
  layer: AnyLayer,
): RecurrentStack<K, Op> {
  const biLayer = bidirectional(layer as never) as unknown as AnyLayer;

  const init = (key: Key, config: StackConfig<K, number, number, FloatDType>) => {
    const { layers, bidirectional: bi = false, ...rest } = config ?? ({} as never);
    checkSize(`${op}.init`, 'layers', layers);
    if (typeof bi !== 'boolean')
      throw new Error(`${op}.init: bidirectional must be true or false, got ${describeArg(bi)}`);
    checkSize(`${op}.init`, 'hidden', rest.hidden);
    const unit = bi ? biLayer : layer;
    const above = (bi ? 2 : 1) * rest.hidden;
    return ownedInit(() =>
      splitKeys(key, { num: layers }).map((k, i) => unit.init(k, { ...rest, in: i === 0 ? rest.in : above })),
    );
  };

  const initFor = (key: Key, xs: T, config: object) =>
    init(key, configFromExample(`${op}.initFor`, xs, config, 'in', 2, 3));

  const apply = (
    params: readonly unknown[],
    xs: T,
    opts: StackOptions & { initial?: readonly unknown[] } = {},
  ) => {
    checkOptions(op, opts, OPTION_KEYS);
    if (!Array.isArray(params) || params.length === 0)
      throw new Error(
        `${op}: params must be the non-empty array of layers from ${op}.init, got ${describeArg(params)}`,
      );
    const rate = opts.dropout ?? 0;
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1))
      throw new Error(`${op}: dropout must be a rate in [0, 1), got ${describeArg(rate)}`);
    if (rate > 0 && typeof opts.training !== 'boolean')
      throw new Error(
        `${op}: with dropout, options.training must be true or false, got ${describeArg(opts.training)}`,
      );
    const masked = rate > 0 && opts.training === true && params.length > 1;
    if (masked && opts.key === undefined) throw new Error(`${op}: dropout while training needs options.key`);
    const bi = typeof params[0] === 'object' && params[0] !== null && 'forward' in params[0];
    const initial = opts.initial;
    if (initial !== undefined && (bi || !Array.isArray(initial) || initial.length !== params.length))
      throw new Error(
        `${op}: initial must be an array of ${params.length} states, one per layer (unidirectional stacks only)`,
      );
    const unit = bi ? biLayer : layer;
    const keys = masked ? splitKeys(opts.key!, { num: params.length - 1 }) : [];
    let h = xs;
    const finals: unknown[] = [];
    params.forEach((p, i) => {
      if (i > 0 && masked) h = dropout(keys[i - 1]!, rate, h, { training: true });
      const [ys, state] = initial ? unit(p, h, { initial: initial[i] }) : unit(p, h);
      finals.push(state);
      h = ys;
    });
    return [h, finals];
  };

  return Object.assign(apply, { init, initFor }) as never;
}

/**
 * A stack of Elman RNN layers (PyTorch's `nn.RNN(num_layers=L, dropout=p)`, tanh): see {@link lstmStack}.
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 *
 * const xs = zeros([5, 2, 3]); // [T, B, F]
 * const p = nn.rnnStack.initFor(random.key(0), xs, { hidden: 4, layers: 3 });
 * const [ys, finals] = nn.rnnStack(p, xs);
 * assert.deepEqual(ys.shape, [5, 2, 4]);
 * assert.equal(finals.length, 3);
 * ```
 */
export const rnnStack: RecurrentStack<'rnn', 'nn.rnnStack'> = makeStack('nn.rnnStack', rnn as never);

/**
 * A stack of LSTM layers, PyTorch's `nn.LSTM(num_layers=L, dropout=p, bidirectional=b)`:
 * `lstmStack(params, xs [T, B, F], { dropout, training, key, initial })` runs layer 1 on xs and
 * layer i + 1 on the outputs of layer i, with `nn.dropout` on those outputs (not on the last
 * layer's) while training, one key per layer from `splitKeys(key, { num: L - 1 })`. Returns
 * `[ys [T, B, H] (2H bidirectional), finals]`, `finals[i]` the final state of layer i (its
 * `{ forward, backward }` when bidirectional); `initial` gives one initial state per layer.
 * `lstmStack.init(key, { in, hidden, layers, bidirectional?, ...lstm config })` makes one record
 * per layer (`lstm.init` with keys from `splitKeys(key, { num: layers })`, `in` of the layers
 * above = H, or 2H); `initFor(key, xs, { hidden, layers })` reads `in` from xs.
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 *
 * const xs = zeros([7, 4, 16]); // [T, B, F]
 * const p = nn.lstmStack.init(random.key(0), { in: 16, hidden: 32, layers: 2, bidirectional: true });
 * const [ys, finals] = nn.lstmStack(p, xs, { dropout: 0.2, training: true, key: random.key(1) });
 * assert.deepEqual(ys.shape, [7, 4, 64]);
 * assert.deepEqual(finals[1]!.backward.c.shape, [4, 32]);
 * // evaluation: no dropout, no key needed
 * const [eval1] = nn.lstmStack(p, xs, { dropout: 0.2, training: false });
 * assert.deepEqual(eval1.shape, [7, 4, 64]);
 * ```
 */
export const lstmStack: RecurrentStack<'lstm', 'nn.lstmStack'> = makeStack('nn.lstmStack', lstm as never);

/**
 * A stack of GRU layers (PyTorch's `nn.GRU(num_layers=L, dropout=p, bidirectional=b)`): see {@link lstmStack}.
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 *
 * const p = nn.gruStack.init(random.key(0), { in: 8, hidden: 6, layers: 2 });
 * const [ys, finals] = nn.gruStack(p, zeros([3, 2, 8]));
 * assert.deepEqual(ys.shape, [3, 2, 6]);
 * assert.deepEqual(finals[0]!.shape, [2, 6]);
 * ```
 */
export const gruStack: RecurrentStack<'gru', 'nn.gruStack'> = makeStack('nn.gruStack', gru as never);
