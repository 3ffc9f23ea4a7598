import type { DType, TypedArray } from '../../core/dtype.ts';
import type { PrimName, PrimParams } from '../../core/primitives.ts';
import type { Backend, BufferHandle, FusedKernel, Operand, OutputSpec, Program } from '../backend.ts';
import { BindGroupCache } from './bind-cache.ts';
import { type AcquiredDevice, type AcquireOptions, acquireDevice } from './device.ts';
import { WebGpuCompileError, WebGpuDeviceLostError, WebGpuError, WebGpuOutOfMemoryError } from './errors.ts';
import { f16Refusal, fromF16Storage, toF16Storage } from './f16.ts';
import { fusedKernels } from './fusion.ts';
import { HOST_MAX_ELEMENTS, type HostArray, hostRun, toHostArray } from './host.ts';
import {
  type BufferOwner,
  type DispatchSpec,
  type GpuOperand,
  GpuStorage,
  type KernelContext,
  type Slab,
  WebGpuBuffer,
} from './kernel.ts';
import { KERNELS } from './kernels/index.ts';
import { compilationMessages, PipelineCache } from './pipelines.ts';
import { BufferPool, sizeClass } from './pool.ts';
import { Readback } from './readback.ts';
import { GpuTimer } from './timing.ts';
import { elementBytes, sizeOf, storageType } from './wgsl.ts';

/** Memory held by the backend. */
export interface WebGpuMemoryInfo {
  /** Live buffer handles (aliases count once each). */
  readonly liveBuffers: number;
  /** Bytes of GPU storage held by live handles. */
  readonly liveBytes: number;
  /** Bytes of freed storage kept for reuse. */
  readonly pooledBytes: number;
  /** Compiled pipelines in the cache. */
  readonly pipelines: number;
}

export interface WebGpuBackendOptions extends AcquireOptions {
  /** Dispatches recorded before the command encoder is submitted without a read (default 128). */
  batchLimit?: number;
  /** Freed bytes kept in the pool for reuse (default 256 MiB). */
  maxPooledBytes?: number;
  /**
   * Fuse `jit` programs' elementwise chains, and elementwise epilogues (and reduction
   * prologues) of matmuls, convolutions and reductions, into single kernels (default true).
   */
  fusion?: boolean;
  /**
   * Run exact elementwise ops and broadcasts of tiny tensors (≤ 128 elements) whose values
   * are on the host there, without a dispatch (default true; see host.ts). It applies only
   * while `fusion` is on, so `fusion: false` runs every primitive as its own kernel.
   */
  hostForwarding?: boolean;
  /**
   * Let reductions combine within subgroups (`subgroupAdd`/`subgroupMax`) where the adapter
   * has the `subgroups` feature (default true; false keeps the workgroup-memory tree).
   */
  subgroups?: boolean;
}

/** The WebGPU backend: `Backend` plus device access, memory statistics and teardown. */
export interface WebGpuBackend extends Backend {
  readonly name: 'webgpu';
  readonly device: GPUDevice;
  readonly adapterInfo: AcquiredDevice['info'];
  readonly isFallbackAdapter: boolean;
  /** Resolves when the device is lost or destroyed. */
  readonly lost: Promise<GPUDeviceLostInfo>;
  readonly isLost: boolean;
  memory(): WebGpuMemoryInfo;
  /** Compute dispatches recorded since the backend was made (a counter for tests and benches). */
  readonly dispatchCount: number;
  /**
   * Whether `fuse` plans fused kernels for `jit` programs. A program's plan is made on its
   * first call on this backend and kept, so set this before calling a jitted function.
   */
  fusion: boolean;
  /** Whether tiny ops on host-resident values run on the host (see `WebGpuBackendOptions`). */
  hostForwarding: boolean;
  /** Whether the device has `timestamp-query`, so `measureGpuTime` works. */
  readonly timestampQueries: boolean;
  /**
   * GPU time in ms of the compute passes that `fn` records (timestamp queries), waiting for
   * them to finish. Throws where the device has no `timestamp-query`.
   */
  measureGpuTime(fn: () => Promise<void>): Promise<number>;
  /** Flushes, frees pooled buffers and destroys the device. */
  destroy(): void;
  /**
   * Internal (tests, kernel development): compiles `wgsl` asynchronously and rejects with a
   * `WebGpuCompileError` naming `op` and the WGSL messages.
   */
  compileWgsl(op: string, wgsl: string): Promise<void>;
  /**
   * Internal (tests): records a 1-D dispatch of custom WGSL through the synchronous path
   * that `run` uses. `body` sees `prm` (u(0) = element count), `in0…` and `out0`.
   */
  runWgsl(op: string, body: string, inputs: readonly Operand[], out: OutputSpec): BufferHandle;
}

