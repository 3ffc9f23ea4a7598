/**
 * Node-only file adapters for `io`: safetensors files and parameter checkpoints, written
 * atomically (a temp file in the same directory, fsync, rename, then fsync of the directory), so
 * a crash mid-save leaves either the old file or the new one, never a torn one. Each helper comes
 * twice: throwing (`saveParams`, `loadParams`, …) and as an fp-ts `TaskEither` that never
 * throws and fails with a {@link FileError} (`writeParamsFile`, `readParamsFile`, …).
 */

export { FileError, type FileErrorKind } from './file-error.ts';

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { checkOptions } from '../core/options.ts';
import { type FileError, readError, stage, stageTask, toFileError } from './file-error.ts';
import { decodeParams, encodeParams } from './params.ts';
import type { MetadataOptions } from './safetensors.ts';
import {
  type DecodeOptions,
  decodeSafetensors,
  encodeSafetensors,
  type SafeTensorInput,
  type SafetensorsContents,
} from './safetensors.ts';

/** `.<target>.<pid>.<random>.tmp` next to the target: derived from it, so stale ones can be found. */
function tempPath(path: string): string {
  removeStaleTemps(path);
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * Removes the temp files of earlier writes of `path` whose writer process is gone (killed
 * mid-save): without this, each killed writer would leave a full-size file forever. Temps
 * of live writers (this process included) are left alone.
 */
function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the write itself reports an unusable directory
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const match = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && !processAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}

function fsyncDirSync(dir: string): void {
  // Makes the rename durable; not every platform lets a directory be opened or fsynced.
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes bytes to `path` atomically: a temp file in the same directory, fsync, rename over
 * `path`, fsync of the directory. On failure the temp file is removed, `path` keeps its old
 * contents, and the Error is `writeFileAtomic(<path>): …`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, readFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeFileAtomicSync } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'bytes.bin');
 * writeFileAtomicSync(path, new Uint8Array([1, 2, 3]));
 * assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
 * ```
 */
export function writeFileAtomicSync(path: string, bytes: Uint8Array): void {
  const tmp = tempPath(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new Error(`writeFileAtomic(${path}): ${(e as Error).message}`, { cause: e });
  }
  fsyncDirSync(dirname(path));
}

/**
 * Asynchronous {@link writeFileAtomicSync}: the same atomic write and error.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, readFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeFileAtomic } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'bytes.bin');
 * await writeFileAtomic(path, new Uint8Array([4, 5]));
 * assert.deepEqual([...readFileSync(path)], [4, 5]);
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = tempPath(path);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new Error(`writeFileAtomic(${path}): ${(e as Error).message}`, { cause: e });
  }
  fsyncDirSync(dirname(path));
}

/** The tensors to save: named arrays (`{ shape, data, dtype? }`), as a record or a `Map`. */
export type NamedSafeTensors =
  | Readonly<Record<string, SafeTensorInput>>
  | ReadonlyMap<string, SafeTensorInput>;

/** Reads a whole file; a failure is the `'read'` error of `fn`. */
const readFileTask = (fn: string, path: string): TE.TaskEither<FileError, Uint8Array> =>
  TE.tryCatch(
    () => readFile(path),
    (e) => readError(fn, path, e),
  );

/** Writes `bytes` atomically; a failure is the `'write'` error of `fn`. */
const writeTask = (fn: string, path: string, bytes: Uint8Array): TE.TaskEither<FileError, void> =>
  TE.tryCatch(
    () => writeFileAtomic(path, bytes),
    (e) => toFileError(fn, path, 'write', e),
  );

/**
 * Saves named arrays as a safetensors file, atomically. Throws on bad input or I/O errors.
 *
 * @param path the file to write (replaced atomically if it exists).
 * @param tensors named arrays `{ shape, data, dtype? }` (dtype inferred from the typed array).
 * @param opts `metadata`: a string-to-string record stored in the header.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadSafetensors, saveSafetensors } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'w.safetensors');
 * saveSafetensors(path, { w: { shape: [2], data: Float32Array.from([1, 2]) } }, { metadata: { step: '7' } });
 * const { tensors, metadata } = loadSafetensors(path);
 * assert.deepEqual([...tensors.w!.data], [1, 2]);
 * assert.deepEqual(metadata, { step: '7' });
 * ```
 */
