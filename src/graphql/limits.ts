/**
 * Protects the server and Neo4j from expensive queries: a depth limit at validation time and a
 * complexity limit before execution (list fields cost their `first` times their children).
 */
import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLSchema, Kind, ValidationContext, ASTNode, ASTVisitor, DocumentNode, FragmentDefinitionNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

export function depthLimit(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const depthOf = (node: ASTNode, depth: number, seen: Set<string>): number => {
      if (node.kind === Kind.FIELD) {
        if (!node.selectionSet) return depth;
        return Math.max(depth, ...node.selectionSet.selections.map((s) => depthOf(s, depth + 1, seen)));
      }
      if (node.kind === Kind.INLINE_FRAGMENT) {
        return Math.max(depth, ...node.selectionSet.selections.map((s) => depthOf(s, depth, seen)));
      }
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(node.name.value);
        if (!fragment || seen.has(fragment.name.value)) return depth;
        const next = new Set(seen).add(fragment.name.value);
        return Math.max(depth, ...fragment.selectionSet.selections.map((s) => depthOf(s, depth, next)));
      }
      return depth;
    };
    return {
      OperationDefinition(operation) {
        const depth = Math.max(0, ...operation.selectionSet.selections.map((s) => depthOf(s, 1, new Set())));
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`The query is ${depth} levels deep; the limit is ${maxDepth}.`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_COMPLEX' },
            }),
          );
        }
      },
    };
  };
}

/** Lists cost `first` (or 20) times their selection; everything else costs 1. */
function pagedEstimator({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }): number | void {
  const first = typeof args.first === 'number' ? args.first : typeof args.events === 'object' && Array.isArray(args.events) ? args.events.length / 10 : undefined;
  if (first !== undefined) return 1 + Math.ceil(first) * Math.max(1, childComplexity);
  return undefined;
}

/**
 * What of the variables the estimators read (pagedEstimator: numbers, and lists by their length):
 * requests that differ only in ids or other strings have the same complexity.
 */
export function complexitySignature(variables: Record<string, unknown> | undefined): string {
  return JSON.stringify(variables ?? {}, (_key, value: unknown) => (typeof value === 'string' ? '' : Array.isArray(value) ? value.length : value));
}

/** Complexities kept per parsed document (Apollo reuses one object per query text). */
const KEPT_PER_DOCUMENT = 64;

export function complexityLimit(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  // Walking the document cost about 9% of a served recommendation's CPU; a shop sends the same few queries.
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  const complexityOf = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number => {
    const key = `${operationName ?? ''}:${complexitySignature(variables)}`;
    let kept = known.get(document);
    const seen = kept?.get(key);
    if (seen !== undefined) return seen;
    const complexity = getComplexity({
      schema,
      operationName,
      query: document,
      variables,
      estimators: [fieldExtensionsEstimator(), pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
    if (!kept) known.set(document, (kept = new Map()));
    if (kept.size < KEPT_PER_DOCUMENT) kept.set(key, complexity);
    return complexity;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = complexityOf(document, request.operationName, request.variables);
          } catch (error) {
            // Variables that do not fit their types: execution refuses them next, as BAD_USER_INPUT
            // with HTTP 400; thrown from this hook the same error would be answered with a 500.
            if (error instanceof GraphQLError) return;
            throw error;
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(
              `The query's complexity is ${complexity}; the limit is ${maxComplexity}. Ask for smaller pages or fewer nested fields.`,
              // A refused query is the client's error: 400, not the 500 Apollo gives errors thrown here.
              { extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maxComplexity, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
