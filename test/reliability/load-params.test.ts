/**
 * Issue 11 item 6: a failed loadParams (here decodeParams, its in-memory core) checks the
 * whole file against the template before creating any tensor, so nothing is left alive.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.ts';

describe('loadParams on a mismatching file', () => {
  it('creates no tensor when a late leaf mismatches', async () => {
    const saved = { a: tg.ones([64, 64]), b: tg.ones([64]), c: tg.ones([3]) };
    const bytes = await tg.io.encodeParams(saved);
    const template = { a: tg.zeros([64, 64]), b: tg.zeros([64]), c: tg.zeros([4]) };
    const wrongDType = { a: tg.zeros([64, 64]), b: tg.zeros([64]), c: tg.zeros([3], { dtype: 'i32' }) };
    const before = JSON.stringify(tg.memory());
    expect(() => tg.io.decodeParams(bytes, template, 'model.safetensors')).toThrow(
      'loadParams(model.safetensors): c has shape [3] but the template has [4]',
    );
    expect(JSON.stringify(tg.memory())).toBe(before);
    expect(() => tg.io.decodeParams(bytes, wrongDType, 'model.safetensors')).toThrow(
      'loadParams(model.safetensors): c is F32 but the template has i32',
    );
    expect(JSON.stringify(tg.memory())).toBe(before);
    const ok = tg.io.decodeParams(bytes, { a: tg.zeros([64, 64]), b: tg.zeros([64]), c: tg.zeros([3]) });
    expect(Array.from(ok.c.dataSync())).toEqual([1, 1, 1]);
  });
});
