/**
 * Domain errors thrown by services; mapped to GraphQL `extensions.code` in one place
 * (src/graphql/format-error.ts). Codes are part of the API contract: never rename them.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'SERVICE_UNAVAILABLE'
  | 'QUERY_TOO_COMPLEX'
  | 'CONFLICT'
  | 'QUERY_LIMIT_EXCEEDED'
  | 'RATE_LIMITED';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadInputError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('BAD_USER_INPUT', message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(kind: string, id: string) {
    super('NOT_FOUND', `${kind} "${id}" does not exist`, { kind, id });
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'An API key is required: send "Authorization: Bearer <key>" or "x-api-key: <key>".') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(message = 'The graph database is unavailable; retry shortly.') {
    super('SERVICE_UNAVAILABLE', message);
  }
}

/** An analyst query hit its server-side time or size limit; narrowing the request helps. */
export class QueryLimitError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('QUERY_LIMIT_EXCEEDED', message, details);
  }
}

/** The API key spent its request budget (src/auth/rate-limit.ts); retrying after the given time works. */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests for this API key; retry after ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
