/**
 * `affinity serve --workers N`: N server processes sharing one port (node:cluster hands each new
 * connection to the next worker). Each is a replica as design §8 has them behind a load balancer,
 * with its own Neo4j driver and serving cache, so a 2-core box can use both cores for requests.
 * The primary only supervises: it replaces a worker that dies, gives up when a worker dies before
 * it listened (a port in use or a wrong password would otherwise be retried for ever), and passes
 * SIGTERM and SIGINT on, exiting once every worker has shut down.
 */
import cluster, { Worker } from 'node:cluster';
import type { Logger } from '../observability/logger';
import { withServerHeapFlags } from './server-heap-flags';

const RESTART_DELAY_MS = 1000;

/**
 * What a worker sends once its server listens on every port (public and admin); cluster's own
 * 'listening' event fires per port, so the first would count a worker whose second listen fails.
 */
export const WORKER_STARTED = 'affinity:worker-started';

export function superviseWorkers(count: number, logger: Logger): void {
  let stopping = false;
  /** Workers that have listened on their ports: the others are still starting. */
  const listening = new Set<number>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (message === WORKER_STARTED) listening.add(worker.id);
    });
    return worker;
  };
  const live = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: live().length }, 'shutdown requested; stopping the server workers');
    for (const worker of live()) worker.process.kill(signal);
    if (live().length === 0) process.exit(process.exitCode ?? 0);
  };

  cluster.on('exit', (worker, code, signal) => {
    const started = listening.delete(worker.id);
    if (stopping) {
      if (live().length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!started) {
      logger.error({ worker: worker.id, code, signal }, 'a server worker exited while starting; stopping the others');
      process.exitCode = 1;
      stop('SIGTERM');
      return;
    }
    logger.error({ worker: worker.id, code, signal }, 'a server worker exited; starting another');
    setTimeout(() => stopping || fork(), RESTART_DELAY_MS);
  });
  cluster.setupPrimary({ execArgv: withServerHeapFlags(process.execArgv) });
  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, 'started the server workers');
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
