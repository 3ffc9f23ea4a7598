/**
 * The `TaskEither` twins of the Node I/O helpers: right on success with the same values as the
 * throwing versions, left with a `FileError` naming the function, the path and the stage, and
 * the atomic write kept (a failed save leaves the previous file and no temp files).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../data/idx.ts';
import { readCorpusFile, readIdxFile, readMnistFormat } from '../data/node-fs.ts';
import { tensor } from '../ops/creation.ts';
import { FileError, toFileError } from './file-error.ts';
import {
  readParamsFile,
  readSafetensorsFile,
  saveParams,
  writeParamsFile,
  writeSafetensorsFile,
} from './node-fs.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'typegrad-te-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const temps = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/** The left of a finished task, failing the test on a right. */
async function leftOf<A>(task: TE.TaskEither<FileError, A>): Promise<FileError> {
  const r = await task();
  if (r._tag === 'Right') throw new Error('expected a Left');
  expect(r.left).toBeInstanceOf(FileError);
  return r.left;
}

describe('FileError', () => {
  it('names the function and the path once, keeping the cause', () => {
    const cause = new Error('readIdx(/a/b.idx): truncated');
    const e = toFileError('readIdxFile', '/a/b.idx', 'decode', cause);
    expect(e.message).toBe('readIdxFile(/a/b.idx): truncated');
    expect([e.fn, e.path, e.kind, e.name, e.cause]).toEqual([
      'readIdxFile',
      '/a/b.idx',
      'decode',
      'FileError',
      cause,
    ]);
    expect(toFileError('other', '/x', 'read', e)).toBe(e);
    // a prefix about another path is kept: it says which file inside a directory failed
    expect(toFileError('readMnistFormat', '/d', 'decode', new Error('readIdx(/d/f): bad')).message).toBe(
      'readMnistFormat(/d): readIdx(/d/f): bad',
    );
  });
});

