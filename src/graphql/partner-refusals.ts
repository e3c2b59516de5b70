/**
 * Partner keys are served the partner schema, where other operations do not exist. An operation
 * that asks for one fails validation there; it is answered as a refusal (FORBIDDEN naming the field)
 * as role checks answer elsewhere, the same for a field that exists nowhere: the answer tells
 * nothing about the internal schema.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLSchema, Kind, OperationDefinitionNode } from 'graphql';
import type { Context } from '../context';

/** The first root field of the operation that the schema's root type lacks (a whole root type may be missing). */
export function missingRootField(schema: GraphQLSchema, document: DocumentNode, operationName?: string): string | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((o) => o.name?.value === operationName) ?? operations[0];
  if (!operation) return undefined;
  const fields = schema.getRootType(operation.operation)?.getFields() ?? {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value.startsWith('__')) continue;
    if (!fields[selection.name.value]) return selection.name.value;
  }
  return undefined;
}

export function partnerRefusals(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, schema, operationName }) {
          if (response.body.kind !== 'single' || !document) return;
          if (!response.body.singleResult.errors?.some((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')) return;
          const field = missingRootField(schema, document, operationName ?? undefined);
          if (field === undefined) return;
          response.body.singleResult = {
            data: null,
            errors: [{ message: `The partner role may not use "${field}"; partner keys see the partner operations only.`, extensions: { code: 'FORBIDDEN' } }],
          };
          response.http.status = 403;
        },
      };
    },
  };
}
