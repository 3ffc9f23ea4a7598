import type { DType } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import { concat } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Shape } from '../shapes/dim.ts';
import { ownedInit } from './init-scope.ts';

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
) => [Tensor<[number, number, number], OutDType<L>>, { forward: StateOf<L>; backward: StateOf<L> }]) & {
  init: (key: Key, config: ConfigOf<L>) => BidirectionalParams<ParamsOf<L>>;
} & (L extends { readonly initFor: (key: Key, x: never, config: infer C) => infer P }
    ? {
        /** One parameter set per direction from an example input `xs [T, B, F]` (the layer's `initFor`). */
        initFor: (key: Key, xs: Tensor<Shape, DType>, config: C) => BidirectionalParams<P>;
      }
    : unknown);

const reverseTime = (x: Tensor): Tensor => lax.rev(x, [0]);

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
export function bidirectional<
  L extends ((params: never, xs: never) => readonly [unknown, unknown]) & {
    /** The layer's parameter initialiser, `init(key, config)`. */
    readonly init: (key: Key, config: never) => unknown;
  },
>(layer: L): BidirectionalLayer<L> {
  const apply = (params: BidirectionalParams<unknown>, xs: Tensor) => {
    if ((xs as Tensor).ndim < 1)
      throw new Error(`nn.bidirectional: xs must be time-major [T, …], got ${(xs as Tensor).describe()}`);
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
