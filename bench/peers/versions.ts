/** Installed versions of the peer packages (read from bench/peers/node_modules). */
import { readFileSync } from 'node:fs';

/**
 * The `version` field of an installed package's package.json.
 *
 * @example
 *   installedVersion('@jax-js/jax'); // '0.1.25'
 */
export function installedVersion(pkg: string): string {
  const file = new URL(`./node_modules/${pkg}/package.json`, import.meta.url);
  return String(JSON.parse(readFileSync(file, 'utf8')).version);
}
