/**
 * HTTP cache-control from the schema's @cacheControl hints (cache-hints.ts), computed once per parsed
 * query rather than per resolved field. Apollo's cache-control plugin applies the same rules at run
 * time through a hook on every field, which cost 0.13 ms of server CPU per recommendations request
 * (docs/experiments.md); no resolver here sets a dynamic hint, so the query alone decides.
 * The rules are Apollo's: a field takes its return type's hint (when composite), then its own; a root
 * field, or one returning a composite type with no hint that does not inherit, is uncacheable; the
 * response is as cacheable as its least cacheable field, and not at all when it has errors. Fields
 * of every fragment count, whatever type the data turns out to be: never more cacheable than Apollo.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ConstDirectiveNode, DocumentNode, getNamedType, GraphQLSchema, isCompositeType, TypeInfo, visit, visitWithTypeInfo } from 'graphql';

type Scope = 'PUBLIC' | 'PRIVATE';

interface Hint {
  maxAge?: number;
  scope?: Scope;
  inheritMaxAge?: boolean;
}

export interface CachePolicy {
  maxAge: number;
  scope: Scope;
}

function hintOf(directives: readonly ConstDirectiveNode[] | undefined): Hint {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  const arg = (name: string) => directive?.arguments?.find((a) => a.name.value === name)?.value;
  const scopeValue = arg('scope');
  const scope = scopeValue?.kind === 'EnumValue' && (scopeValue.value === 'PUBLIC' || scopeValue.value === 'PRIVATE') ? scopeValue.value : undefined;
  const inherit = arg('inheritMaxAge');
  if (inherit?.kind === 'BooleanValue' && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = arg('maxAge');
  return { maxAge: maxAge?.kind === 'IntValue' ? parseInt(maxAge.value, 10) : undefined, scope };
}

/** The policy of a response to `document` without errors; null: not cacheable (no-store). */
export function cachePolicyOf(schema: GraphQLSchema, document: DocumentNode): CachePolicy | null {
  const roots = new Set<unknown>([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  let maxAge: number | undefined;
  let scope: Scope = 'PUBLIC';
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        // Meta fields (__typename, introspection) are resolved by graphql-js itself, without hints.
        if (!parent || !field || node.name.value.startsWith('__')) return;
        const target = getNamedType(field.type);
        let fieldMaxAge: number | undefined;
        let fieldScope: Scope | undefined;
        let inherits = false;
        if (isCompositeType(target)) {
          const typeHint = hintOf(target.astNode?.directives ?? target.extensionASTNodes.flatMap((n) => n.directives ?? []));
          fieldMaxAge = typeHint.maxAge;
          fieldScope = typeHint.scope;
          inherits = typeHint.inheritMaxAge === true;
        }
        const own = hintOf(field.astNode?.directives);
        if (own.inheritMaxAge && fieldMaxAge === undefined) {
          inherits = true;
          fieldScope = own.scope ?? fieldScope;
        } else {
          fieldMaxAge = own.maxAge ?? fieldMaxAge;
          fieldScope = own.scope ?? fieldScope;
        }
        if (fieldMaxAge === undefined && ((isCompositeType(target) && !inherits) || roots.has(parent))) fieldMaxAge = 0;
        if (fieldMaxAge !== undefined && (maxAge === undefined || fieldMaxAge < maxAge)) maxAge = fieldMaxAge;
        if (fieldScope === 'PRIVATE') scope = 'PRIVATE';
      },
    }),
  );
  return maxAge === undefined || maxAge === 0 ? null : { maxAge, scope };
}

/** Sets cache-control on every response (and turns Apollo's per-field plugin off). */
export function cacheControlPlugins(): ApolloServerPlugin[] {
  const policies = new WeakMap<DocumentNode, CachePolicy | null>();
  const policy = (schema: GraphQLSchema, document: DocumentNode): CachePolicy | null => {
    let known = policies.get(document);
    if (known === undefined) {
      known = cachePolicyOf(schema, document);
      policies.set(document, known);
    }
    return known;
  };
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      async requestDidStart() {
        return {
          async willSendResponse({ schema, document, response }) {
            const cacheable = document && response.body.kind === 'single' && !response.body.singleResult.errors ? policy(schema, document) : null;
            response.http.headers.set('cache-control', cacheable ? `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}` : 'no-store');
          },
        };
      },
    },
  ];
}
