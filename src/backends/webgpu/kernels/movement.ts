import type { OutputSpec } from '../../backend.ts';
import {
  expectInputs,
  type GpuOperand,
  type Kernel,
  type KernelContext,
  type WebGpuBuffer,
  word,
} from '../kernel.ts';
import { grid1d, main1d, sizeOf, storageType, stridesOf } from '../wgsl.ts';

/**
 * One output axis of an affine gather. Output coordinate c reads input position
 * q = (c - lo) / step along an input stride, valid iff c - lo >= 0, (c - lo) % step == 0 and
 * q < lim (else the output is 0). Without padding lo = 0, step = 1 and every q is valid.
 */
export interface AxisMap {
  size: number;
  stride: number;
  lo?: number;
  step?: number;
  lim?: number;
}

/**
 * The movement kernel every layout change uses: out[c] = in[base + Σ q_d · stride_d]. Strides
 * may be 0 (broadcast) or negative (rev); shapes and strides are uniforms, so one pipeline
 * serves every shape of a dtype.
 */
export function affineGather(
  ctx: KernelContext,
  op: string,
  input: GpuOperand,
  out: OutputSpec,
  base: number,
  axes: readonly AxisMap[],
): WebGpuBuffer {
  const n = sizeOf(out.shape);
  if (axes.length !== out.shape.length)
    throw new Error(`webgpu ${op}: internal: ${axes.length} axes for rank ${out.shape.length}`);
  const buf = ctx.alloc(op, out);
  if (n === 0) return buf;
  const padded = axes.some((a) => a.lo !== undefined || a.step !== undefined || a.lim !== undefined);
  const meta = [n, axes.length, word(base)];
  for (const a of axes) {
    meta.push(a.size, word(a.lo ?? 0), a.step ?? 1, a.lim ?? a.size, word(a.stride));
  }
  const t = storageType(input.dtype);
  ctx.dispatch({
    op,
    key: padded ? 'gather-pad' : 'gather',
    inputs: [{ buf: input.buf, type: t }],
    outputs: [{ buf, type: t }],
    meta,
    workgroups: grid1d(n),
    body: () => `${main1d()}
  if (gi >= u(0u)) { return; }
  let rank = u(1u);
  var rem = gi;
  var off = s(2u);
  var ok = true;
  for (var d = 0u; d < rank; d = d + 1u) {
    let p = 3u + (rank - 1u - d) * 5u;
    let size = u(p);
    let c = rem % size;
    rem = rem / size;
${
  padded
    ? `    let t = i32(c) - s(p + 1u);
    let step = s(p + 2u);
    if (t < 0 || t % step != 0) { ok = false; }
    let q = t / step;
    if (q >= s(p + 3u)) { ok = false; }
    off = off + q * s(p + 4u);`
    : '    off = off + i32(c) * s(p + 4u);'
}
  }
  if (ok) { out0[gi] = in0[u32(off)]; } else { out0[gi] = ${t}(0); }
}`,
  });
  return buf;
}

export const reshapeKernel: Kernel<'reshape'> = (ctx, inputs, params, out) => {
  expectInputs('reshape', inputs, 1);
  const x = inputs[0]!;
  if (sizeOf(params.shape) !== x.buf.length) {
    throw new Error(`webgpu reshape: cannot reshape ${x.buf.length} elements to [${params.shape}]`);
  }
  return ctx.alias(x.buf, out);
};

export const broadcastKernel: Kernel<'broadcast_in_dim'> = (ctx, inputs, params, out) => {
  expectInputs('broadcast_in_dim', inputs, 1);
  const x = inputs[0]!;
  const st = stridesOf(x.shape);
  const axes: AxisMap[] = out.shape.map((size) => ({ size, stride: 0 }));
  params.dims.forEach((d, i) => {
    const a = axes[d];
    if (!a) throw new Error(`webgpu broadcast_in_dim: dim ${d} out of range`);
    if (x.shape[i] !== 1 && x.shape[i] !== a.size) {
      throw new Error(
        `webgpu broadcast_in_dim: operand dim ${i} (${x.shape[i]}) cannot broadcast to ${a.size}`,
      );
    }
    a.stride = x.shape[i] === 1 ? 0 : st[i]!;
  });
  return affineGather(ctx, 'broadcast_in_dim', x, out, 0, axes);
};

export const transposeKernel: Kernel<'transpose'> = (ctx, inputs, params, out) => {
  expectInputs('transpose', inputs, 1);
  const x = inputs[0]!;
  const st = stridesOf(x.shape);
  const axes = params.perm.map((p, i) => ({ size: out.shape[i]!, stride: st[p]! }));
  return affineGather(ctx, 'transpose', x, out, 0, axes);
};

