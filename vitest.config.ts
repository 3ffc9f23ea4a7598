import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Two projects, both run by `npm test`:
 *
 * - `node`: every unit, property, doc and backend test (WebGPU through the `webgpu`
 *   package; see ../shared/WEBGPU-TESTING.md and scripts/setup-webgpu.sh).
 * - `browser`: test/browser/** in headless Debian Chromium (`/usr/bin/chromium`, never a
 *   downloaded one) with WebGPU enabled: a representative subset on `navigator.gpu`.
 *   Set TYPEGRAD_NO_BROWSER=1 to leave it out. Without Chromium it is left out with a loud
 *   warning on a developer's machine, and fails in CI (CI or TYPEGRAD_REQUIRE_WEBGPU set).
 */
const CHROMIUM = process.env.TYPEGRAD_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = Boolean(process.env.CI || process.env.TYPEGRAD_REQUIRE_WEBGPU);

function runBrowserProject(): boolean {
  if (process.env.TYPEGRAD_NO_BROWSER) return false;
  if (existsSync(CHROMIUM) || REQUIRED) return true;
  console.warn(
    `\n*** SKIPPING the browser test project: no Chromium at ${CHROMIUM} ` +
      '(apt-get install chromium, or set TYPEGRAD_CHROMIUM). CI runs it. ***\n',
  );
  return false;
}

// `#platform` (package.json `imports`) points at dist/ for users; tests run the sources.
const platformAlias = (side: 'node' | 'browser') => ({
  '#platform': fileURLToPath(new URL(`./src/platform/${side}.ts`, import.meta.url)),
});

const nodeProject: TestProjectInlineConfiguration = {
  extends: true,
  resolve: { alias: platformAlias('node') },
  test: {
    name: 'node',
    include: ['src/**/*.test.ts', 'property-tests/**/*.test.ts', 'docs/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.git/**', 'test/browser/**'],
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
};

const browserProject: TestProjectInlineConfiguration = {
  resolve: { alias: platformAlias('browser') },
  // cross-origin isolation (SharedArrayBuffer), for the GEMM worker pool's test (threads.test.ts)
  server: {
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            '--enable-unsafe-webgpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
  // The `webgpu` npm package (Dawn for Node) is never loaded in a browser (navigator.gpu is).
  optimizeDeps: { exclude: ['webgpu'] },
};

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: runBrowserProject() ? [nodeProject, browserProject] : [nodeProject],
  },
});
