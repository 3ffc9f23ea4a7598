import { afterEach, describe, expect, it } from 'vitest';
import { createThreadPool } from './browser.ts';

// The browser side's thread pool outside an isolated Worker (the pool itself is tested in
// headless Chromium: test/browser/threads.test.ts).
describe('browser createThreadPool', () => {
  const scope = globalThis as { crossOriginIsolated?: boolean; WorkerGlobalScope?: unknown };
  afterEach(() => {
    delete scope.crossOriginIsolated;
    delete scope.WorkerGlobalScope;
  });

  it('gives no pool where the page is not cross-origin isolated, even in a worker', () => {
    scope.WorkerGlobalScope = function WorkerGlobalScope() {};
    expect(createThreadPool(2)).toBeUndefined();
    scope.crossOriginIsolated = false;
    expect(createThreadPool(2)).toBeUndefined();
  });

  it('gives no pool on a main thread (no WorkerGlobalScope), even when isolated', () => {
    scope.crossOriginIsolated = true;
    expect(createThreadPool(2)).toBeUndefined();
  });
});
