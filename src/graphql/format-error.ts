/** The one place where thrown errors become GraphQL errors with a stable `extensions.code`. */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isUnavailable } from '../db/database';
import { DomainError } from '../errors';
import type { Logger } from '../observability/logger';

export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        ...formatted,
        message: original.message,
        extensions: { ...(original.details ?? {}), code: original.code },
      };
    }
    if (isUnavailable(original)) {
      return { ...formatted, message: 'The graph database is unavailable; retry shortly.', extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    const code = formatted.extensions?.code;
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return { message: 'Internal error; it was logged.', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
