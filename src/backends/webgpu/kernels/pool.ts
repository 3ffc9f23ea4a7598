/**
 * window_argmax on WebGPU: one thread per window, walking its taps in row-major order and
 * keeping the first maximum (a value wins when larger or NaN, as PyTorch's max pooling).
 * Spatial ranks 1–3 run as 3-d (missing axes of extent 1); see `core/window.ts`.
 */
import type { WindowParams } from '../../../core/primitives.ts';
import { expectInputs, type Kernel } from '../kernel.ts';
import { grid1d, main1d, sizeOf, storageType } from '../wgsl.ts';

/** Per axis (d, h, w) six words of meta from word 2: size, out, stride, padLo, window, dilation. */
function axisMeta(shape: readonly number[], p: WindowParams): number[] {
  const nsp = p.out.length;
  const meta: number[] = [];
  for (let a = 0; a < 3; a++) {
    const i = a - (3 - nsp);
    if (i < 0) meta.push(1, 1, 1, 0, 1, 1);
    else if (p.adaptive) meta.push(shape[shape.length - nsp + i]!, p.out[i]!, 0, 0, 0, 1);
    else
      meta.push(
        shape[shape.length - nsp + i]!,
        p.out[i]!,
        p.strides[i]!,
        p.padding[i]!,
        p.window[i]!,
        p.dilation[i]!,
      );
  }
  return meta;
}

/** window_argmax (`values` false: writes the index) or window_max (writes the value there). */
const windowKernel =
  (op: 'window_argmax' | 'window_max', values: boolean): Kernel<typeof op> =>
  (ctx, inputs, params, out) => {
    expectInputs(op, inputs, 1);
    const x = inputs[0]!;
    if (x.dtype === 'f64') throw new Error(`webgpu ${op}: f64 is not supported`);
    const total = sizeOf(out.shape);
    const buf = ctx.alloc(op, out);
    if (total === 0) return buf;
    const t = storageType(x.dtype);
    const better = x.dtype === 'f32' ? 'v > best || tg_isnan(v)' : 'v > best';
    const lowest = x.dtype === 'f32' ? 'tg_neg_inf()' : x.dtype === 'i32' ? 'tg_i32_min()' : '0u';
    const adaptive = params.adaptive;
    ctx.dispatch({
      op,
      key: `${op}:${x.dtype}:${adaptive ? 'adaptive' : 'uniform'}`,
      inputs: [{ buf: x.buf, type: t }],
      outputs: [{ buf, type: values ? t : 'i32' }],
      meta: [total, 0, ...axisMeta(x.shape, params)],
      workgroups: grid1d(total),
      body: () => `
struct Taps { start: i32, count: i32, step: i32 }
fn taps(axis: u32, o: u32) -> Taps {
  let m = 2u + axis * 6u;
  let size = u(m);
  let n_out = u(m + 1u);
  ${
    adaptive
      ? `let a = (o * size) / n_out;
  let b = ((o + 1u) * size + n_out - 1u) / n_out;
  return Taps(i32(a), i32(b - a), 1);`
      : `let d = s(m + 5u);
  var start = i32(o * u(m + 2u)) - s(m + 3u);
  var n = s(m + 4u);
  loop { if (n <= 0 || start >= 0) { break; } start = start + d; n = n - 1; }
  loop { if (n <= 0 || start + (n - 1) * d < i32(size)) { break; } n = n - 1; }
  return Taps(start, n, d);`
  }
}
${main1d()}
  if (gi >= u(0u)) { return; }
  let W = u(14u);
  let HW = u(8u) * W;
  let plane = u(2u) * HW;
  var r = gi;
  let ow = r % u(15u); r = r / u(15u);
  let oh = r % u(9u); r = r / u(9u);
  let od = r % u(3u); r = r / u(3u);
  let td = taps(0u, od);
  let th = taps(1u, oh);
  let tw = taps(2u, ow);
  let first = i32(r * plane) + td.start * i32(HW) + th.start * i32(W) + tw.start;
  var best = ${lowest};
  var at = first;
  for (var a = 0; a < td.count; a = a + 1) {
    for (var b = 0; b < th.count; b = b + 1) {
      for (var c = 0; c < tw.count; c = c + 1) {
        let i = first + a * td.step * i32(HW) + b * th.step * i32(W) + c * tw.step;
        let v = in0[i];
        if (${better}) { best = v; at = i; }
      }
    }
  }
  out0[gi] = ${values ? 'in0[at]' : 'at'};
}`,
    });
    return buf;
  };

export const windowArgmaxKernel = windowKernel('window_argmax', false) as Kernel<'window_argmax'>;
export const windowMaxKernel = windowKernel('window_max', true) as Kernel<'window_max'>;
