/**
 * Node-only file adapters for `io`: safetensors files, written atomically (a temp file in the
 * same directory, fsync, rename, then fsync of the directory), so a crash mid-save leaves
 * either the old file or the new one, never a torn one.
 */

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { checkOptions } from '../core/options.ts';
import { decodeParams, encodeParams } from './params.ts';
import type { MetadataOptions } from './safetensors.ts';
import {
  decodeSafetensors,
  encodeSafetensors,
  type SafeTensorInput,
  type SafetensorsContents,
} from './safetensors.ts';

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
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

type Tensors = Readonly<Record<string, SafeTensorInput>> | ReadonlyMap<string, SafeTensorInput>;

/** Saves named arrays as a safetensors file, atomically. Throws on bad input or I/O errors. */
export function saveSafetensors(path: string, tensors: Tensors, opts?: MetadataOptions): void {
  checkOptions('saveSafetensors', opts, ['metadata']);
  writeFileAtomicSync(path, encodeSafetensors(tensors, opts));
}

/** Loads a safetensors file; throws a `readSafetensors(<path>): …` Error if it is invalid. */
export function loadSafetensors(path: string): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`readSafetensors(${path}): cannot read the file (${(e as Error).message})`, { cause: e });
  }
  return decodeSafetensors(bytes, path);
}

/** {@link saveSafetensors} as a `TaskEither` (asynchronous, never throws). */
export function writeSafetensorsFile(
  path: string,
  tensors: Tensors,
  opts?: MetadataOptions,
): TE.TaskEither<Error, void> {
  checkOptions('writeSafetensorsFile', opts, ['metadata']);
  return TE.tryCatch(() => writeFileAtomic(path, encodeSafetensors(tensors, opts)), toError);
}

/** {@link loadSafetensors} as a `TaskEither` (asynchronous, never throws). */
export function readSafetensorsFile(path: string): TE.TaskEither<Error, SafetensorsContents> {
  return TE.tryCatch(async () => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new Error(`readSafetensors(${path}): cannot read the file (${(e as Error).message})`, {
        cause: e,
      });
    }
    return decodeSafetensors(bytes, path);
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
