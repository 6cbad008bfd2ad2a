/**
 * `node dist/replicas.js`: MATCHING_REPLICAS copies of the service (default: one per core) sharing one port
 * through node:cluster, for a machine without an orchestrator. Each copy is a full replica (its own index
 * following the streams, its share of the durable consumer and of the job workers), exactly as behind a load
 * balancer; ranking is CPU-bound and a Node process uses one core, so this is how one machine ranks on all of
 * its cores. A replica that dies is replaced (at most once per second); SIGTERM/SIGINT are passed on and the
 * primary exits when every replica has.
 */
import cluster from 'node:cluster';
import os from 'node:os';

const RESTART_DELAY_MS = 1_000;

function replicaCount(raw: string | undefined): number {
  if (raw === undefined || raw === '') return os.availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    process.stderr.write(`MATCHING_REPLICAS must be an integer from 1 to 64, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}

if (cluster.isPrimary) {
  const count = replicaCount(process.env.MATCHING_REPLICAS);
  let stopping = false;
  const fork = (): void => {
    cluster.fork();
  };
  for (let i = 0; i < count; i++) fork();
  const listening = new Set<number>();
  cluster.on('listening', (worker) => {
    listening.add(worker.id);
    process.stdout.write(
      `matching: replica ${worker.process.pid} listening (${listening.size} of ${count})\n`,
    );
    // Read by the benchmark, which waits for every replica before it measures.
    if (listening.size === count) process.stdout.write(`matching: all ${count} replicas listening\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(
      `matching replica ${worker.process.pid} exited (${signal ?? code}); starting another in ${RESTART_DELAY_MS} ms\n`,
    );
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });
  for (const sig of ['SIGTERM', 'SIGINT'] as const)
    process.on(sig, () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) process.exit(0);
      for (const w of workers) w?.process.kill(sig);
    });
} else {
  await import('./main.js');
}
