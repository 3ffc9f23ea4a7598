import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nn, random, tensor } from '../index.ts';
import { loadParams, saveParams } from './node-fs.ts';
import { decodeParams, encodeParams, leavesWithPaths } from './params.ts';

const model = () => ({
  dense: nn.dense.init(random.key(0), { in: 3, out: 2 }),
  layers: [{ b: tensor([1, 2], { dtype: 'f64' }) }, { ids: tensor([4, 5, 6], { dtype: 'i32' }) }] as const,
  flags: tensor([true, false]),
});

describe('parameter checkpoints', () => {
  it('names leaves by their paths', () => {
    expect(leavesWithPaths(model()).map(([p]) => p)).toEqual([
      'dense.w',
      'dense.b',
      'layers.0.b',
      'layers.1.ids',
      'flags',
    ]);
  });

  it('round-trips a pytree through a file (values, shapes, dtypes), atomically written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'typegrad-params-'));
    const file = path.join(dir, 'model.safetensors');
    const params = model();
    await saveParams(file, params, { metadata: { epoch: '3' } });
    const back = loadParams(file, model());
    expect(Array.from(back.dense.w.dataSync())).toEqual(Array.from(params.dense.w.dataSync()));
    expect(back.layers[0].b.dtype).toBe('f64');
    expect(Array.from(back.layers[1].ids.dataSync())).toEqual([4, 5, 6]);
    expect(back.flags.toArray()).toEqual([true, false]);
  });

  it('rejects a checkpoint that does not fit the template, naming the tensor', async () => {
    const bytes = await encodeParams(model());
    const wider = { ...model(), dense: nn.dense.init(random.key(0), { in: 4, out: 2 }) };
    expect(() => decodeParams(bytes, wider, 'm.safetensors')).toThrow(
      'loadParams(m.safetensors): dense.w has shape [3, 2] but the template has [4, 2]',
    );
    const { flags: _, ...fewer } = model();
    expect(() => decodeParams(bytes, fewer, 'm.safetensors')).toThrow(
      'loadParams(m.safetensors): unexpected tensors flags',
    );
    expect(() => decodeParams(bytes, { ...model(), extra: tensor([1]) }, 'm')).toThrow(
      'loadParams(m): missing tensor extra',
    );
  });

  it('a truncated file is a clear error, not a partial model', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'typegrad-params-'));
    const file = path.join(dir, 'cut.safetensors');
    writeFileSync(file, (await encodeParams(model())).subarray(0, 40));
    expect(() => loadParams(file, model())).toThrow(/readSafetensors\(.*cut\.safetensors\)/);
    expect(readFileSync(file).length).toBe(40);
  });
});
