import type { DType, FloatDType } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import { concat } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Mul } from '../shapes/arith.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import type { LastDimCheck, RankCheck } from './checks.ts';
import { lastDimCheck, rankCheck } from './checks.ts';
import type { GruParams, gru } from './gru.ts';
import { ownedInit } from './init-scope.ts';
import type {
  LstmConfig,
  LstmParams,
  LstmState,
  lstm,
  RecurrentConfig,
  RnnParams,
  rnn,
  SeqBatch,
} from './recurrent.ts';

/** The parameters of a bidirectional layer: one set per direction. */
export interface BidirectionalParams<P> {
  /** Parameters of the forward-in-time layer. */
  readonly forward: P;
  /** Parameters of the layer run on the reversed sequence. */
  readonly backward: P;
}

type ParamsOf<L> = L extends { readonly init: (key: Key, config: never) => infer P } ? P : never;
type ConfigOf<L> = L extends { readonly init: (key: Key, config: infer C) => unknown } ? C : never;
type StateOf<L> = L extends (params: never, xs: never) => readonly [unknown, infer S] ? S : never;
type OutDType<L> = L extends (params: never, xs: never) => readonly [Tensor<unknown, infer D>, unknown]
  ? D
  : DType;

/**
 * A bidirectional layer: `(params, xs [T, B, F]) => [ys [T, B, 2H], { forward, backward }]`.
 * Typed from the layer's own signature (with a generic layer such as `nn.lstm`, the dims of
 * `ys` are `number`: pass the result through `assertShape` to pin them).
 */
export type BidirectionalLayer<L> = ((
  params: BidirectionalParams<ParamsOf<L>>,
  xs: Tensor<[number, number, number], DType>,
) => [
  Tensor<[number, number, number], OutDType<L>>,
  {
    /** The forward-in-time layer's final state. */
    forward: StateOf<L>;
    /** The final state of the layer run on the reversed sequence (that at t = 0). */
    backward: StateOf<L>;
  },
]) & {
  /** One parameter set per direction from split keys, each the layer's `init(key, config)`. */
  init: (key: Key, config: ConfigOf<L>) => BidirectionalParams<ParamsOf<L>>;
} & (L extends {
    /** The wrapped layer's `initFor(key, x, config)`, when it has one. */
    readonly initFor: (key: Key, x: never, config: infer C) => infer P;
  }
    ? {
        /** One parameter set per direction from an example input `xs [T, B, F]` (the layer's `initFor`). */
        initFor: (key: Key, xs: Tensor<Shape, DType>, config: C) => BidirectionalParams<P>;
      }
    : unknown);

const reverseTime = (x: Tensor): Tensor => lax.rev(x, [0]);

/** `[T, B, 2H]` from `[T, B, F]`: both directions' outputs side by side. */
type BiOut<X extends Shape, H extends Dim> = X extends readonly [
  infer Tn extends Dim,
  infer B extends Dim,
  infer _F,
]
  ? [Tn, B, H extends number ? Mul<2, H> : number]
  : [number, number, number];

/** The input guard of a bidirectional recurrent layer, naming nn.bidirectional. */
type BiInput<X extends Shape, F extends Dim> = Checked<
  Tensor<X, DType>,
  RankCheck<'nn.bidirectional', X, 3>,
  LastDimCheck<'nn.bidirectional', 'features', X, F>
>;

/** The parameters, config and final state of each recurrent layer, by name. */
interface Recurrent<F extends Dim, H extends Dim, D extends FloatDType, B extends Dim> {
  lstm: {
    params: LstmParams<F, H, D>;
    config: LstmConfig<F & number, H & number, D>;
    state: LstmState<B, H, D>;
  };
  gru: {
    params: GruParams<F, H, D>;
    config: RecurrentConfig<F & number, H & number, D>;
    state: Tensor<[B, H], D>;
  };
  rnn: {
    params: RnnParams<F, H, D>;
    config: RecurrentConfig<F & number, H & number, D>;
    state: Tensor<[B, H], D>;
  };
}

/**
 * `nn.bidirectional(nn.lstm)` (or `nn.gru`, `nn.rnn`), typed like the layer it wraps: `init`
 * keeps the literal sizes, the input `[T, B, F]` is checked against F (an error naming
 * nn.bidirectional), and the output is `[T, B, 2H]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, type Tensor, zeros } from 'typegrad';
 *
 * const bi = nn.bidirectional(nn.lstm);
 * const p = bi.init(random.key(0), { in: 4, hidden: 3 });
 * const [ys, { forward }] = bi(p, zeros([5, 2, 4])); // xs [T, B, 4]
 * const both: Tensor<[5, 2, 6]> = ys; // [T, B, 2 * hidden]
 * assert.deepEqual(both.shape, [5, 2, 6]);
 * assert.deepEqual(forward.h.shape, [2, 3]);
 * ```
 */