describe('checkpoints as TaskEither', () => {
  const params = {
    dense: { w: tensor([[1, 2, 3]]), b: tensor([0.5]) },
    steps: tensor([7], { dtype: 'i32' }),
  };
  const template = {
    dense: { w: tensor([[0, 0, 0]]), b: tensor([0]) },
    steps: tensor([0], { dtype: 'i32' }),
  };

  it('round-trips params: right with the values, composable with pipe', async () => {
    const path = join(dir, 'ckpt.safetensors');
    const r = await pipe(
      writeParamsFile(path, params, { metadata: { epoch: '3' } }),
      TE.chain(() => readParamsFile(path, template)),
      TE.map((p) => ({ w: p.dense.w.toArray(), b: p.dense.b.toArray(), steps: p.steps.toArray() })),
    )();
    expect(r).toEqual({ _tag: 'Right', right: { w: [[1, 2, 3]], b: [0.5], steps: [7] } });
    expect(temps()).toEqual([]);
  });

  it('left on a missing file, a corrupt file and a template mismatch', async () => {
    const missing = join(dir, 'missing.safetensors');
    const m = await leftOf(readParamsFile(missing, template));
    expect([m.fn, m.path, m.kind]).toEqual(['readParamsFile', missing, 'read']);
    expect(m.message).toMatch(/^readParamsFile\(.*missing\.safetensors\): cannot read the file \(ENOENT/);

    const corrupt = join(dir, 'corrupt.safetensors');
    writeFileSync(corrupt, new Uint8Array([9, 9, 9]));
    const c = await leftOf(readParamsFile(corrupt, template));
    expect(c.kind).toBe('decode');
    expect(c.message).toBe(
      `readParamsFile(${corrupt}): file is 3 bytes long, too short for the 8-byte header length`,
    );

    const path = join(dir, 'small.safetensors');
    await saveParams(path, { w: tensor([1, 2]) });
    const t = await leftOf(readParamsFile(path, { w: tensor([0, 0, 0]) }));
    expect(t.kind).toBe('decode');
    expect(t.message).toBe(`readParamsFile(${path}): w has shape [2] but the template has [3]`);
  });

  it('a failed write is a left and keeps the previous checkpoint (atomic)', async () => {
    const path = join(dir, 'keep.safetensors');
    expect((await writeParamsFile(path, params)())._tag).toBe('Right');
    const before = readFileSync(path);
    const e = await leftOf(writeParamsFile(path, { nothing: 1 }));
    expect([e.fn, e.kind, e.message]).toEqual([
      'writeParamsFile',
      'encode',
      `writeParamsFile(${path}): encodeParams: the tree has no tensors`,
    ]);
    // the target turned into a directory: the rename fails after the temp file was written
    const blocked = join(dir, 'blocked.safetensors');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    const w = await leftOf(writeParamsFile(blocked, params));
    expect([w.fn, w.path, w.kind]).toEqual(['writeParamsFile', blocked, 'write']);
    expect(w.message.startsWith(`writeParamsFile(${blocked}): `)).toBe(true);
    expect(readFileSync(path)).toEqual(before);
    expect(temps()).toEqual([]);
  });

  it('does not run before the task is run', async () => {
    const path = join(dir, 'lazy.safetensors');
    const task = writeSafetensorsFile(path, { a: { shape: [1], data: Float32Array.from([1]) } });
    expect(readdirSync(dir)).not.toContain('lazy.safetensors');
    await task();
    const r = await readSafetensorsFile(path)();
    expect(r._tag === 'Right' && Array.from(r.right.tensors.a!.data)).toEqual([1]);
  });

  it('safetensors: encode and decode failures are typed', async () => {
    const e = await leftOf(
      writeSafetensorsFile(join(dir, 'e.safetensors'), { a: { shape: [2], data: new Float32Array(1) } }),
    );
    expect([e.fn, e.kind]).toEqual(['writeSafetensorsFile', 'encode']);
    const corrupt = join(dir, 'corrupt2.safetensors');
    writeFileSync(corrupt, new Uint8Array(4));
    const d = await leftOf(readSafetensorsFile(corrupt));
    expect([d.fn, d.path, d.kind]).toEqual(['readSafetensorsFile', corrupt, 'decode']);
  });
});

describe('data files as TaskEither', () => {
  it('IDX: right with the values, left naming the file', async () => {
    const path = join(dir, 'v.idx');
    writeFileSync(path, encodeIdx({ dtype: 'int32', shape: [2], data: Int32Array.from([-3, 4]) }));
    const r = await readIdxFile(path)();
    expect(r._tag === 'Right' && Array.from(r.right.data)).toEqual([-3, 4]);
    writeFileSync(path, new Uint8Array([0, 0, 8, 1, 0]));
    const e = await leftOf(readIdxFile(path));
    expect([e.fn, e.path, e.kind]).toEqual(['readIdxFile', path, 'decode']);
  });

  it('MNIST format: a missing file names the directory', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'typegrad-te-mnist-'));
    const e = await leftOf(readMnistFormat(empty));
    expect([e.fn, e.path, e.kind]).toEqual(['readMnistFormat', empty, 'read']);
    expect(e.message).toBe(
      `readMnistFormat(${empty}): missing train-images-idx3-ubyte or train-images-idx3-ubyte.gz (the directory holds: nothing)`,
    );
    rmSync(empty, { recursive: true });
  });

  it('corpus: right with the ids, left on a missing file', async () => {
    const path = join(dir, 'c.txt');
    writeFileSync(path, 'héhé', 'utf8');
    const r = await readCorpusFile(path, { validFraction: 0 })();
    expect(r._tag === 'Right' && r.right.vocab.decode(r.right.train)).toBe('héhé');
    const e = await leftOf(readCorpusFile(join(dir, 'none.txt')));
    expect([e.fn, e.kind]).toEqual(['readCorpusFile', 'read']);
  });
});
