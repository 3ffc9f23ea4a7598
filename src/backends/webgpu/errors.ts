/** Base class of the WebGPU backend's errors; `op` names the primitive (or step) that failed. */
export class WebGpuError extends Error {
  readonly op: string;
  constructor(op: string, message: string) {
    super(`webgpu ${op}: ${message}`);
    this.name = 'WebGpuError';
    this.op = op;
  }
}

/** No adapter (or no WebGPU at all) in this environment. */
export class WebGpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

/** A kernel's WGSL did not compile, or its pipeline did not validate. */
export class WebGpuCompileError extends WebGpuError {
  readonly messages: readonly string[];
  constructor(op: string, messages: readonly string[], detail?: string) {
    super(
      op,
      `shader compilation failed${detail ? `: ${detail}` : ''}${messages.length ? `\n${messages.join('\n')}` : ''}`,
    );
    this.name = 'WebGpuCompileError';
    this.messages = messages;
  }
}

/** A buffer could not be allocated (device limit or out of memory). */
export class WebGpuOutOfMemoryError extends WebGpuError {
  readonly bytes: number;
  constructor(op: string, bytes: number, detail: string) {
    super(op, `out of memory allocating ${bytes} bytes (${detail})`);
    this.name = 'WebGpuOutOfMemoryError';
    this.bytes = bytes;
  }
}

/** The device was lost or destroyed; create a new backend to go on. */
export class WebGpuDeviceLostError extends WebGpuError {
  constructor(op: string, reason: string) {
    super(
      op,
      `the WebGPU device was lost (${reason}); its buffers are gone. Create a new backend with createWebGpuBackend() (setBackend('webgpu') again) to acquire a fresh device.`,
    );
    this.name = 'WebGpuDeviceLostError';
  }
}
