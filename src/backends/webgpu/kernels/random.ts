import { expectInputs, type GpuOperand, type Kernel } from '../kernel.ts';
import { grid1d, main1d, sizeOf } from '../wgsl.ts';

/**
 * random_bits: word i comes from block j = floor(i / 2): (y0, y1) = threefry2x32_20(k0, k1;
 * x0 = j, x1 = stream); out[i] = i even ? y0 : y1, as i32 bits. Bit-identical to
 * `threefry2x32` / `threefryBits` in src/random/threefry.ts. One thread per block.
 */
export const randomBitsKernel: Kernel<'random_bits'> = (ctx, inputs, params, out) => {
  expectInputs('random_bits', inputs, 1);
  const key = inputs[0] as GpuOperand;
  if (key.buf.length !== 2 || key.dtype !== 'i32') throw new Error('webgpu random_bits: key must be i32[2]');
  const n = sizeOf(params.shape);
  if (n !== sizeOf(out.shape))
    throw new Error(`webgpu random_bits: output [${out.shape}] has the wrong size`);
  const buf = ctx.alloc('random_bits', out);
  if (n === 0) return buf;
  const blocks = Math.ceil(n / 2);
  ctx.dispatch({
    op: 'random_bits',
    key: 'threefry2x32',
    inputs: [{ buf: key.buf, type: 'i32' }],
    outputs: [{ buf, type: 'i32' }],
    meta: [blocks, n, params.stream >>> 0],
    workgroups: grid1d(blocks),
    body: () => `
fn rotl(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }
${main1d()}
  if (gi >= u(0u)) { return; }
  let k0 = bitcast<u32>(in0[0]);
  let k1 = bitcast<u32>(in0[1]);
  var ks = array<u32, 3>(k0, k1, 0x1BD11BDAu ^ k0 ^ k1);
  var rot = array<u32, 8>(13u, 15u, 26u, 6u, 17u, 29u, 16u, 24u);
  var a = gi + k0;
  var b = u(2u) + k1;
  for (var s = 1u; s <= 5u; s = s + 1u) {
    let r0 = select(4u, 0u, (s & 1u) == 1u);
    for (var r = 0u; r < 4u; r = r + 1u) {
      a = a + b;
      b = rotl(b, rot[r0 + r]) ^ a;
    }
    a = a + ks[s % 3u];
    b = b + ks[(s + 1u) % 3u] + s;
  }
  out0[2u * gi] = bitcast<i32>(a);
  if (2u * gi + 1u < u(1u)) { out0[2u * gi + 1u] = bitcast<i32>(b); }
}`,
  });
  return buf;
};
