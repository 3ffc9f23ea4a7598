/**
 * The GEMM worker pool in headless Chromium. The browser project serves COOP/COEP headers, so
 * the page is cross-origin isolated: in a dedicated Worker `threads: 2` really runs row shares on
 * a second Web Worker, bit-identical to one thread; on the window's main thread (which may not
 * `Atomics.wait`) `threads: 2` quietly gives one thread.
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';

describe('threads in the browser', () => {
  it('in a dedicated Worker: 2 threads run shares and agree bit for bit with 1', async () => {
    const worker = new Worker(new URL('./threads-worker.ts', import.meta.url), { type: 'module' });
    const report = await new Promise<{
      isolated: boolean;
      threads: number;
      ready: number;
      results: { shape: unknown[]; shares: number; diff: number; corner: number }[];
    }>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage('go');
    });
    worker.terminate();
    expect(report.isolated).toBe(true);
    expect(report.threads).toBe(2);
    expect(report.ready).toBe(2);
    expect(report.results).toHaveLength(4);
    for (const r of report.results) {
      expect(r.diff, `${r.shape}`).toBe(0);
      expect(r.shares, `${r.shape}`).toBeGreaterThan(0);
      expect(Number.isFinite(r.corner)).toBe(true);
    }
  });

  it('on the main thread: threads 2 gives one thread, no error', () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
    const be = createCpuBackend({ threads: 2 });
    expect(be.threads).toBe(1);
    be.close();
  });
});
