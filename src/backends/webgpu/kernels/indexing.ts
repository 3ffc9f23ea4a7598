import { expectInputs, type GpuOperand, type Kernel } from '../kernel.ts';
import { grid1d, main1d, sizeOf, storageType } from '../wgsl.ts';
import { copyInto } from './elementwise.ts';

/**
 * Index along an axis of size n: negative indices wrap once (i + n); anything still out of
 * range is clamped to [0, n − 1]. (The CPU backend throws on out-of-range indices; a GPU
 * kernel cannot, so it clamps, as XLA does.)
 */
const WRAP = `
fn wrap_index(i: i32, n: u32) -> u32 {
  var j = i;
  if (j < 0) { j = j + i32(n); }
  return u32(clamp(j, 0, i32(n) - 1));
}
`;

function split(
  op: string,
  operand: readonly number[],
  axis: number,
): { pre: number; n: number; post: number } {
  if (axis < 0 || axis >= operand.length) throw new Error(`webgpu ${op}: axis ${axis} out of range`);
  return { pre: sizeOf(operand.slice(0, axis)), n: operand[axis]!, post: sizeOf(operand.slice(axis + 1)) };
}

/** numpy take along `axis`: out[a, j, b] = operand[a, wrap(indices[j]), b]. */
export const gatherKernel: Kernel<'gather'> = (ctx, inputs, params, out) => {
  expectInputs('gather', inputs, 2);
  const [x, idx] = inputs as [GpuOperand, GpuOperand];
  if (idx.dtype !== 'i32') throw new Error(`webgpu gather: indices must be i32, got ${idx.dtype}`);
  const { pre, n, post } = split('gather', x.shape, params.axis);
  const J = idx.buf.length;
  const total = pre * J * post;
  if (total !== sizeOf(out.shape)) throw new Error(`webgpu gather: output [${out.shape}] has the wrong size`);
  const buf = ctx.alloc('gather', out);
  if (total === 0) return buf;
  const t = storageType(x.dtype);
  ctx.dispatch({
    op: 'gather',
    key: 'gather-take',
    inputs: [
      { buf: x.buf, type: t },
      { buf: idx.buf, type: 'i32' },
    ],
    outputs: [{ buf, type: t }],
    meta: [total, J, post, n],
    workgroups: grid1d(total),
    body: () => `${WRAP}
${main1d()}
  if (gi >= u(0u)) { return; }
  let J = u(1u);
  let post = u(2u);
  let n = u(3u);
  let b = gi % post;
  let j = (gi / post) % J;
  let a = gi / (post * J);
  if (n == 0u) { out0[gi] = ${t}(0); return; }
  out0[gi] = in0[(a * n + wrap_index(in1[j], n)) * post + b];
}`,
  });
  return buf;
};

/**
 * scatter_add(operand, indices, updates): a copy of operand, then every update added
 * atomically at its (wrapped, clamped) index. f32 adds by compare-exchange on the bits
 * (atomic<u32>), i32 by atomicAdd, bool by atomicOr.
 */
export const scatterAddKernel: Kernel<'scatter_add'> = (ctx, inputs, params, out) => {
  expectInputs('scatter_add', inputs, 3);
  const [x, idx, upd] = inputs as [GpuOperand, GpuOperand, GpuOperand];
  if (idx.dtype !== 'i32') throw new Error(`webgpu scatter_add: indices must be i32, got ${idx.dtype}`);
  if (upd.dtype !== x.dtype)
    throw new Error(`webgpu scatter_add: updates ${upd.dtype} differ from operand ${x.dtype}`);
  const { pre, n, post } = split('scatter_add', x.shape, params.axis);
  const J = idx.buf.length;
  const total = pre * J * post;
  if (total !== upd.buf.length)
    throw new Error(`webgpu scatter_add: updates [${upd.shape}] have the wrong size`);
  const buf = ctx.alloc('scatter_add', out);
  copyInto(ctx, 'scatter_add', x, buf);
  if (total === 0 || n === 0) return buf;
  const dt = x.dtype;
  const add =
    dt === 'f32'
      ? `  var old = atomicLoad(&out0[k]);
  loop {
    let r = atomicCompareExchangeWeak(&out0[k], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`
      : dt === 'i32'
        ? '  atomicAdd(&out0[k], v);'
        : '  if (v != 0u) { atomicOr(&out0[k], 1u); }';
  ctx.dispatch({
    op: 'scatter_add',
    key: `scatter-add:${dt}`,
    inputs: [
      { buf: idx.buf, type: 'i32' },
      { buf: upd.buf, type: storageType(dt) },
    ],
    outputs: [{ buf, type: dt === 'i32' ? 'atomic<i32>' : 'atomic<u32>' }],
    meta: [total, J, post, n],
    workgroups: grid1d(total),
    body: () => `${WRAP}
${main1d()}
  if (gi >= u(0u)) { return; }
  let J = u(1u);
  let post = u(2u);
  let n = u(3u);
  let b = gi % post;
  let j = (gi / post) % J;
  let a = gi / (post * J);
  let k = (a * n + wrap_index(in0[j], n)) * post + b;
  let v = in1[gi];
${add}
}`,
  });
  return buf;
};
