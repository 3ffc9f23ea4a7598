export {
  createWebGpuBackend,
  type WebGpuBackend,
  type WebGpuBackendOptions,
  type WebGpuMemoryInfo,
} from './backend.ts';
export { type AcquiredDevice, type AcquireOptions, acquireDevice } from './device.ts';
export {
  WebGpuCompileError,
  WebGpuDeviceLostError,
  WebGpuError,
  WebGpuOutOfMemoryError,
  WebGpuUnavailableError,
} from './errors.ts';
