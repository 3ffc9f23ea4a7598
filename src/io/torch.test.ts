import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.ts';
import * as nn from '../nn/index.ts';
import { tensor } from '../ops/creation.ts';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors.ts';
import { fromTorchStateDict, toTorchStateDict } from './torch.ts';

// Fixtures written by Debian's python3-torch: scripts/torch-fixtures.py (see its docstring).
const DIR = new URL('../../test/fixtures/torch/', import.meta.url);
const read = (f: string, skip?: readonly 'I64'[]) =>
  decodeSafetensors(readFileSync(new URL(f, DIR)), f, skip ? { skip } : {});
const io = read('io.safetensors').tensors;
const host = (t: SafeTensor): Tensor => tensor(t.data as Float32Array, [...t.shape]) as Tensor;
const close = (got: Tensor, want: SafeTensor) => {
  expect(got.shape).toEqual(want.shape);
  const g = got.dataSync();
  const worst = Math.max(...Array.from(want.data, (v, i) => Math.abs(g[i]! - v)));
  expect(worst).toBeLessThan(1e-5);
};
type P = never; // the layer records, as the layers take them (their shapes are checked at run time)

/** Every layer of the fixture model, run by typegrad on the fixture inputs. */
function run(p: Record<string, P>): Record<string, Tensor> {
  const x = host(io['in.x']!);
  const seq = host(io['in.seq']!);
  return {
    fc: nn.dense(p.fc!, x),
    conv: nn.conv2d(p.conv!, host(io['in.img']!)),
    emb: nn.embedding(p.emb!, tensor(io['in.ids']!.data as Int32Array, [3])),
    ln: nn.layerNorm(p.ln!, x),
    rnn: nn.rnn(p.rnn!, seq)[0],
    lstm: nn.lstm(p.lstm!, seq)[0],
    half: nn.dense(p.half!, x),
    bhalf: nn.dense(p.bhalf!, x),
  };
}

