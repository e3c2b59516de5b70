import 'reflect-metadata';
import * as path from 'node:path';
import { GraphQLSchema, specifiedDirectives } from 'graphql';
import { buildSchema } from 'type-graphql';
import { PartnerAuthChecker, RoleAuthChecker } from '../auth/auth-checker';
import { partnerResolvers, resolvers } from '../resolvers';
import { validateArgs } from './validate-args';
import { cacheControlDirective } from './cache-hints';

/** Builds the executable schema; with `emitTo` also writes the SDL that is checked in as the contract. */
export async function createSchema(options: { emitTo?: string } = {}): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker: RoleAuthChecker,
    // class-validator rules on input types and args classes (src/resolvers/*/*.input.ts), checked before resolvers run.
    validateFn: validateArgs,
    directives: [...specifiedDirectives, cacheControlDirective],
    emitSchemaFile: options.emitTo ? { path: path.resolve(options.emitTo), sortedSchema: true } : false,
  });
}

/**
 * The schema partner keys are served (src/server.ts routes them here): partner operations and
 * their types only, so neither operations nor introspection show them anything internal.
 */
export async function createPartnerSchema(options: { emitTo?: string } = {}): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: partnerResolvers,
    authChecker: PartnerAuthChecker,
    validateFn: validateArgs,
    directives: [...specifiedDirectives, cacheControlDirective],
    emitSchemaFile: options.emitTo ? { path: path.resolve(options.emitTo), sortedSchema: true } : false,
  });
}
