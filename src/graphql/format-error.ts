/** The one place where thrown errors become GraphQL errors with a stable `extensions.code`. */
import type { ValidationError } from 'class-validator';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { isUnavailable } from '../db/database';
import { DomainError } from '../errors';
import type { Logger } from '../observability/logger';

/** Apollo and graphql-js wrap errors in GraphQLErrors; the chain ends at what was really thrown. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 10; ) {
    chain.push(e);
    e = e instanceof GraphQLError ? e.originalError : undefined;
  }
  return chain;
}

/**
 * Every failed class-validator rule as `path message`, e.g. "filter.priceRange.max must not be less
 * than min": the messages name their property, and nested inputs get their parents' path in front.
 */
export function validationProblems(errors: readonly ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: parent ? `${parent}.${message}` : message }));
    return [...own, ...validationProblems(error.children ?? [], field)];
  });
}

export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const chain = causes(error);
    const root = chain[chain.length - 1];
    if (root instanceof DomainError) {
      return { ...formatted, message: root.message, extensions: { ...(root.details ?? {}), code: root.code } };
    }
    if (isUnavailable(root)) {
      return { ...formatted, message: 'The graph database is unavailable; retry shortly.', extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    // type-graphql's input validation: one message that names every bad field, not "Argument Validation Error".
    const invalid = chain.find((e): e is ArgumentValidationError => e instanceof ArgumentValidationError);
    if (invalid) {
      const problems = validationProblems(invalid.extensions.validationErrors as ValidationError[]);
      return {
        ...formatted,
        message: problems.map((p) => p.message).join('; '),
        extensions: { code: 'BAD_USER_INPUT', fields: [...new Set(problems.map((p) => p.field))] },
      };
    }
    // Our limits raise GraphQLErrors with their own code; Apollo relabels validation errors.
    const limit = chain.find((e) => e instanceof GraphQLError && e.extensions?.code === 'QUERY_TOO_COMPLEX');
    if (limit) return { ...formatted, extensions: { ...formatted.extensions, code: 'QUERY_TOO_COMPLEX' } };
    const code = formatted.extensions?.code;
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    // Nothing but GraphQLErrors in the chain: graphql-js refused the request itself (e.g. bad variables).
    if (root instanceof GraphQLError) return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    logger.error({ err: root, path: formatted.path }, 'unexpected error');
    return { message: 'Internal error; it was logged.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