const ARENA_BYTES = 64 * 1024;

class WebGpuBackendImpl implements WebGpuBackend, BufferOwner {
  readonly name = 'webgpu' as const;
  readonly device: GPUDevice;
  dispatchCount = 0;
  fusion: boolean;
  hostForwarding: boolean;
  readonly adapterInfo: AcquiredDevice['info'];
  readonly isFallbackAdapter: boolean;
  readonly lost: Promise<GPUDeviceLostInfo>;
  private lostInfo: { reason: string; message: string } | undefined;

  private readonly pool: BufferPool;
  private readonly pipelines: PipelineCache;
  private readonly readback: Readback;
  private readonly bindGroups = new BindGroupCache();
  private slabCount = 0;
  /** Reused for `setBindGroup`'s dynamic offset (Dawn copies it at the call). */
  private readonly uniformOffset = [0];
  private passPipeline: GPUComputePipeline | null = null;
  private timer: GpuTimer | null = null;
  private timing = false;
  private readonly batchLimit: number;
  private readonly uniformAlign: number;

  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private batchCount = 0;
  private readonly batchOps = new Set<string>();
  private lastOps = '';
  private readonly arenaCpu = new Uint32Array(ARENA_BYTES / 4);
  private readonly arenaGpu: GPUBuffer;
  private arenaUsed = 0;
  /**
   * Storage freed while the open encoder may still use it. Later dispatches of the same
   * encoder may reuse it as an output (the GPU runs them in order), but uploads may not
   * (queue.writeBuffer would land before the encoder's commands). Pooled at the next submit.
   */
  private pendingFree = new Map<number, Slab[]>();
  /** Asynchronous error checks not yet settled. */
  private readonly checks = new Set<Promise<void>>();
  /** Errors found and not yet reported. */
  private errors: Error[] = [];

  /** Buffers allocated by the kernel now running (released if it throws). */
  private runAllocs: WebGpuBuffer[] | null = null;
  private liveBuffers = 0;
  private liveBytes = 0;

  readonly ctx: KernelContext;

