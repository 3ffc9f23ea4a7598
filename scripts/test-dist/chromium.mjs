// Loads each bundled app in headless Chromium (the system one; never a downloaded browser)
// over a local HTTP server and reads what it wrote into #out.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.gz': 'application/gzip' };

/** A static file server for `root` on a free port; `close()` stops it. */
export async function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** For each `{ name: dir }`, the text of #out once it changed from its placeholder. */
export async function runInChromium(
  dirs,
  executablePath = process.env.TYPEGRAD_CHROMIUM ?? '/usr/bin/chromium',
) {
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-first-run'] });
  const results = {};
  try {
    for (const [name, dir] of Object.entries(dirs)) {
      const server = await serve(dir);
      try {
        const page = await browser.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${server.url}/`);
        await page.waitForFunction(() => document.getElementById('out')?.textContent !== '…', null, {
          timeout: 30_000,
        });
        results[name] = { out: await page.textContent('#out'), errors };
        await page.close();
      } finally {
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}
