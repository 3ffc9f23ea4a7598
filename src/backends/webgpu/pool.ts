import type { Slab } from './kernel.ts';

/**
 * A pool of storage buffers by size class. Classes are 256 B, then powers of two and
 * 1.5 × powers of two, so a buffer wastes at most a third of its bytes.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const p = 2 ** Math.ceil(Math.log2(bytes));
  const mid = (p / 4) * 3;
  return bytes <= mid ? mid : p;
}

export class BufferPool {
  private readonly free = new Map<number, Slab[]>();
  pooledBytes = 0;

  constructor(
    /** Pooled bytes above this are destroyed instead of kept. */
    private readonly maxPooledBytes: number,
    /** Called before a slab's GPUBuffer is destroyed (to drop what refers to it). */
    private readonly onDestroy: (slab: Slab) => void = () => {},
  ) {}

  take(bytes: number): Slab | undefined {
    const list = this.free.get(bytes);
    const b = list?.pop();
    if (b) this.pooledBytes -= bytes;
    return b;
  }

  give(slab: Slab): void {
    const bytes = slab.bytes;
    if (this.pooledBytes + bytes > this.maxPooledBytes) {
      this.destroy(slab);
      return;
    }
    let list = this.free.get(bytes);
    if (!list) {
      list = [];
      this.free.set(bytes, list);
    }
    list.push(slab);
    this.pooledBytes += bytes;
  }

  destroy(slab: Slab): void {
    this.onDestroy(slab);
    slab.gpu.destroy();
  }

  /** Destroys every pooled buffer (e.g. after an out-of-memory error, or at teardown). */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) this.destroy(b);
    this.free.clear();
    this.pooledBytes = 0;
  }
}
