/** The one place where thrown errors become GraphQL errors with a stable `extensions.code`. */
import { GraphQLError, GraphQLFormattedError } from 'graphql';
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