export function saveSafetensors(path: string, tensors: NamedSafeTensors, opts?: MetadataOptions): void {
  checkOptions('saveSafetensors', opts, ['metadata']);
  writeFileAtomicSync(path, encodeSafetensors(tensors, opts));
}

/**
 * Loads a safetensors file: its tensors by name (`{ dtype, shape, data }`) and metadata. Throws a
 * `readSafetensors(<path>): …` Error if the file cannot be read or is invalid.
 *
 * @param path the file.
 * @param options decoding options (see `io.decodeSafetensors`: wide dtypes, skipping).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadSafetensors } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'bad.safetensors');
 * writeFileSync(path, new Uint8Array([1, 2, 3]));
 * assert.throws(() => loadSafetensors(path), /^Error: readSafetensors\(.*bad\.safetensors\): file is 3 bytes long/);
 * ```
 */
export function loadSafetensors(path: string, options?: DecodeOptions): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`readSafetensors(${path}): cannot read the file (${(e as Error).message})`, { cause: e });
  }
  return decodeSafetensors(bytes, path, options);
}

/**
 * {@link saveSafetensors} as a `TaskEither`: asynchronous, never throws, and fails with a
 * {@link FileError} of kind `'encode'` (invalid arrays) or `'write'`. The write is atomic.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeSafetensorsFile } from 'typegrad/node';
 * const dir = mkdtempSync(join(tmpdir(), 'tg-'));
 * const ok = await writeSafetensorsFile(join(dir, 'a.safetensors'), { a: { shape: [1], data: Float32Array.from([1]) } })();
 * assert.equal(ok._tag, 'Right');
 * const bad = await writeSafetensorsFile(join(dir, 'b.safetensors'), { a: { shape: [2], data: Float32Array.from([1]) } })();
 * assert.ok(bad._tag === 'Left' && bad.left.kind === 'encode');
 * ```
 */
export function writeSafetensorsFile(
  path: string,
  tensors: NamedSafeTensors,
  opts?: MetadataOptions,
): TE.TaskEither<FileError, void> {
  const fn = 'writeSafetensorsFile';
  checkOptions(fn, opts, ['metadata']);
  return pipe(
    stageTask(fn, path, 'encode')(() => encodeSafetensors(tensors, opts)),
    TE.chain((bytes) => writeTask(fn, path, bytes)),
  );
}

/**
 * {@link loadSafetensors} as a `TaskEither`: asynchronous, never throws, and fails with a
 * {@link FileError} of kind `'read'` (missing or unreadable) or `'decode'` (not a valid file).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { readSafetensorsFile } from 'typegrad/node';
 * const r = await readSafetensorsFile('/no/such.safetensors')();
 * assert.ok(r._tag === 'Left' && r.left.kind === 'read');
 * assert.match(r.left.message, /^readSafetensorsFile\(\/no\/such\.safetensors\): cannot read the file/);
 * ```
 */
export function readSafetensorsFile(
  path: string,
  options?: DecodeOptions,
): TE.TaskEither<FileError, SafetensorsContents> {
  const fn = 'readSafetensorsFile';
  return pipe(
    readFileTask(fn, path),
    TE.chainEitherK((bytes) => stage(fn, path, 'decode')(() => decodeSafetensors(bytes, path, options))),
  );
}

