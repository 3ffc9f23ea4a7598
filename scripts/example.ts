/**
 * `npm run example -- NAME [--reduced]`: runs a tutorial's full configuration and rewrites its
 * figures. NAME is the page's file name without its number, e.g. `deep-convnets` for
 * docs/08-deep-convnets.md. The page's code is the one source: it reads
 * `process.env.TYPEGRAD_EXAMPLE` (`'full'` here, unset under `npm test`, which runs the reduced
 * configuration in seconds and writes its figures under tmp/).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS, loadPage, runPage, typecheckPages } from './doctest.ts';

const [name, ...flags] = process.argv.slice(2);
const pages = readdirSync(DOCS).filter((f) => /^\d+-.*\.md$/.test(f));
const slug = (f: string): string => f.replace(/^\d+-/, '').replace(/\.md$/, '');
const file = pages.find((f) => slug(f) === name);
if (!file) {
  console.error(`usage: npm run example -- NAME [--reduced]\nNAME is one of: ${pages.map(slug).join(', ')}`);
  process.exit(2);
}
if (!flags.includes('--reduced')) process.env.TYPEGRAD_EXAMPLE = 'full';
const page = loadPage(join(DOCS, file));
const [checked] = typecheckPages([page]);
if (checked && checked.problems.length > 0) {
  console.error(checked.problems.join('\n'));
  process.exit(1);
}
const t0 = performance.now();
await runPage(page);
console.log(
  `${file}: ${process.env.TYPEGRAD_EXAMPLE ?? 'reduced'} run in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
