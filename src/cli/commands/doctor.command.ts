import type { Command } from 'commander';
import { createServices } from '../../app';
import { ConfigError, loadConfig } from '../../config';
import { formatDoctor, runDoctor } from '../doctor';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check Node, Java, Neo4j, migrations, models, index dimensions, the serving cache and disk; each line OK or what to do')
    .action(async () => {
      let config;
      try {
        config = loadConfig();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.log(`FIX  configuration  ${error.message}`);
        process.exitCode = 1;
        return;
      }
      const services = config.neo4j.password === '' ? undefined : createServices(config);
      try {
        const lines = await runDoctor(config, services);
        console.log(formatDoctor(lines));
        if (lines.some((l) => !l.ok)) process.exitCode = 1;
      } finally {
        await services?.close();
      }
    });
}