export const sliceKernel: Kernel<'slice'> = (ctx, inputs, params, out) => {
  expectInputs('slice', inputs, 1);
  const x = inputs[0]!;
  const st = stridesOf(x.shape);
  let base = 0;
  const axes = out.shape.map((size, d) => {
    const start = params.start[d] ?? 0;
    const stride = params.stride[d] ?? 1;
    if (size > 0 && start + (size - 1) * stride >= x.shape[d]!) {
      throw new Error(`webgpu slice: axis ${d} reads past ${x.shape[d]}`);
    }
    base += start * st[d]!;
    return { size, stride: stride * st[d]! };
  });
  return affineGather(ctx, 'slice', x, out, base, axes);
};

export const revKernel: Kernel<'rev'> = (ctx, inputs, params, out) => {
  expectInputs('rev', inputs, 1);
  const x = inputs[0]!;
  const st = stridesOf(x.shape);
  let base = 0;
  const axes = x.shape.map((size, d) => {
    if (params.axes.includes(d)) {
      base += Math.max(size - 1, 0) * st[d]!;
      return { size, stride: -st[d]! };
    }
    return { size, stride: st[d]! };
  });
  return affineGather(ctx, 'rev', x, out, base, axes);
};

export const padKernel: Kernel<'pad'> = (ctx, inputs, params, out) => {
  expectInputs('pad', inputs, 1);
  const x = inputs[0]!;
  const st = stridesOf(x.shape);
  const axes = out.shape.map((size, d) => ({
    size,
    stride: st[d]!,
    lo: params.lo[d] ?? 0,
    step: (params.interior[d] ?? 0) + 1,
    lim: x.shape[d]!,
  }));
  return affineGather(ctx, 'pad', x, out, 0, axes);
};

/** Inputs one concatenate pass may read (7 + the output = 8 storage buffers). */
const CONCAT_FANIN = 7;

function concatPass(
  ctx: KernelContext,
  inputs: readonly GpuOperand[],
  axis: number,
  out: OutputSpec,
): WebGpuBuffer {
  const n = sizeOf(out.shape);
  const buf = ctx.alloc('concatenate', out);
  if (n === 0) return buf;
  const inner = sizeOf(out.shape.slice(axis + 1));
  const total = out.shape[axis]!;
  const meta = [n, total, inner];
  let off = 0;
  for (const x of inputs) {
    meta.push(off, x.shape[axis]!);
    off += x.shape[axis]!;
  }
  if (off !== total) throw new Error(`webgpu concatenate: axis sizes sum to ${off}, output has ${total}`);
  const t = storageType(out.dtype);
  const k = inputs.length;
  ctx.dispatch({
    op: 'concatenate',
    key: `concat:${k}`,
    inputs: inputs.map((x) => ({ buf: x.buf, type: t })),
    outputs: [{ buf, type: t }],
    meta,
    workgroups: grid1d(n),
    body: () => {
      const cases: string[] = [];
      for (let i = 0; i < k; i++) {
        cases.push(`  {
    let o = u(${3 + 2 * i}u);
    let a = u(${4 + 2 * i}u);
    if (c >= o && c < o + a) { out0[gi] = in${i}[(outer * a + (c - o)) * inner + r]; return; }
  }`);
      }
      return `${main1d()}
  if (gi >= u(0u)) { return; }
  let total = u(1u);
  let inner = u(2u);
  let r = gi % inner;
  let c = (gi / inner) % total;
  let outer = gi / (inner * total);
${cases.join('\n')}
}`;
    },
  });
  return buf;
}

export const concatenateKernel: Kernel<'concatenate'> = (ctx, inputs, params, out) => {
  if (inputs.length === 0) throw new Error('webgpu concatenate: no inputs');
  const axis = params.axis;
  if (inputs.length <= CONCAT_FANIN) return concatPass(ctx, inputs, axis, out);
  // Several passes: concatenate groups of 7 into temporaries, then those.
  const groups: GpuOperand[] = [];
  const temps: WebGpuBuffer[] = [];
  for (let i = 0; i < inputs.length; i += CONCAT_FANIN) {
    const part = inputs.slice(i, i + CONCAT_FANIN);
    const shape = [...out.shape];
    shape[axis] = part.reduce((acc, x) => acc + x.shape[axis]!, 0);
    const spec = { shape, dtype: out.dtype };
    const b = concatPass(ctx, part, axis, spec);
    temps.push(b);
    groups.push({ buf: b, shape, dtype: out.dtype });
  }
  const result = concatenateKernel(ctx, groups, params, out);
  for (const t of temps) ctx.release(t);
  return result;
};
