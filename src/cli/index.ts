#!/usr/bin/env node
/** `affinity <command>`: one entry point for operators (design §2, src/cli). */
import './production-mode';
import 'reflect-metadata';
import { Command } from 'commander';
import { registerDoctor } from './commands/doctor.command';
import { registerEmbedText } from './commands/embed-text.command';
import { registerKeys } from './commands/keys.command';
import { registerMigrate } from './commands/migrate.command';
import { registerPublish } from './commands/publish.command';
import { registerSchema } from './commands/schema.command';
import { registerRoles } from './commands/roles.command';
import { registerSeed } from './commands/seed.command';
import { registerSegment } from './commands/segment.command';
import { registerServe } from './commands/serve.command';
import { registerTrain } from './commands/train.command';
import { registerCopy } from './commands/copy.command';
import { registerPartners } from './commands/partners.command';
import { registerTrainer } from './commands/trainer.command';
import { registerTopics } from './commands/topics.command';
import { registerExperiment } from './commands/experiment.command';

const program = new Command('affinity').description('GraphQL API for e-commerce marketing and affiliate programs');
registerMigrate(program);
registerSeed(program);
registerKeys(program);
registerServe(program);
registerSchema(program);
registerRoles(program);
registerEmbedText(program);
registerTrain(program);
registerTrainer(program);
registerTopics(program);
registerPublish(program);
registerSegment(program);
registerCopy(program);
registerPartners(program);
registerDoctor(program);
registerExperiment(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
