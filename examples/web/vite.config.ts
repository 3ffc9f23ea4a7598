import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page imports the library's sources; `#platform` is the browser side, as for users.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: { '#platform': fileURLToPath(new URL('../../src/platform/browser.ts', import.meta.url)) },
  },
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
});
