/**
 * The pooling windows of the `window_argmax` primitive, one axis at a time: output position
 * o reads taps `first[o] + j * step` for j < count[o], all inside [0, size). Uniform windows
 * start at o * stride - padLo and have `window` taps `dilation` apart (taps in the padding
 * are dropped, which is max pooling's -inf padding); adaptive windows are PyTorch's
 * [floor(o * size / out), ceil((o + 1) * size / out)).
 */
import type { WindowParams } from './primitives.ts';

export interface AxisTaps {
  readonly size: number;
  readonly out: number;
  readonly step: number;
  readonly first: Int32Array;
  readonly count: Int32Array;
}

/** The taps of every output position along spatial axis `i` of an input of extent `size`. */
export function axisTaps(p: WindowParams, i: number, size: number): AxisTaps {
  const out = p.out[i]!;
  const first = new Int32Array(out);
  const count = new Int32Array(out);
  if (p.adaptive) {
    for (let o = 0; o < out; o++) {
      const start = Math.floor((o * size) / out);
      first[o] = start;
      count[o] = Math.ceil(((o + 1) * size) / out) - start;
    }
    return { size, out, step: 1, first, count };
  }
  const k = p.window[i]!;
  const s = p.strides[i]!;
  const d = p.dilation[i]!;
  const lo = p.padding[i]!;
  for (let o = 0; o < out; o++) {
    let start = o * s - lo;
    let n = k;
    while (n > 0 && start < 0) {
      start += d;
      n--;
    }
    while (n > 0 && start + (n - 1) * d >= size) n--;
    first[o] = start;
    count[o] = n;
  }
  return { size, out, step: d, first, count };
}

/** Every axis's taps; throws (naming `op`) when a window holds no input element. */
export function windowTaps(op: string, p: WindowParams, spatial: readonly number[]): AxisTaps[] {
  return spatial.map((size, i) => {
    const t = axisTaps(p, i, size);
    const empty = t.count.findIndex((c) => c <= 0);
    if (empty >= 0) throw new Error(`${op}: window ${empty} of spatial axis ${i} covers no input element`);
    return t;
  });
}
