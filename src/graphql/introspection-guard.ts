/**
 * Refuses schema introspection (`__schema`, `__type`) to callers INTROSPECTION_ROLES leaves out,
 * with FORBIDDEN (HTTP 403) as role checks answer elsewhere; other operations are untouched.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../context';
import { asksIntrospection, callerOf, type Caller } from '../auth/surface-access';

export function introspectionGuard(allowed: readonly Caller[]): ApolloServerPlugin<Context> {
  const callers = new Set(allowed);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          const caller = callerOf(contextValue.principal);
          if (callers.has(caller) || !asksIntrospection(document)) return;
          throw new GraphQLError(`Schema introspection is not allowed for ${caller === 'anonymous' ? 'requests without an API key' : `the ${caller} role`}.`, {
            extensions: { code: 'FORBIDDEN', http: { status: 403 } },
          });
        },
      };
    },
  };
}
