import 'reflect-metadata';
import * as path from 'node:path';
import { GraphQLSchema, specifiedDirectives } from 'graphql';
import { buildSchema } from 'type-graphql';
import { RoleAuthChecker } from '../auth/auth-checker';
import { resolvers } from '../resolvers';
import { cacheControlDirective } from './cache-hints';

/** Builds the executable schema; with `emitTo` also writes the SDL that is checked in as the contract. */
export async function createSchema(options: { emitTo?: string } = {}): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker: RoleAuthChecker,
    // class-validator rules on input types and args classes (src/resolvers/*/*.input.ts), checked before resolvers run.
    validate: true,
    directives: [...specifiedDirectives, cacheControlDirective],
    emitSchemaFile: options.emitTo ? { path: path.resolve(options.emitTo), sortedSchema: true } : false,
  });
}
