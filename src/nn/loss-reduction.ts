/** The `reduction` option shared by the losses, and the checks every loss makes on its labels. */
import type { DType } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';

/** How a loss combines its per-element values: their mean (default), their sum, or none. */
export type Reduction = 'mean' | 'sum' | 'none';

/** A loss's result: a scalar for 'mean' and 'sum', the per-element shape E for 'none'. */
export type LossOut<R extends Reduction, E, D extends DType> = R extends 'none'
  ? Tensor<E, D>
  : Tensor<[], D>;

export function reductionOf(op: string, r: unknown): Reduction {
  const v = r ?? 'mean';
  if (v !== 'mean' && v !== 'sum' && v !== 'none')
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(v)}`);
  return v;
}

/** Sum of all elements divided by `denominator` (default: the element count) for 'mean'. */
export function reduceLoss(loss: Tensor, reduction: Reduction, denominator?: Tensor): Tensor {
  if (reduction === 'none') return loss;
  const axes = loss.shape.map((_, i) => i);
  const total = lax.reduceSum(loss, axes);
  if (reduction === 'sum') return total;
  const d = denominator ?? lax.fullLike(total.aval, loss.size);
  return lax.div(total, d);
}

/**
 * Labels out of range are an error naming the loss and the label, when the labels can be read
 * now (a concrete tensor on a backend that reads synchronously: the CPU). Otherwise (inside a
 * transform, or on WebGPU) the loss computes NaN for such an element instead: `outOfRangeNaN`.
 */
export function checkLabelRange(op: string, labels: Tensor, classes: number, ignoreIndex?: number): void {
  const s = labels._storage;
  if (!s || s.freed || !s.backend.readSync) return;
  const data = labels.dataSync() as Int32Array;
  for (let i = 0; i < data.length; i++) {
    const k = data[i]!;
    if (k === ignoreIndex) continue;
    if (k < 0 || k >= classes)
      throw new Error(
        `${op}: label ${k} (element ${i}) is out of range for ${classes} classes` +
          (ignoreIndex === undefined ? '' : ` (ignoreIndex is ${ignoreIndex})`),
      );
  }
}

/** 0 where a kept label is in [0, classes), NaN where it is not (the in-graph form of the check). */
export function outOfRangeNaN(labels: Tensor, classes: number, kept: Tensor, dtype: 'f32' | 'f64'): Tensor {
  const lo = lax.compare(labels, lax.fullLike(labels.aval, 0), 'ge');
  const hi = lax.compare(labels, lax.fullLike(labels.aval, classes), 'lt');
  const inRange = lax.select(lo, hi, lo);
  const bad = lax.select(inRange, lax.fullLike(kept.aval, 0), kept); // kept and not in range
  const aval = { shape: labels.shape as readonly number[], dtype };
  return lax.select(bad, lax.fullLike(aval, Number.NaN), lax.fullLike(aval, 0));
}
