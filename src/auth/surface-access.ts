/**
 * Which callers may introspect the schema and load the analyst page (/explore): configured per role
 * (INTROSPECTION_ROLES, EXPLORE_ROLES), with `anonymous` for requests without a key. The defaults
 * let everyone, as before this was configurable; a partner key introspects its own schema only
 * (src/graphql/schema.ts) whatever this says.
 */
import { Kind, visit, type DocumentNode } from 'graphql';
import { ROLES, type Principal } from './roles';

export const CALLERS = ['anonymous', ...ROLES] as const;
export type Caller = (typeof CALLERS)[number];

export function isCaller(value: string): value is Caller {
  return (CALLERS as readonly string[]).includes(value);
}

export function callerOf(principal: Principal | null): Caller {
  return principal?.role ?? 'anonymous';
}

/** Whether the operation reads the schema (`__schema` or `__type`; `__typename` is ordinary data). */
export function asksIntrospection(document: DocumentNode): boolean {
  let asks = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        asks = true;
        return false;
      }
      return undefined;
    },
  });
  return asks;
}

/** The key of a browser's Basic login (any user name, the key as password): how a page navigation can carry one. */
export function keyFromBasicAuth(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return password === '' ? undefined : password;
}