  constructor(acq: AcquiredDevice, options: WebGpuBackendOptions) {
    this.device = acq.device;
    this.adapterInfo = acq.info;
    this.isFallbackAdapter = acq.isFallbackAdapter;
    this.batchLimit = options.batchLimit ?? 128;
    this.fusion = options.fusion ?? true;
    this.hostForwarding = options.hostForwarding ?? true;
    this.pool = new BufferPool(options.maxPooledBytes ?? 256 * 1024 * 1024, (slab) =>
      this.bindGroups.drop(slab),
    );
    this.uniformAlign = this.device.limits.minUniformBufferOffsetAlignment;
    this.lost = this.device.lost.then((info) => {
      this.lostInfo ??= { reason: String(info.reason), message: info.message };
      return info;
    });
    const onError = (ev: Event): void => {
      ev.preventDefault();
      const err = (ev as GPUUncapturedErrorEvent).error;
      const ops = [...this.batchOps].join(', ') || this.lastOps || 'unknown op';
      this.errors.push(
        new WebGpuError(ops, `uncaptured ${err.constructor?.name ?? 'GPU error'}: ${err.message}`),
      );
    };
    if (typeof this.device.addEventListener === 'function') {
      this.device.addEventListener('uncapturederror', onError);
    } else {
      (this.device as { onuncapturederror: unknown }).onuncapturederror = onError;
    }
    this.pipelines = new PipelineCache(
      this.device,
      (p) => this.track(p),
      (e) => this.errors.push(e),
    );
    this.readback = new Readback({
      device: this.device,
      copyEncoder: () => {
        this.encoder ??= this.device.createCommandEncoder({ label: 'typegrad:batch' });
        if (this.pass) {
          this.pass.end();
          this.pass = null;
        }
        return this.encoder;
      },
      flush: () => this.flush(),
      settle: () => this.takeErrors(),
      mappingError: (e) => {
        this.assertAlive('read');
        return new WebGpuError(
          'read',
          `mapping the result failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      },
    });
    this.arenaGpu = this.device.createBuffer({
      label: 'typegrad:uniforms',
      size: ARENA_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.ctx = {
      alloc: (op, spec) => this.allocBuffer(op, spec.dtype, sizeOf(spec.shape)),
      alias: (buf, spec) => {
        this.liveBuffers++;
        const st = buf.gpuStorage;
        if (st) st.refs++;
        return new WebGpuBuffer(st, spec.dtype, sizeOf(spec.shape), this, buf.host);
      },
      release: (buf) => this.dispose(buf),
      dispatch: (spec) => this.dispatch(spec),
      subgroups: (options.subgroups ?? true) && this.device.features.has('subgroups'),
      limits: this.device.limits,
    };
  }

  get isLost(): boolean {
    return this.lostInfo !== undefined;
  }

  supports(dtype: DType): boolean {
    if (dtype === 'f16') return this.device.features.has('shader-f16');
    return dtype === 'f32' || dtype === 'i32' || dtype === 'bool';
  }

  // ---------------------------------------------------------------- buffers

  private assertAlive(op: string): void {
    if (this.lostInfo)
      throw new WebGpuDeviceLostError(op, `${this.lostInfo.reason}: ${this.lostInfo.message}`);
  }

  private assertDType(op: string, dtype: DType): void {
    if (dtype === 'f16' && !this.supports(dtype)) {
      throw new WebGpuError(
        op,
        `dtype f16 needs the adapter feature shader-f16, which this adapter (${this.adapterInfo.description || this.adapterInfo.vendor}) lacks; use f32`,
      );
    }
    if (!this.supports(dtype)) {
      throw new WebGpuError(
        op,
        `dtype ${dtype} is not supported on WebGPU (WGSL has no f64); cast to f32 or use the CPU backend`,
      );
    }
  }

  private allocStorage(op: string, bytes: number, forUpload: boolean): GpuStorage {
    const limits = this.device.limits;
    const maxBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    if (bytes > maxBinding) {
      throw new WebGpuOutOfMemoryError(
        op,
        bytes,
        `more than the device's maxStorageBufferBindingSize of ${maxBinding} bytes`,
      );
    }
    const cls = Math.min(sizeClass(bytes), Math.floor(maxBinding / 4) * 4);
    const recycled = forUpload ? undefined : this.pendingFree.get(cls)?.pop();
    if (recycled) return new GpuStorage(recycled);
    const pooled = this.pool.take(cls);
    if (pooled) return new GpuStorage(pooled);
    const device = this.device;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let gpu: GPUBuffer;
    try {
      gpu = device.createBuffer({
        label: `typegrad:${op}`,
        size: cls,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
    } catch (e) {
      void device.popErrorScope();
      void device.popErrorScope();
      throw new WebGpuOutOfMemoryError(op, bytes, e instanceof Error ? e.message : String(e));
    }
    const validation = device.popErrorScope();
    const oom = device.popErrorScope();
    this.track(
      Promise.all([validation, oom]).then(([v, o]) => {
        const err = o ?? v;
        if (!err) return;
        this.pool.clear();
        this.errors.push(new WebGpuOutOfMemoryError(op, bytes, err.message));
      }),
    );
    return new GpuStorage({ gpu, id: this.slabCount++, bytes: cls });
  }

  private allocBuffer(op: string, dtype: DType, length: number, forUpload = false): WebGpuBuffer {
    this.assertAlive(op);
    this.assertDType(op, dtype);
    const storage = this.allocStorage(op, Math.max(length, 1) * elementBytes(dtype), forUpload);
    this.liveBuffers++;
    this.liveBytes += storage.bytes;
    const buf = new WebGpuBuffer(storage, dtype, length, this);
    this.runAllocs?.push(buf);
    return buf;
  }

  private handle(op: string, b: BufferHandle): WebGpuBuffer {
    if (!(b instanceof WebGpuBuffer)) throw new WebGpuError(op, 'operand is not a WebGPU buffer');
    if (b.owner !== this) throw new WebGpuError(op, 'operand belongs to another WebGPU device');
    if (b.disposed) throw new WebGpuError(op, 'operand buffer was disposed');
    return b;
  }

  upload(data: TypedArray, dtype: DType): BufferHandle {
    this.assertAlive('upload');
    this.assertDType('upload', dtype);
    const n = data.length;
    // f16 is never host-resident (host.ts computes in f32 and f64 only).
    if (n <= HOST_MAX_ELEMENTS && dtype !== 'f16') return this.hostBuffer(dtype, toHostArray(data, dtype)!);
    const buf = this.allocBuffer('upload', dtype, n, true);
    this.writeValues(buf.storage.gpu, data, dtype);
    return buf;
  }

  /** A handle whose values are on the host only (see host.ts). */
  private hostBuffer(dtype: DType, host: HostArray): WebGpuBuffer {
    this.liveBuffers++;
    return new WebGpuBuffer(null, dtype, host.length, this, host);
  }

  materialize(buf: WebGpuBuffer): GpuStorage {
    this.assertAlive('upload');
    const st = this.allocStorage('upload', Math.max(buf.length, 1) * elementBytes(buf.dtype), true);
    this.liveBytes += st.bytes;
    if (buf.host) this.writeValues(st.gpu, buf.host, buf.dtype);
    return st;
  }

  /** Writes host values into `gpu` in the storage layout (bool as u32 words). */
  private writeValues(gpu: GPUBuffer, data: ArrayLike<number>, dtype: DType): void {
    const n = data.length;
    if (n === 0) return;
    let words: Float32Array | Int32Array | Uint32Array | Uint16Array;
    if (dtype === 'f16') words = toF16Storage(data);
    else if (dtype === 'f32')
      words = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
    else if (dtype === 'i32')
      words = data instanceof Int32Array ? data : Int32Array.from(data as ArrayLike<number>);
    else {
      words = new Uint32Array(n);
      for (let i = 0; i < n; i++) words[i] = data[i] ? 1 : 0;
    }
    this.device.queue.writeBuffer(gpu, 0, words.buffer, words.byteOffset, words.byteLength);
  }

  dispose(buffer: BufferHandle): void {
    if (!(buffer instanceof WebGpuBuffer) || buffer.disposed || buffer.owner !== this) return;
    buffer.disposed = true;
    this.liveBuffers--;
    const st = buffer.gpuStorage;
    if (!st || --st.refs > 0) return;
    this.liveBytes -= st.bytes;
    if (this.lostInfo) return;
    if (this.encoder) {
      let list = this.pendingFree.get(st.bytes);
      if (!list) {
        list = [];
        this.pendingFree.set(st.bytes, list);
      }
      list.push(st.slab);
    } else this.pool.give(st.slab);
  }

  memory(): WebGpuMemoryInfo {
    return {
      liveBuffers: this.liveBuffers,
      liveBytes: this.liveBytes,
      pooledBytes: this.pool.pooledBytes,
      pipelines: this.pipelines.size,
    };
  }

  // ---------------------------------------------------------------- recording

  private track(p: Promise<void>): void {
    const q: Promise<void> = p
      .catch((e: unknown) => {
        this.errors.push(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => this.checks.delete(q));
    this.checks.add(q);
  }

  private dispatch(spec: DispatchSpec): void {
    this.assertAlive(spec.op);
    const [x, y, z] = spec.workgroups;
    if (x === 0 || y === 0 || z === 0) return;
    const words = spec.meta.length;
    const nvec = Math.max(1, Math.ceil(words / 4));
    const metaBytes = nvec * 16;
    const slot = Math.ceil(metaBytes / this.uniformAlign) * this.uniformAlign;
    if (slot > ARENA_BYTES)
      throw new WebGpuError(spec.op, `kernel parameters too large (${metaBytes} bytes)`);
    const pipeline = this.pipelines.get(spec, nvec);
    if (this.arenaUsed + slot > ARENA_BYTES) this.flush();
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: 'typegrad:batch' });
    if (!this.pass) {
      const timestampWrites = this.timing ? this.timer?.nextPass() : undefined;
      this.pass = this.encoder.beginComputePass(
        timestampWrites ? { label: 'typegrad:pass', timestampWrites } : { label: 'typegrad:pass' },
      );
      this.passPipeline = null;
    }
    const base = this.arenaUsed / 4;
    const meta = spec.meta;
    for (let i = 0; i < words; i++) this.arenaCpu[base + i] = meta[i]! >>> 0;
    if (pipeline !== this.passPipeline) {
      this.pass.setPipeline(pipeline);
      this.passPipeline = pipeline;
    }
    this.uniformOffset[0] = this.arenaUsed;
    this.pass.setBindGroup(0, this.bindGroup(spec, metaBytes), this.uniformOffset);
    this.pass.dispatchWorkgroups(x, y, z);
    this.dispatchCount++;
    this.arenaUsed += slot;
    this.batchCount++;
    this.batchOps.add(spec.op);
    if (this.batchCount >= this.batchLimit) this.flush();
  }

  /** The (cached) bind group of `spec`'s buffers, its uniform block bound at a dynamic offset. */
  private bindGroup(spec: DispatchSpec, metaBytes: number): GPUBindGroup {
    let key = `${metaBytes}|${spec.inputs.length}`;
    for (const x of spec.inputs) key += `,${x.buf.storage.slab.id}`;
    key += '|';
    for (const x of spec.outputs) key += `,${x.buf.storage.slab.id}`;
    const hit = this.bindGroups.get(key);
    if (hit) return hit;
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.arenaGpu, offset: 0, size: metaBytes } },
    ];
    const slabs: Slab[] = [];
    let b = 1;
    for (const x of [...spec.inputs, ...spec.outputs]) {
      slabs.push(x.buf.storage.slab);
      entries.push({ binding: b++, resource: { buffer: x.buf.storage.gpu } });
    }
    const group = this.device.createBindGroup({
      label: `typegrad:${spec.op}`,
      layout: this.pipelines.layout(spec.inputs.length, spec.outputs.length).bgl,
      entries,
    });
    this.bindGroups.set(key, group, slabs);
    return group;
  }

  /** Submits the recorded work. */
  private flush(): void {
    if (!this.encoder) return;
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (this.arenaUsed > 0) {
      this.device.queue.writeBuffer(this.arenaGpu, 0, this.arenaCpu.buffer, 0, this.arenaUsed);
    }
    const ops = [...this.batchOps].join(', ') || 'read';
    const device = this.device;
    device.pushErrorScope('validation');
    const afterSubmit = this.timing ? this.timer?.resolve(this.encoder) : undefined;
    const cmd = this.encoder.finish();
    device.queue.submit([cmd]);
    afterSubmit?.();
    this.track(
      device.popErrorScope().then((err) => {
        if (err) this.errors.push(new WebGpuError(ops, `command validation failed: ${err.message}`));
      }),
    );
    this.encoder = null;
    this.lastOps = ops;
    this.batchOps.clear();
    this.batchCount = 0;
    this.arenaUsed = 0;
    for (const list of this.pendingFree.values()) for (const slab of list) this.pool.give(slab);
    this.pendingFree.clear();
  }

  /** Awaits pending checks and throws the first error found (then forgets them). */
  private async takeErrors(): Promise<void> {
    while (this.checks.size > 0) await Promise.all([...this.checks]);
    if (this.errors.length === 0) return;
    const errs = this.errors;
    this.errors = [];
    const first = errs[0]!;
    if (errs.length > 1) {
      first.message += `\n(and ${errs.length - 1} more: ${errs
        .slice(1)
        .map((e) => e.message.split('\n')[0])
        .join('; ')})`;
    }
    throw first;
  }

  // ---------------------------------------------------------------- Backend

  run<P extends PrimName>(
    prim: P,
    inputs: readonly Operand[],
    params: PrimParams[P],
    out: OutputSpec,
  ): BufferHandle {
    this.assertAlive(prim);
    this.assertDType(prim, out.dtype);
    const ops: GpuOperand[] = inputs.map((x) => {
      this.assertDType(prim, x.dtype);
      const buf = this.handle(prim, x.buffer);
      if (buf.length !== sizeOf(x.shape)) {
        throw new WebGpuError(
          prim,
          `operand shape [${x.shape}] does not match its buffer of ${buf.length} elements`,
        );
      }
      return { buf, shape: x.shape, dtype: x.dtype };
    });
    const noF16 = f16Refusal(prim, [out.dtype, ...inputs.map((x) => x.dtype)]);
    if (noF16) throw new WebGpuError(prim, noF16);
    const forwarded = this.runOnHost(prim, ops, params, out);
    if (forwarded) return forwarded;
    const kernel = KERNELS[prim] as (
      ctx: KernelContext,
      inputs: readonly GpuOperand[],
      params: PrimParams[P],
      out: OutputSpec,
    ) => WebGpuBuffer;
    return this.releasingOnThrow(() => kernel(this.ctx, ops, params, out));
  }

  /** The op computed on the host when its output is tiny and its inputs' values are there. */
  private runOnHost<P extends PrimName>(
    prim: P,
    ops: readonly GpuOperand[],
    params: PrimParams[P],
    out: OutputSpec,
  ): WebGpuBuffer | undefined {
    const size = sizeOf(out.shape);
    if (size > HOST_MAX_ELEMENTS || !this.hostForwarding || !this.fusion) return undefined;
    for (const o of ops) if (!o.buf.host) return undefined;
    const host = hostRun(
      prim,
      ops.map((o) => ({ host: o.buf.host!, shape: o.shape, dtype: o.dtype })),
      params,
      { dtype: out.dtype, size },
    );
    return host && this.hostBuffer(out.dtype, host);
  }

  /** Runs a kernel; if it throws, frees what it allocated. */
  private releasingOnThrow<T>(fn: () => T): T {
    const allocs: WebGpuBuffer[] = [];
    this.runAllocs = allocs;
    try {
      return fn();
    } catch (e) {
      for (const b of allocs) this.dispose(b);
      throw e;
    } finally {
      this.runAllocs = null;
    }
  }

  async read(buffer: BufferHandle, dtype: DType, size: number): Promise<TypedArray> {
    this.assertAlive('read');
    this.assertDType('read', dtype);
    const buf = this.handle('read', buffer);
    if (size > buf.length)
      throw new WebGpuError('read', `asked for ${size} elements of a ${buf.length}-element buffer`);
    if (buf.host) {
      if (this.checks.size > 0 || this.errors.length > 0) await this.takeErrors();
      return buf.host.slice(0, size);
    }
    // Copies move whole 4-byte words (an odd-length f16 read takes one half word more).
    const bytes = Math.ceil((size * elementBytes(dtype)) / 4) * 4;
    if (bytes === 0) {
      this.flush();
      await this.takeErrors();
      return convertOut(dtype, undefined, size);
    }
    return convertOut(dtype, await this.readback.read(buf.storage.gpu, bytes), size);
  }

  get timestampQueries(): boolean {
    return this.device.features.has('timestamp-query');
  }

  async measureGpuTime(fn: () => Promise<void>): Promise<number> {
    if (!this.timestampQueries)
      throw new WebGpuError('measureGpuTime', 'the device has no timestamp-query feature');
    this.flush();
    this.timer ??= new GpuTimer(this.device);
    await this.timer.take();
    this.timing = true;
    try {
      await fn();
      this.flush();
    } finally {
      this.timing = false;
    }
    await this.sync();
    return (await this.timer.take()) / 1e6;
  }

  async sync(): Promise<void> {
    this.assertAlive('sync');
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.takeErrors();
  }

  destroy(): void {
    if (this.lostInfo) return;
    try {
      this.flush();
    } catch {
      // tearing down anyway
    }
    this.lostInfo = { reason: 'destroyed', message: 'destroy() was called' };
    this.pool.clear();
    this.readback.clear();
    this.timer?.destroy();
    this.device.destroy();
  }

  fuse(program: Program): readonly FusedKernel[] {
    if (!this.fusion) return [];
    // f16 programs run unfused: the fused code generators compute in the storage type.
    if (program.eqns.some((e) => e.outs.some((v) => v.aval.dtype === 'f16'))) return [];
    return fusedKernels(program, {
      ctx: this.ctx,
      handle: (op, b) => this.handle(op, b),
      releasingOnThrow: (fn) => this.releasingOnThrow(fn),
    });
  }

  // ---------------------------------------------------------------- internal hooks

  async compileWgsl(op: string, wgsl: string): Promise<void> {
    this.assertAlive(op);
    const module = this.device.createShaderModule({ label: `typegrad:${op}`, code: wgsl });
    const messages = await compilationMessages(module);
    if (messages.length > 0) throw new WebGpuCompileError(op, messages);
    try {
      await this.device.createComputePipelineAsync({
        label: `typegrad:${op}`,
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
    } catch (e) {
      throw new WebGpuCompileError(op, [], e instanceof Error ? e.message : String(e));
    }
  }

  runWgsl(op: string, body: string, inputs: readonly Operand[], out: OutputSpec): BufferHandle {
    const ins = inputs.map((x) => ({ buf: this.handle(op, x.buffer), type: storageType(x.dtype) }));
    return this.releasingOnThrow(() => {
      const n = sizeOf(out.shape);
      const o = this.allocBuffer(op, out.dtype, n);
      this.dispatch({
        op,
        key: `raw:${op}:${body}`,
        inputs: ins,
        outputs: [{ buf: o, type: storageType(out.dtype) }],
        meta: [n],
        workgroups: [Math.max(1, Math.ceil(n / 64)), 1, 1],
        body: () => body,
      });
      return o;
    });
  }
}

function convertOut(dtype: DType, words: ArrayBuffer | undefined, size: number): TypedArray {
  switch (dtype) {
    case 'f16':
      return fromF16Storage(words, size);
    case 'f32':
      return words ? new Float32Array(words, 0, size) : new Float32Array(0);
    case 'i32':
      return words ? new Int32Array(words, 0, size) : new Int32Array(0);
    case 'bool': {
      const out = new Uint8Array(size);
      if (words) {
        const u = new Uint32Array(words, 0, size);
        for (let i = 0; i < size; i++) out[i] = u[i] ? 1 : 0;
      }
      return out;
    }
    default:
      throw new WebGpuError('read', `dtype ${dtype} is not supported on WebGPU`);
  }
}

/**
 * Acquires a fresh adapter and device and returns a WebGPU backend on it. Each call makes a
 * new device, so after a device loss calling it again recovers.
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const acq = await acquireDevice(options);
  return new WebGpuBackendImpl(acq, options);
}
