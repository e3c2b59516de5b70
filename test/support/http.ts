/** End-to-end helpers: a real server on a free port, API keys per role, GraphQL over HTTP. */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { Services } from '../../src/app';
import type { Role } from '../../src/auth/roles';
import { createLogger } from '../../src/observability/logger';
import { RunningServer, startServer } from '../../src/server';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: (string | number)[] }[];
  extensions?: Record<string, unknown>;
}

export async function startTestServer(services: Services): Promise<RunningServer> {
  return startServer(services, createLogger('silent'), { port: 0, host: '127.0.0.1', adminPort: 0 });
}

export async function keyFor(services: Services, role: Role, partnerId?: string): Promise<string> {
  return (await services.apiKeys.create({ role, partnerId, label: 'test' })).key;
}

/** Runs a codegen'd typed operation (schema/operations/*.graphql): result and variables are typed. */
export async function gqlOp<TResult, TVariables extends Record<string, unknown>>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  key?: string,
): Promise<GraphQLResponse<TResult>> {
  return gql<TResult>(url, print(document), variables, key);
}

export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
  headerName: 'authorization' | 'x-api-key' = 'authorization',
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers[headerName] = headerName === 'authorization' ? `Bearer ${key}` : key;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}