export interface BidirectionalRecurrent<K extends keyof Recurrent<Dim, Dim, FloatDType, Dim>> {
  <X extends Shape, F extends Dim, H extends Dim, D extends FloatDType>(
    params: BidirectionalParams<Recurrent<F, H, D, number>[K]['params']>,
    xs: BiInput<X, F>,
  ): [
    Tensor<BiOut<X, H>, D>,
    {
      /** The forward-in-time layer's final state. */
      forward: Recurrent<F, H, D, SeqBatch<X>>[K]['state'];
      /** The final state of the layer run on the reversed sequence (that at t = 0). */
      backward: Recurrent<F, H, D, SeqBatch<X>>[K]['state'];
    },
  ];
  /** One parameter set per direction from split keys, each the layer's `init(key, config)`. */
  init<const F extends number, const H extends number, D extends FloatDType = 'f32'>(
    key: Key,
    config: Recurrent<F, H, D, number>[K]['config'],
  ): BidirectionalParams<Recurrent<F, H, D, number>[K]['params']>;
  /** One parameter set per direction from an example input `xs [T, B, F]` (the layer's `initFor`). */
  initFor<const H extends number, D extends FloatDType = 'f32'>(
    key: Key,
    xs: Tensor<Shape, DType>,
    config: Omit<Recurrent<number, H, D, number>[K]['config'], 'in'>,
  ): BidirectionalParams<Recurrent<number, H, D, number>[K]['params']>;
}

/**
 * Runs a recurrent layer over the sequence and over the time-reversed sequence, and
 * concatenates the two outputs on the feature axis: `ys[t] = [fwd(xs)[t], bwd(rev xs)[T-1-t]]`
 * (`[T, B, 2H]`), with the final states `{ forward, backward }`. `init` makes one parameter
 * set per direction from split keys; `initFor(key, xs, config)` does so from an example input
 * when the layer has `initFor` (the input size is xs's feature dim).
 *
 * @typeParam L a recurrent layer (`nn.rnn`, `nn.gru`, `nn.lstm`): `layer(params, xs) -> [ys, state]` with an `init`.
 * @param layer the layer to run both ways.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 * const bilstm = nn.bidirectional(nn.lstm);
 * const p = bilstm.init(random.key(0), { in: 16, hidden: 32 });
 * const [ys, { forward, backward }] = bilstm(p, zeros([7, 2, 16]));
 * assert.deepEqual(ys.shape, [7, 2, 64]);
 * assert.deepEqual([forward.h.shape, backward.h.shape], [[2, 32], [2, 32]]);
 * ```
 */
export function bidirectional(layer: typeof lstm): BidirectionalRecurrent<'lstm'>;
export function bidirectional(layer: typeof gru): BidirectionalRecurrent<'gru'>;
export function bidirectional(layer: typeof rnn): BidirectionalRecurrent<'rnn'>;
export function bidirectional<
  L extends ((params: never, xs: never) => readonly [unknown, unknown]) & {
    /** The layer's parameter initialiser, `init(key, config)`. */
    readonly init: (key: Key, config: never) => unknown;
  },
>(layer: L): BidirectionalLayer<L>;
export function bidirectional(
  layer: ((params: never, xs: never) => readonly [unknown, unknown]) & {
    readonly init: (key: Key, config: never) => unknown;
  },
): unknown {
  const apply = (params: BidirectionalParams<unknown>, xs: Tensor) => {
    if ((xs as Tensor).ndim < 1)
      throw new Error(`nn.bidirectional: xs must be time-major [T, …], got ${(xs as Tensor).describe()}`);
    // the recurrent layers' own checks, naming the wrapper
    const wx = (params.forward as { readonly wx?: Tensor }).wx;
    if (wx !== undefined) {
      rankCheck('nn.bidirectional', xs.shape as number[], 3);
      lastDimCheck('nn.bidirectional', 'features', xs.shape as number[], wx.shape[0] as number);
    }
    const [fwd, sf] = layer(params.forward as never, xs as never);
    const [bwd, sb] = layer(params.backward as never, reverseTime(xs) as never);
    const ys = concat([fwd as Tensor, reverseTime(bwd as Tensor)] as never, { axis: -1 } as never);
    return [ys, { forward: sf, backward: sb }];
  };
  const init = (key: Key, config: unknown) =>
    ownedInit(() => {
      const [kf, kb] = splitKeys(key, { num: 2 }) as [Key, Key];
      return { forward: layer.init(kf, config as never), backward: layer.init(kb, config as never) };
    });
  const layerFor = (layer as { initFor?: (key: Key, x: Tensor, config: unknown) => unknown }).initFor;
  const initFor = (key: Key, xs: Tensor, config: unknown) =>
    ownedInit(() => {
      const [kf, kb] = splitKeys(key, { num: 2 }) as [Key, Key];
      return { forward: layerFor!(kf, xs, config), backward: layerFor!(kb, xs, config) };
    });
  return Object.assign(apply, layerFor ? { init, initFor } : { init }) as never;
}
