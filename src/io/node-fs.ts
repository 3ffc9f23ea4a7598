/**
 * Node-only file adapters for `io`: safetensors files, written atomically (a temp file in the
 * same directory, fsync, rename, then fsync of the directory), so a crash mid-save leaves
 * either the old file or the new one, never a torn one.
 */

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
import * as TE from 'fp-ts/lib/TaskEither.js';
import { checkOptions } from '../core/options.ts';
import { decodeParams, encodeParams } from './params.ts';
import type { MetadataOptions } from './safetensors.ts';
import {
  type DecodeOptions,
  decodeSafetensors,
  encodeSafetensors,
  type SafeTensorInput,
  type SafetensorsContents,
} from './safetensors.ts';

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

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

/** Writes bytes to `path` atomically (temp file in the same directory, fsync, rename). */
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

/** Asynchronous {@link writeFileAtomicSync}. */
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

export type NamedSafeTensors =
  | Readonly<Record<string, SafeTensorInput>>
  | ReadonlyMap<string, SafeTensorInput>;

/** Saves named arrays as a safetensors file, atomically. Throws on bad input or I/O errors. */
export function saveSafetensors(path: string, tensors: NamedSafeTensors, opts?: MetadataOptions): void {
  checkOptions('saveSafetensors', opts, ['metadata']);
  writeFileAtomicSync(path, encodeSafetensors(tensors, opts));
}

/** Loads a safetensors file; throws a `readSafetensors(<path>): …` Error if it is invalid. */
export function loadSafetensors(path: string, options?: DecodeOptions): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`readSafetensors(${path}): cannot read the file (${(e as Error).message})`, { cause: e });
  }
  return decodeSafetensors(bytes, path, options);
}

/** {@link saveSafetensors} as a `TaskEither` (asynchronous, never throws). */
export function writeSafetensorsFile(
  path: string,
  tensors: NamedSafeTensors,
  opts?: MetadataOptions,
): TE.TaskEither<Error, void> {
  checkOptions('writeSafetensorsFile', opts, ['metadata']);
  return TE.tryCatch(() => writeFileAtomic(path, encodeSafetensors(tensors, opts)), toError);
}

/** {@link loadSafetensors} as a `TaskEither` (asynchronous, never throws). */
export function readSafetensorsFile(
  path: string,
  options?: DecodeOptions,
): TE.TaskEither<Error, SafetensorsContents> {
  return TE.tryCatch(async () => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new Error(`readSafetensors(${path}): cannot read the file (${(e as Error).message})`, {
        cause: e,
      });
    }
    return decodeSafetensors(bytes, path, options);
  }, toError);
}

/** Saves a parameter pytree as a safetensors file, atomically (values are read from any backend). */
export async function saveParams(path: string, params: unknown, opts?: MetadataOptions): Promise<void> {
  checkOptions('saveParams', opts, ['metadata']);
  await writeFileAtomic(path, await encodeParams(params, opts));
}

/** Loads a parameter pytree saved by {@link saveParams}, shaped and typed like `template`. */
export function loadParams<P>(path: string, template: P): P {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`loadParams(${path}): cannot read the file (${(e as Error).message})`, { cause: e });
  }
  return decodeParams(bytes, template, path);
}
