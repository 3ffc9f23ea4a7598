/** Timestamp pairs one submitted batch may hold (one pair per compute pass). */
const PAIRS = 64;

/**
 * GPU time of compute passes from timestamp queries (where the device has
 * `timestamp-query`): each pass of a batch writes a begin/end pair; at submit the pairs are
 * resolved and copied to a staging buffer, read once the batch is done, and summed.
 */
export class GpuTimer {
  private readonly querySet: GPUQuerySet;
  private readonly resolveBuffer: GPUBuffer;
  private used = 0;
  private totalNs = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ label: 'typegrad:timer', type: 'timestamp', count: 2 * PAIRS });
    this.resolveBuffer = device.createBuffer({
      label: 'typegrad:timer',
      size: 16 * PAIRS,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
  }

  /** The timestamp writes of the next pass, or undefined when the batch's pairs are used up. */
  nextPass(): GPUComputePassTimestampWrites | undefined {
    if (this.used >= PAIRS) return undefined;
    const i = 2 * this.used++;
    return { querySet: this.querySet, beginningOfPassWriteIndex: i, endOfPassWriteIndex: i + 1 };
  }

  /** Records the resolve of this batch's pairs into `encoder`; call `afterSubmit` once submitted. */
  resolve(encoder: GPUCommandEncoder): (() => void) | undefined {
    const pairs = this.used;
    if (pairs === 0) return undefined;
    this.used = 0;
    const bytes = 16 * pairs;
    const staging = this.device.createBuffer({
      label: 'typegrad:timer',
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    encoder.resolveQuerySet(this.querySet, 0, 2 * pairs, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, staging, 0, bytes);
    return () => {
      const p: Promise<void> = staging
        .mapAsync(GPUMapMode.READ)
        .then(() => {
          const t = new BigUint64Array(staging.getMappedRange());
          for (let k = 0; k < pairs; k++) {
            const d = t[2 * k + 1]! - t[2 * k]!;
            if (d > 0n) this.totalNs += Number(d); // some drivers' clocks are not monotonic
          }
          staging.unmap();
        })
        .finally(() => {
          staging.destroy();
          this.pending.delete(p);
        });
      this.pending.add(p);
    };
  }

  /** Nanoseconds of GPU time summed since the last call, once every batch's pairs are read. */
  async take(): Promise<number> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    const ns = this.totalNs;
    this.totalNs = 0;
    return ns;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolveBuffer.destroy();
  }
}