/**
 * Saves a parameter pytree (records and arrays of tensors; any backend) as a safetensors file,
 * atomically: each tensor under its dotted path (`dense.w`, `layers.0.b`). Rejects (Error) on
 * a tree without tensors or an I/O failure.
 *
 * @param path the checkpoint file.
 * @param params the pytree (parameters, optimizer state, or both in one record).
 * @param opts `metadata`: a string-to-string record stored in the header.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { tensor } from 'typegrad';
 * import { loadParams, saveParams } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'ckpt.safetensors');
 * await saveParams(path, { w: tensor([[1, 2]]), b: tensor([3]) });
 * const back = loadParams(path, { w: tensor([[0, 0]]), b: tensor([0]) });
 * assert.deepEqual(back.w.toArray(), [[1, 2]]);
 * ```
 */
export async function saveParams(path: string, params: unknown, opts?: MetadataOptions): Promise<void> {
  checkOptions('saveParams', opts, ['metadata']);
  await writeFileAtomic(path, await encodeParams(params, opts));
}

/**
 * Loads a parameter pytree saved by {@link saveParams}, shaped and typed like `template`: every
 * name, shape and dtype is checked against it (`loadParams(<path>): …` Errors name the tensor).
 *
 * @param path the checkpoint file.
 * @param template a pytree of the same structure (e.g. freshly initialised parameters).
 * @returns a new tree of the template's type holding the file's values.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { tensor } from 'typegrad';
 * import { loadParams, saveParams } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'ckpt.safetensors');
 * await saveParams(path, { w: tensor([1, 2]) });
 * assert.throws(() => loadParams(path, { w: tensor([0, 0, 0]) }), /w has shape \[2\] but the template has \[3\]/);
 * ```
 */
export function loadParams<P>(path: string, template: P): P {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`loadParams(${path}): cannot read the file (${(e as Error).message})`, { cause: e });
  }
  return decodeParams(bytes, template, path);
}

/**
 * {@link saveParams} as a `TaskEither`: never throws; fails with a {@link FileError} of kind
 * `'encode'` (no tensors in the tree) or `'write'`. The write is atomic, so a failed save keeps
 * the previous checkpoint.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { tensor } from 'typegrad';
 * import { writeParamsFile } from 'typegrad/node';
 * const dir = mkdtempSync(join(tmpdir(), 'tg-'));
 * const saved = await writeParamsFile(join(dir, 'ckpt.safetensors'), { w: tensor([1, 2]) })();
 * assert.equal(saved._tag, 'Right');
 * const noDir = await writeParamsFile(join(dir, 'missing', 'ckpt.safetensors'), { w: tensor([1]) })();
 * assert.ok(noDir._tag === 'Left' && noDir.left.kind === 'write');
 * ```
 */
export function writeParamsFile(
  path: string,
  params: unknown,
  opts?: MetadataOptions,
): TE.TaskEither<FileError, void> {
  const fn = 'writeParamsFile';
  checkOptions(fn, opts, ['metadata']);
  return pipe(
    TE.tryCatch(
      () => encodeParams(params, opts),
      (e) => toFileError(fn, path, 'encode', e),
    ),
    TE.chain((bytes) => writeTask(fn, path, bytes)),
  );
}

/**
 * {@link loadParams} as a `TaskEither`: never throws; fails with a {@link FileError} of kind
 * `'read'` (missing or unreadable file) or `'decode'` (corrupt, or not matching `template`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { tensor } from 'typegrad';
 * import { readParamsFile } from 'typegrad/node';
 * const path = join(mkdtempSync(join(tmpdir(), 'tg-')), 'torn.safetensors');
 * writeFileSync(path, new Uint8Array(5));
 * const r = await readParamsFile(path, { w: tensor([0]) })();
 * assert.ok(r._tag === 'Left' && r.left.kind === 'decode');
 * ```
 */
export function readParamsFile<P>(path: string, template: P): TE.TaskEither<FileError, P> {
  const fn = 'readParamsFile';
  return pipe(
    readFileTask(fn, path),
    TE.chainEitherK((bytes) => stage(fn, path, 'decode')(() => decodeParams(bytes, template, path))),
  );
}
