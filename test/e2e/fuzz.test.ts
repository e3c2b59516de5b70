/**
 * The schema-aware fuzzer against every root operation and every role (and no key) over HTTP: no
 * 5xx, the server stays up, every error carries a known `extensions.code`, and a role the role table
 * refuses never gets data. FUZZ_CASES (per operation and role; 2 here, `npm run test:fuzz` for a long
 * run) and FUZZ_SEED choose the run; the cases tried per operation are printed.
 */
import type { Services } from '../../src/app';
import { allows, operationRoles } from '../../src/auth/role-table';
import { ROLES } from '../../src/auth/roles';
import type { RunningServer } from '../../src/server';
import { keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';
import { loadSchema, SchemaFuzzer } from '../support/schema-fuzzer';

const CASES = Number(process.env.FUZZ_CASES ?? 2);
const SEED = Number(process.env.FUZZ_SEED ?? 20);

/** Every code the API documents (README "API"), plus Apollo's own for unparseable or invalid documents. */
const KNOWN_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'SERVICE_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'QUERY_LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
]);

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describe('schema fuzzer over HTTP', () => {
  let services: Services;
  let server: RunningServer;
  const keys = new Map<string, string | undefined>();

  beforeAll(async () => {
    // Rate limits off: the fuzzer should reach the resolvers, not the limiter.
    services = testServices({ RATE_LIMIT_POINTS: '0', RATE_LIMIT_PARTNER_POINTS: '0' });
    server = await startTestServer(services);
    keys.set('none', undefined);
    for (const role of ROLES) keys.set(role, await keyFor(services, role, role === 'partner' ? ns('fuzz-partner') : undefined));
  });
  afterAll(async () => {
    await server.close();
    await services.close();
  });

  it(`answers ${CASES} generated cases per operation and role without a 5xx or an unknown error code`, async () => {
    const schema = loadSchema(services.config.projectRoot);
    const fuzzer = new SchemaFuzzer(schema, SEED, ns('fuzz'));
    const table = new Map((await operationRoles()).map((r) => [r.operation, r.roles]));
    const failures: string[] = [];
    const tried: Record<string, { cases: number; codes: Record<string, number> }> = {};
    for (const [rootName, field] of fuzzer.operations()) {
      const operation = `${rootName}.${field}`;
      const summary: { cases: number; codes: Record<string, number> } = { cases: 0, codes: {} };
      tried[operation] = summary;
      for (const [role, key] of keys) {
        for (let i = 0; i < CASES; i++) {
          const fuzzCase = fuzzer.next(rootName, field);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (key) headers.authorization = `Bearer ${key}`;
          const body = JSON.stringify(fuzzCase.body);
          summary.cases += 1;
          let res: Response;
          try {
            res = await fetch(server.url, { method: 'POST', headers, body });
          } catch (error) {
            // Over MAX_BODY_BYTES the server answers 413 and closes while the client may still be writing.
            if (Buffer.byteLength(body) > services.config.http.maxBodyBytes) {
              summary.codes['(413, closed)'] = (summary.codes['(413, closed)'] ?? 0) + 1;
            } else {
              failures.push(`no answer (${String(error)}) for ${operation} as ${role} (${fuzzCase.kind}): ${body.slice(0, 300)}`);
            }
            continue;
          }
          const text = await res.text();
          const where = `${operation} as ${role} (${fuzzCase.kind}): ${body.slice(0, 300)}`;
          if (res.status >= 500) failures.push(`HTTP ${res.status} for ${where}: ${text.slice(0, 300)}`);
          let answers: Answer[];
          try {
            const parsed = JSON.parse(text) as Answer | Answer[];
            answers = Array.isArray(parsed) ? parsed : [parsed];
          } catch {
            failures.push(`not JSON for ${where}: ${text.slice(0, 200)}`);
            continue;
          }
          for (const answer of answers) {
            for (const error of answer.errors ?? []) {
              const code = error.extensions?.code ?? '(none)';
              summary.codes[code] = (summary.codes[code] ?? 0) + 1;
              if (KNOWN_CODES.has(code)) continue;
              failures.push(`code ${code} (${error.message.slice(0, 200)}) for ${where}`);
            }
            const roles = table.get(operation);
            const refused = role === 'none' ? roles !== null : !allows(roles ?? null, role);
            const got = answer.data ? Object.values(answer.data).some((v) => v !== null && v !== undefined) : false;
            if (refused && got) failures.push(`data for a refused role: ${where}`);
          }
        }
      }
    }
    const health = await fetch(server.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    process.stdout.write(
      `fuzzer (seed ${SEED}, ${CASES} per operation and role):\n` +
        Object.entries(tried)
          .map(([op, s]) => `  ${op.padEnd(30)} ${String(s.cases).padStart(5)} cases  ${Object.entries(s.codes).map(([c, n]) => `${c} ${n}`).join(', ')}`)
          .join('\n') +
        `\n  total ${Object.values(tried).reduce((n, s) => n + s.cases, 0)} cases\n`,
    );
    expect(failures).toEqual([]);
  });
});
