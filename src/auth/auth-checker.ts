/** type-graphql's @Authorized: no key, no data; a role outside the list is FORBIDDEN. */
import type { AuthCheckerInterface, ResolverData } from 'type-graphql';
import type { Context } from '../context';
import { ForbiddenError, UnauthenticatedError } from '../errors';

export class RoleAuthChecker implements AuthCheckerInterface<Context> {
  check({ context, info }: ResolverData<Context>, roles: string[]): boolean {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    if (roles.length === 0 || principal.role === 'admin' || roles.includes(principal.role)) return true;
    throw new ForbiddenError(`The ${principal.role} role may not use "${info.fieldName}"; it needs one of: ${['admin', ...roles].join(', ')}.`);
  }
}

/** The partner schema's check: partner keys only (other roles are never routed there; this holds if they were). */
export class PartnerAuthChecker implements AuthCheckerInterface<Context> {
  check({ context, info }: ResolverData<Context>): boolean {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    if (principal.role === 'partner' && principal.partnerId) return true;
    throw new ForbiddenError(`Only partner keys may use "${info.fieldName}".`);
  }
}
