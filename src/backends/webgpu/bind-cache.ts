import type { Slab } from './kernel.ts';

/** Cached bind groups past this count are dropped all at once (they are cheap to remake). */
const MAX_GROUPS = 4096;

/**
 * Bind groups by (uniform size, layout, bound slabs). The uniform block is bound with a
 * dynamic offset, so a chain of ops over pooled buffers reuses a few bind groups instead of
 * making one per dispatch. A slab's groups are dropped before its GPUBuffer is destroyed.
 */
export class BindGroupCache {
  private readonly groups = new Map<string, GPUBindGroup>();
  private readonly keysBySlab = new Map<number, string[]>();

  get(key: string): GPUBindGroup | undefined {
    return this.groups.get(key);
  }

  set(key: string, group: GPUBindGroup, slabs: readonly Slab[]): void {
    if (this.groups.size >= MAX_GROUPS) this.clear();
    this.groups.set(key, group);
    for (const s of slabs) {
      let keys = this.keysBySlab.get(s.id);
      if (!keys) {
        keys = [];
        this.keysBySlab.set(s.id, keys);
      }
      keys.push(key);
    }
  }

  /** Forgets every group that binds `slab`. */
  drop(slab: Slab): void {
    const keys = this.keysBySlab.get(slab.id);
    if (!keys) return;
    for (const k of keys) this.groups.delete(k);
    this.keysBySlab.delete(slab.id);
  }

  clear(): void {
    this.groups.clear();
    this.keysBySlab.clear();
  }

  get size(): number {
    return this.groups.size;
  }
}
