import { sizeClass } from './pool.ts';

/** Staging bytes one batch of small reads shares (a read above it gets a buffer of its own). */
const BATCH_BYTES = 64 * 1024;

/** What the read-back path asks of the backend. */
export interface ReadbackHost {
  readonly device: GPUDevice;
  /** The open command encoder, with no compute pass open. */
  copyEncoder(): GPUCommandEncoder;
  /** Submits the recorded work. */
  flush(): void;
  /** Awaits the batch's pending error checks; throws the first error found (naming its op). */
  settle(): Promise<void>;
  /** Throws if the device is gone; else returns the error to report for a failed mapping. */
  mappingError(e: unknown): Error;
}

interface ReadRequest {
  readonly offset: number;
  readonly bytes: number;
  resolve(words: ArrayBuffer): void;
  reject(e: unknown): void;
}

interface Batch {
  readonly staging: GPUBuffer;
  readonly capacity: number;
  used: number;
  readonly requests: ReadRequest[];
}

/**
 * The read-back path. A read records a copy into the current batch's staging buffer at once
 * (so the source may be freed and reused right after); the reads made in one synchronous
 * stretch (e.g. `Promise.all(ts.map((t) => t.data()))`) share one submit, one `mapAsync` and
 * one wait for the error checks. Staging buffers are pooled and reused.
 */
export class Readback {
  private batch: Batch | null = null;
  private readonly free = new Map<number, GPUBuffer[]>();

  constructor(private readonly host: ReadbackHost) {}

  /** The first `bytes` of `src` (a multiple of 4), once the work recorded before is done. */
  read(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    let batch = this.batch;
    if (batch && batch.used + bytes > batch.capacity) {
      void this.finish(batch);
      batch = null;
    }
    if (!batch) {
      const capacity = Math.max(BATCH_BYTES, sizeClass(bytes));
      batch = { staging: this.takeStaging(capacity), capacity, used: 0, requests: [] };
      this.batch = batch;
      const opened = batch;
      queueMicrotask(() => void this.finish(opened));
    }
    const offset = batch.used;
    this.host.copyEncoder().copyBufferToBuffer(src, 0, batch.staging, offset, bytes);
    batch.used += bytes;
    const requests = batch.requests;
    return new Promise((resolve, reject) => requests.push({ offset, bytes, resolve, reject }));
  }

  /** Destroys the pooled staging buffers. */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
  }

  private takeStaging(capacity: number): GPUBuffer {
    const pooled = this.free.get(capacity)?.pop();
    if (pooled) return pooled;
    return this.host.device.createBuffer({
      label: 'typegrad:read',
      size: capacity,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
  }

  private giveStaging(batch: Batch): void {
    let list = this.free.get(batch.capacity);
    if (!list) {
      list = [];
      this.free.set(batch.capacity, list);
    }
    list.push(batch.staging);
  }

  private async finish(batch: Batch): Promise<void> {
    if (this.batch === batch) this.batch = null;
    else if (batch.requests.length === 0) return; // already finished
    const requests = batch.requests.splice(0);
    if (requests.length === 0) {
      this.giveStaging(batch);
      return;
    }
    try {
      this.host.flush();
      let words: ArrayBuffer;
      try {
        await batch.staging.mapAsync(GPUMapMode.READ, 0, batch.used);
        words = batch.staging.getMappedRange(0, batch.used).slice(0);
        batch.staging.unmap();
        this.giveStaging(batch);
      } catch (e) {
        batch.staging.destroy();
        const mapping = this.host.mappingError(e);
        await this.host.settle();
        throw mapping;
      }
      await this.host.settle();
      if (requests.length === 1) requests[0]!.resolve(words);
      else for (const r of requests) r.resolve(words.slice(r.offset, r.offset + r.bytes));
    } catch (e) {
      for (const r of requests) r.reject(e);
    }
  }
}