describe('PyTorch state dicts (python3-torch fixtures)', () => {
  it('safetensors widens F16, BF16 to F32 and I64 to I32, or skips on request', () => {
    const all = read('model.safetensors');
    expect(all.tensors['half.weight']!.dtype).toBe('F32');
    expect(all.tensors['bhalf.weight']!.dtype).toBe('F32');
    expect(all.tensors['bn.num_batches_tracked']).toEqual({
      dtype: 'I32',
      shape: [],
      data: new Int32Array([7]),
    });
    expect(io['in.ids']!.data).toEqual(new Int32Array([0, 4, 2]));
    const skipped = read('model.safetensors', ['I64']);
    expect(skipped.skipped).toEqual(['bn.num_batches_tracked']);
    expect(skipped.tensors['bn.num_batches_tracked']).toBeUndefined();
  });

  it('an I64 outside the I32 range is an error naming the tensor (unless skipped)', () => {
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 2n ** 40n, true);
    const json = new TextEncoder().encode(
      JSON.stringify({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }),
    );
    const bytes = new Uint8Array([
      ...new Uint8Array(new BigUint64Array([BigInt(json.length)]).buffer),
      ...json,
      ...big,
    ]);
    expect(() => decodeSafetensors(bytes, 'big')).toThrow(
      `readSafetensors(big): I64 tensor "n" has value ${2 ** 40} at index 0, outside the I32 range`,
    );
    expect(decodeSafetensors(bytes, 'big', { skip: ['I64'] }).skipped).toEqual(['n']);
  });

  it("maps every layer kind and reproduces PyTorch's outputs; reports what it cannot map", () => {
    const { params, unmatched } = fromTorchStateDict(read('model.safetensors').tensors);
    expect(unmatched).toEqual([
      'bn.bias',
      'bn.num_batches_tracked',
      'bn.running_mean',
      'bn.running_var',
      'bn.weight',
    ]);
    const out = run(params as Record<string, P>);
    for (const [k, v] of Object.entries(out)) close(v, io[`out.${k}`]!);
  });

  it('names modules by table or function; what they leave out is unmatched', () => {
    const sd = read('model.safetensors').tensors;
    const byTable = fromTorchStateDict(sd, { fc: 'head.out', lstm: 'enc' });
    expect(Object.keys(byTable.params)).toEqual(['head', 'enc']);
    expect((byTable.params.head as Record<string, P>).out).toHaveProperty('w');
    expect(byTable.unmatched).toContain('conv.weight');
    const byFn = fromTorchStateDict(sd, (m) => (m === 'emb' ? 'words' : undefined));
    expect(Object.keys(byFn.params)).toEqual(['words']);
    expect(byFn.unmatched).toHaveLength(Object.keys(sd).length - 1);
  });

  it('round-trips: toTorchStateDict gives PyTorch names and layouts, and back is exact', async () => {
    const sd = read('model.safetensors').tensors;
    const { params } = fromTorchStateDict(sd, (m) => (m === 'half' || m === 'bhalf' ? undefined : m));
    const back = await toTorchStateDict(params);
    const torchKeys = Object.keys(sd).filter((k) => !/^(bn|half|bhalf)\./.test(k));
    expect(Object.keys(back).sort()).toEqual(torchKeys.sort());
    for (const k of [
      'fc.weight',
      'conv.weight',
      'emb.weight',
      'ln.bias',
      'rnn.weight_ih_l0',
      'lstm.weight_hh_l0',
    ])
      expect(back[k]).toEqual(sd[k]);
    const b = sd['lstm.bias_ih_l0']!.data.map((v, i) => v + sd['lstm.bias_hh_l0']!.data[i]!);
    expect(back['lstm.bias_ih_l0']!.data).toEqual(b);
    expect(Array.from(back['lstm.bias_hh_l0']!.data)).toEqual(new Array(8).fill(0));
    const again = fromTorchStateDict(back);
    expect(again.unmatched).toEqual([]);
    const flat = (p: unknown) =>
      Object.entries(p as Record<string, Record<string, Tensor>>).flatMap(([l, r]) =>
        Object.entries(r).map(([k, t]) => [`${l}.${k}`, Array.from(t.dataSync())]),
      );
    expect(flat(again.params)).toEqual(flat(params));
  });

  it('PyTorch loads what typegrad writes (strict) and computes the same outputs', async () => {
    const { params } = fromTorchStateDict(read('model.safetensors').tensors, (m) =>
      m === 'half' || m === 'bhalf' ? undefined : m,
    );
    const dict = encodeSafetensors(await toTorchStateDict(params));
    const outs = run({ ...(params as Record<string, P>), half: params.fc as P, bhalf: params.fc as P });
    const outputs = encodeSafetensors(
      Object.fromEntries(
        Object.entries(outs)
          .filter(([k]) => !k.includes('half'))
          .map(([k, t]) => [`out.${k}`, { shape: t.shape as number[], data: t.dataSync() as Float32Array }]),
      ),
    );
    // The committed files are what scripts/torch-fixtures.py checked in torch; the code must
    // still write them byte for byte (TYPEGRAD_WRITE_FIXTURES=1 rewrites them). Where
    // python3-torch is installed, check again now.
    if (process.env.TYPEGRAD_WRITE_FIXTURES) {
      writeFileSync(new URL('from-typegrad.safetensors', DIR), dict);
      writeFileSync(new URL('from-typegrad-outputs.safetensors', DIR), outputs);
    }
    expect(dict).toEqual(new Uint8Array(readFileSync(new URL('from-typegrad.safetensors', DIR))));
    // The outputs depend on the kernel set's rounding (the wasm GEMM accumulates in f32, the
    // JS one in f64), so they are compared to the committed ones to f32 rounding, not bytes.
    const committed = decodeSafetensors(
      new Uint8Array(readFileSync(new URL('from-typegrad-outputs.safetensors', DIR))),
    ).tensors;
    const ours = decodeSafetensors(outputs).tensors;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(committed).sort());
    for (const [k, t] of Object.entries(ours)) {
      const ref = committed[k]!;
      expect(t.shape).toEqual(ref.shape);
      const scale = Math.max(1, ...Array.from(ref.data as Float32Array, Math.abs));
      Array.from(t.data as Float32Array).forEach((v, i) => {
        expect(Math.abs(v - (ref.data as Float32Array)[i]!)).toBeLessThanOrEqual(1e-6 * scale);
      });
    }
    if (existsSync('/usr/lib/python3/dist-packages/torch/__init__.py')) {
      const log = execFileSync('/usr/bin/python3', ['scripts/torch-fixtures.py', 'check'], {
        encoding: 'utf8',
      });
      expect(log).toContain('lstm: torch matches typegrad');
    }
  }, 120_000);
});
