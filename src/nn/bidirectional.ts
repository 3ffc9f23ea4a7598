import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import { concat } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Mul } from '../shapes/arith.ts';

/** The parameters of a bidirectional layer: one set per direction. */
export interface BidirectionalParams<P> {
  readonly forward: P;
  readonly backward: P;
}

/** `[T, B, H]` outputs as `[T, B, 2H]` (a literal when H is one). */
type Doubled<Y> =
  Y extends Tensor<readonly [infer T, infer B, infer H], infer D>
    ? Tensor<[T, B, H extends number ? Mul<H, 2> : number], D>
    : Tensor;

const reverseTime = (x: Tensor): Tensor => lax.rev(x, [0]);

/**
 * Runs a recurrent layer over the sequence and over the time-reversed sequence, and
 * concatenates the two outputs on the feature axis: `ys[t] = [fwd(xs)[t], bwd(rev xs)[T-1-t]]`
 * (`[T, B, 2H]`), with the final states `{ forward, backward }`. `init` makes one parameter
 * set per direction from split keys.
 *
 * @example
 * const bilstm = nn.bidirectional(nn.lstm);
 * const p = bilstm.init(key, { in: 16, hidden: 32 });
 * const [ys, { forward, backward }] = bilstm(p, xs); // xs [T, B, 16] -> ys [T, B, 64]
 */
export function bidirectional<P, X extends Tensor, Y extends Tensor, S, C>(
  layer: ((params: P, xs: X) => readonly [Y, S]) & { readonly init: (key: Key, config: C) => P },
): ((params: BidirectionalParams<P>, xs: X) => [Doubled<Y>, { forward: S; backward: S }]) & {
  init: (key: Key, config: C) => BidirectionalParams<P>;
} {
  const apply = (params: BidirectionalParams<P>, xs: X): [Doubled<Y>, { forward: S; backward: S }] => {
    if ((xs as Tensor).ndim < 1)
      throw new Error(`nn.bidirectional: xs must be time-major [T, …], got ${(xs as Tensor).describe()}`);
    const [fwd, sf] = layer(params.forward, xs);
    const [bwd, sb] = layer(params.backward, reverseTime(xs) as X);
    const ys = concat([fwd as Tensor, reverseTime(bwd)] as never, -1 as never);
    return [ys as never, { forward: sf, backward: sb }];
  };
  const init = (key: Key, config: C): BidirectionalParams<P> => {
    const [kf, kb] = splitKeys(key, 2) as [Key, Key];
    return { forward: layer.init(kf, config), backward: layer.init(kb, config) };
  };
  return Object.assign(apply, { init });
}
