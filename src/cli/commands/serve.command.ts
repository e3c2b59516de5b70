import type { Command } from 'commander';
import { createServices } from '../../app';
import { loadConfig, requirePassword } from '../../config';
import { createLogger } from '../../observability/logger';
import { startServer } from '../../server';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve GraphQL on :4000 (/graphql, /healthz, /readyz, /metrics)')
    .option('--port <port>', 'port to listen on', (v) => Number(v))
    .option('--demo-key', 'create and print an admin key for trying the API')
    .action(async (options: { port?: number; demoKey?: boolean }) => {
      const config = loadConfig();
      requirePassword(config);
      const logger = createLogger(config.logLevel);
      const services = createServices(config);
      const server = await startServer(services, logger, { port: options.port });
      logger.info({ url: server.url }, 'affinity is serving GraphQL');
      if (options.demoKey) {
        const { key } = await services.apiKeys.create({ role: 'admin', label: 'demo key printed by serve' });
        process.stderr.write(
          `\nGraphQL: ${server.url}\nDemo admin key: ${key}\n` +
            `Try: curl -s ${server.url} -H 'content-type: application/json' -H 'authorization: Bearer ${key}' ` +
            `-d '{"query":"{ products(first: 3) { totalCount edges { node { id title } } } }"}'\n\n`,
        );
      }
      const shutdown = (signal: string): void => {
        logger.info({ signal }, 'shutdown requested');
        server
          .close()
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
