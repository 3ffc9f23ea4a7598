/**
 * The error value of the Node I/O helpers' `TaskEither` versions: which public function failed,
 * on which path, and at which stage, so a caller can branch on it (`kind === 'read'` for a
 * missing file, `'decode'` for a corrupt one) without parsing the message.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

/**
 * The stage that failed: `'read'` (the file cannot be read: missing, a directory, no
 * permission), `'decode'` (its bytes are not a valid file of the format, or do not match the
 * template), `'encode'` (the values to save are invalid), `'write'` (the file cannot be written).
 */
export type FileErrorKind = 'read' | 'decode' | 'encode' | 'write';

/**
 * An I/O failure naming the function and the path: its message is `fn(path): what went wrong`,
 * and the original error is its `cause`. The `TaskEither` helpers of `typegrad/node`
 * (`readSafetensorsFile`, `readParamsFile`, `readIdxFile`, `readCorpusFile`, …) return it on the left.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { FileError, readParamsFile } from 'typegrad/node';
 * import { tensor } from 'typegrad';
 * const r = await readParamsFile('/no/such/model.safetensors', { w: tensor([0]) })();
 * assert.ok(r._tag === 'Left' && r.left instanceof FileError);
 * assert.equal(r.left.fn, 'readParamsFile');
 * assert.equal(r.left.path, '/no/such/model.safetensors');
 * assert.equal(r.left.kind, 'read');
 * assert.match(r.left.message, /^readParamsFile\(\/no\/such\/model\.safetensors\): cannot read the file \(ENOENT/);
 * ```
 */
export class FileError extends Error {
  /** Always `'FileError'`. */
  override readonly name = 'FileError';
  /** The public function that failed (`'readParamsFile'`). */
  readonly fn: string;
  /** The file or directory it was working on. */
  readonly path: string;
  /** The stage that failed. */
  readonly kind: FileErrorKind;

  /**
   * @param fn the public function that failed.
   * @param path the file or directory.
   * @param kind the stage that failed.
   * @param detail what went wrong (the message after `fn(path): `).
   * @param cause the underlying error, if any.
   */
  constructor(fn: string, path: string, kind: FileErrorKind, detail: string, cause?: unknown) {
    super(`${fn}(${path}): ${detail}`, cause === undefined ? undefined : { cause });
    this.fn = fn;
    this.path = path;
    this.kind = kind;
  }
}

/**
 * `e` as a {@link FileError} of `fn` on `path`: a `FileError` passes through, and the
 * `name(path): ` prefix the lower layers put on their messages is dropped, so the text names
 * the function the caller called, once.
 */
export function toFileError(fn: string, path: string, kind: FileErrorKind, e: unknown): FileError {
  if (e instanceof FileError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const head = /^[\w.]+\((.*?)\): /.exec(message);
  return new FileError(fn, path, kind, head?.[1] === path ? message.slice(head[0].length) : message, e);
}

/** A failed `readFile` of `path` as the `'read'` {@link FileError} of `fn`. */
export function readError(fn: string, path: string, e: unknown): FileError {
  const message = e instanceof Error ? e.message : String(e);
  return new FileError(fn, path, 'read', `cannot read the file (${message})`, e);
}

/** Runs a synchronous stage (decode, encode) as an `Either` with the stage's `FileError`. */
export const stage =
  (fn: string, path: string, kind: FileErrorKind) =>
  <A>(f: () => A): E.Either<FileError, A> =>
    E.tryCatch(f, (e) => toFileError(fn, path, kind, e));

/**
 * {@link stage} as a lazy `TaskEither` (nothing runs until the task is run). Browser-safe: the
 * file reads themselves live in the two `node-fs.ts` adapters.
 */
export const stageTask =
  (fn: string, path: string, kind: FileErrorKind) =>
  <A>(f: () => A): TE.TaskEither<FileError, A> =>
  () =>
    Promise.resolve(stage(fn, path, kind)(f));
