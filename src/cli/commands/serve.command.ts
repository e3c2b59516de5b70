import cluster from 'node:cluster';
import type { Command } from 'commander';
import { createServices } from '../../app';
import { DEMO_PARTNERS } from '../../pipeline/demo-partners';
import { loadConfig, requirePassword } from '../../config';
import { createLogger } from '../../observability/logger';
import { startServer } from '../../server';
import { superviseWorkers, WORKER_STARTED } from '../server-workers';
import { createTrainer } from './trainer.command';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve GraphQL on :4000 (/graphql, /healthz, /readyz; /metrics and readiness details on the admin listener, 127.0.0.1:9464)')
    .option('--port <port>', 'port to listen on', (v) => Number(v))
    .option('--demo-key', 'create and print an admin key for trying the API')
    .option('--workers <n>', 'server processes sharing the port, each with its own serving cache (SERVER_WORKERS, 1)', (v) => Number(v))
    .option('--trainer', 'also run the continuous trainer in this process (SERVE_TRAINER, off; the first worker only)')
    .action(async (options: { port?: number; demoKey?: boolean; workers?: number; trainer?: boolean }) => {
      const config = loadConfig();
      requirePassword(config);
      const logger = createLogger(config.logLevel);
      const workers = options.workers ?? config.http.workers;
      if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers must be an integer ≥ 1, got ${String(options.workers)}`);
      if (workers > 1 && cluster.isPrimary) {
        superviseWorkers(workers, logger);
        return;
      }
      const services = createServices(config);
      const server = await startServer(services, logger, { port: options.port });
      logger.info({ url: server.url, admin: server.adminUrl }, 'affinity is serving GraphQL');
      if (cluster.isWorker) process.send?.(WORKER_STARTED);
      // One trainer per server (the lease in Neo4j also keeps it to one per database).
      const trainer = (options.trainer ?? config.trainer.serve) && (cluster.isPrimary || cluster.worker?.id === 1) ? createTrainer({ config, services, logger }) : undefined;
      trainer?.start();
      // One key for the whole server, not one per worker.
      if (options.demoKey && (cluster.isPrimary || cluster.worker?.id === 1)) {
        const { key } = await services.apiKeys.create({ role: 'admin', label: 'demo key printed by serve' });
        process.stderr.write(
          `\nGraphQL: ${server.url}\nDemo admin key: ${key}\n` +
            `Try: curl -s ${server.url} -H 'content-type: application/json' -H 'authorization: Bearer ${key}' ` +
            `-d '{"query":"{ products(first: 3) { totalCount edges { node { id title } } } }"}'\n\n`,
        );
        const demo = DEMO_PARTNERS[0];
        if (await services.partners.exists(demo.partnerId)) {
          const partner = await services.apiKeys.create({ role: 'partner', partnerId: demo.partnerId, label: 'demo partner key printed by serve' });
          const refs = [1, 2, 3].map((n) => `\\"${demo.refPrefix}${demo.users[0] + n - 1}\\"`).join(', ');
          process.stderr.write(
            `Demo partner key (${demo.partnerId}): ${partner.key}\n` +
              `Try: curl -s ${server.url} -H 'content-type: application/json' -H 'authorization: Bearer ${partner.key}' ` +
              `-d '{"query":"{ partnerRecommendations(memberRefs: [${refs}], first: 5) { memberRef error { code } items { product { title } trackingUrl } } }"}'\n\n`,
          );
        }
      }
      const shutdown = (signal: string): void => {
        logger.info({ signal }, 'shutdown requested');
        Promise.resolve(trainer?.stop())
          .then(() => server.close())
          .then(() => services.db.close())
          .then(() => process.exit(0))
          .catch((error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          });
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
}
