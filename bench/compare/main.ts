/**
 * The side-by-side benchmark of typegrad against jax-js and tfjs (bench/README.md), one
 * process per workload id (bench/run.ts starts them):
 *
 *   npx tsx bench/compare/main.ts W1 [--backend cpu|webgpu] [--quick]
 *
 * Needs the peers installed (`npm --prefix bench/peers ci`). Exits 1 when a peer's result
 * disagrees with typegrad's (the comparison would not be fair) or a library fails to load.
 */
import { existsSync } from 'node:fs';
import { plan } from './cases.ts';
import { compare, FULL, QUICK } from './harness.ts';
import type { Backend, Peer, PeerFactory, WorkloadId } from './peer.ts';
import { createTypegradPeer } from './typegrad.ts';
import { installNavigatorGpu } from './webgpu-global.ts';

const PEERS_DIR = new URL('../peers/', import.meta.url);

async function loadPeer(file: string, backend: Backend): Promise<Peer> {
  // a computed specifier: the peers are type-checked by bench/peers/tsconfig.json only
  const mod = (await import(new URL(file, PEERS_DIR).href)) as { createPeer: PeerFactory };
  return mod.createPeer(backend);
}

/**
 * The entry point: runs the cases of one workload id on the three libraries.
 *
 * @example
 *   process.exitCode = await main(['W4', '--quick']);
 */
export async function main(argv: readonly string[]): Promise<number> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const backend = (flag('--backend') ?? 'cpu') as Backend;
  if (backend !== 'cpu' && backend !== 'webgpu')
    throw new Error(`bench/compare: --backend must be cpu or webgpu, got ${backend}`);
  const id = argv.find((a) => !a.startsWith('--') && a !== backend) as WorkloadId | undefined;
  const cases = id ? plan(backend)[id] : undefined;
  if (!cases) throw new Error(`bench/compare: unknown workload ${id} for ${backend} (see cases.ts)`);
  if (!existsSync(new URL('node_modules/@jax-js/jax', PEERS_DIR)))
    throw new Error('bench/compare: the peers are not installed; run `npm --prefix bench/peers ci`');
  if (backend === 'webgpu') await installNavigatorGpu();
  const protocol = argv.includes('--quick') ? QUICK : FULL;
  const typegrad = await createTypegradPeer(backend);
  const others = cases.every((c) => c.typegradOnly)
    ? []
    : [await loadPeer('jax.ts', backend), await loadPeer('tfjs.ts', backend)];
  let agreed = true;
  for (const c of cases) {
    const peers = c.typegradOnly ? [typegrad] : [typegrad, ...others];
    agreed = (await compare(peers, c, c.info, protocol)) && agreed;
  }
  for (const p of [typegrad, ...others]) await p.close();
  return agreed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
