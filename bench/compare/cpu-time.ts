/**
 * typegrad against jax-js in process CPU time (user + system, every thread), which a loaded
 * machine disturbs far less than the wall time `npm run bench -- --peers` reports: both
 * runners of one workload in one process, interleaved round by round, the ratio taken per
 * round. One JSON line per peer and one for the ratio (median and range).
 *
 *   npx tsx bench/compare/cpu-time.ts W2
 */
import { plan } from './cases.ts';
import type { Peer, PeerFactory, Runner, WorkloadId } from './peer.ts';
import { createTypegradPeer } from './typegrad.ts';

const ROUNDS = 7;
const ITERS = 5;

function cpuMsOf(fn: () => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  return fn().then(() => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(id: WorkloadId): Promise<void> {
  const c = plan('cpu')[id]?.[0];
  if (!c) throw new Error(`cpu-time: no CPU case ${id}`);
  const mod = (await import(new URL('../peers/jax.ts', import.meta.url).href)) as { createPeer: PeerFactory };
  const peers: Peer[] = [await createTypegradPeer('cpu'), await mod.createPeer('cpu')];
  const runners: Runner[] = [];
  for (const p of peers) {
    const r = await p.prepare(c);
    if (typeof r === 'string') throw new Error(`cpu-time: ${p.name}: ${r}`);
    await r.probe();
    await r.run(ITERS); // warm-up
    runners.push(r);
  }
  const ms: number[][] = peers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, r] of runners.entries()) ms[i]!.push((await cpuMsOf(() => r.run(ITERS))) / ITERS);
  }
  peers.forEach((p, i) => {
    console.log(
      JSON.stringify({ peer: p.name, workload: id, time: 'cpu', ms_per_iter: +median(ms[i]!).toFixed(2) }),
    );
  });
  const ratios = ms[0]!.map((t, k) => t / ms[1]![k]!);
  console.log(
    JSON.stringify({
      ratio: 'typegrad/jax-js',
      workload: id,
      time: 'cpu',
      median: +median(ratios).toFixed(3),
      min: +Math.min(...ratios).toFixed(3),
      max: +Math.max(...ratios).toFixed(3),
      rounds: ROUNDS,
    }),
  );
  for (const r of runners) r.dispose();
  for (const p of peers) await p.close();
}

await main((process.argv[2] ?? 'W2') as WorkloadId);
