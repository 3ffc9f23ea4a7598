import type { Backend, BufferHandle } from '../backends/backend.ts';

/**
 * Buffer ownership. Every concrete tensor owns one backend buffer, counted here per
 * backend. Buffers are freed deterministically by `dispose()` or by leaving a `scope`;
 * a FinalizationRegistry frees what the program dropped without disposing (safety net).
 */
export interface Storage {
  readonly backend: Backend;
  /** The backend's buffer; dropped (undefined) once freed, see `release`. */
  buffer: BufferHandle;
  readonly bytes: number;
  freed: boolean;
  /** freed because it was donated to a jitted function (for a clearer error) */
  donated?: boolean;
}

interface BackendUsage {
  tensors: number;
  bytes: number;
}
const usage = new Map<string, BackendUsage>();
// The last backend looked up: nearly every call is for the same one.
let lastBackend: Backend | undefined;
let lastUsage: BackendUsage | undefined;

function usageOf(backend: Backend): BackendUsage {
  if (backend === lastBackend && lastUsage) return lastUsage;
  let u = usage.get(backend.name);
  if (!u) {
    u = { tensors: 0, bytes: 0 };
    usage.set(backend.name, u);
  }
  lastBackend = backend;
  lastUsage = u;
  return u;
}

// Registered without an unregister token: `release` marks the storage freed, and the
// callback of a tensor that was disposed before it was collected finds it so and returns
// (cheaper per tensor than registering a token and unregistering on dispose).
const finalizer = new FinalizationRegistry<Storage>((storage) => release(storage));

/**
 * Registration with the FinalizationRegistry is deferred for small buffers: it was about a
 * third of an eager op's cost (a weak cell per tensor, and the collector's work on it),
 * while most small eager tensors are disposed within a few ops, by hand or by a scope. The
 * pending owners are held strongly until the next flush, so a dropped tensor is at most
 * DEFER_MAX tensors (each under DEFER_BYTES) late for the collector; a flush registers only
 * those still alive. Large buffers register at once: their kernels dwarf the cost, and
 * holding them would delay freeing real memory.
 */
const DEFER_MAX = 128;
const DEFER_BYTES = 64 * 1024;
const pendingOwners: (object | undefined)[] = new Array(DEFER_MAX).fill(undefined);
const pendingStorages: (Storage | undefined)[] = new Array(DEFER_MAX).fill(undefined);
let pendingCount = 0;
let flushQueued = false;

/** Registers the pending owners whose storage is still alive (a tensor disposed meanwhile needs no safety net). */
function flushPending(): void {
  flushQueued = false;
  const n = pendingCount;
  pendingCount = 0;
  for (let i = 0; i < n; i++) {
    const storage = pendingStorages[i]!;
    if (!storage.freed) finalizer.register(pendingOwners[i]!, storage);
    pendingOwners[i] = undefined;
    pendingStorages[i] = undefined;
  }
}

export function track(storage: Storage, owner: object): void {
  const u = usageOf(storage.backend);
  u.tensors++;
  u.bytes += storage.bytes;
  if (storage.bytes > DEFER_BYTES) {
    // The storage is its own unregister token (held weakly), so `release` can drop the cell.
    finalizer.register(owner, storage, storage);
    return;
  }
  if (pendingCount === DEFER_MAX) flushPending();
  pendingOwners[pendingCount] = owner;
  pendingStorages[pendingCount] = storage;
  pendingCount++;
  // Code that yields to the event loop flushes there; a long synchronous loop flushes by count.
  if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushPending);
  }
}

export function release(storage: Storage): void {
  if (storage.freed) return;
  storage.freed = true;
  const u = usageOf(storage.backend);
  u.tensors--;
  u.bytes -= storage.bytes;
  storage.backend.dispose(storage.buffer);
  // Why: the registry holds each registered storage strongly until its cleanup callback runs,
  // and those callbacks run only when the program yields to the event loop. A synchronous
  // training loop never does, so a freed storage that kept its buffer kept every buffer it
  // had ever freed (docs/09's full run: ~60 MB a step). Dropping the buffer and the cell
  // leaves the collector free to take it now.
  storage.buffer = undefined;
  if (storage.bytes > DEFER_BYTES) finalizer.unregister(storage);
}

/** What `memory()` returns: per backend name, its live tensors and their bytes. */
export interface MemoryInfo {
  /** live tensors and bytes per backend name */
  readonly [backend: string]: {
    /** The number of live (not disposed) tensors. */
    readonly tensors: number;
    /** Their buffers' total size in bytes. */
    readonly bytes: number;
  };
}

/**
 * Live tensors and bytes per backend: what has not been disposed (by `dispose()`, a `scope`,
 * or the garbage collector's safety net). A leak shows as a count that grows.
 *
 * @returns Per backend name (`cpu`, `webgpu`), `{ tensors, bytes }`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { memory, zeros } from 'typegrad';
 * const before = memory().cpu?.bytes ?? 0;
 * const z = zeros([256]);
 * assert.equal(memory().cpu!.bytes - before, 1024);
 * z.dispose();
 * assert.equal(memory().cpu!.bytes, before);
 * ```
 */
export function memory(): MemoryInfo {
  const out: Record<string, { tensors: number; bytes: number }> = {};
  for (const [name, u] of usage) out[name] = { tensors: u.tensors, bytes: u.bytes };
  return out;
}
