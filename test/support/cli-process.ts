/**
 * The CLI as operators run it, for suites that kill real processes: the compiled dist/ (never a
 * stale one), free ports, `affinity serve` and other commands as children,
 * plain HTTP GETs over fresh connections and waits with a bound.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '../..');

/**
 * The CLI's compiled entry point. scripts/test.sh compiles dist/ just before jest and says so
 * (AFFINITY_DIST_FRESH); jest started by hand compiles it here first (incremental).
 */
export function buildCli(): string {
  if (process.env.AFFINITY_DIST_FRESH !== '1') {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', path.join(root, '.cache', 'dist.tsbuildinfo')],
      { cwd: root, stdio: 'inherit' },
    );
  }
  return path.join(root, 'dist/src/cli/index.js');
}

export async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

export interface CliChild {
  child: ChildProcess;
  /** stdout and stderr so far, for assertions and for failure messages. */
  output(): string;
}

/** Runs `affinity <args>` from the build with the test environment plus `env`. */
export function runCli(entry: string, args: string[], env: Record<string, string> = {}): CliChild {
  let output = '';
  const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, output: () => output };
}

/** The exit code, or a rejection naming the bound when the process is still running after it. */
export function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** GET over a new connection each time, so a cluster hands it to the next worker. */
export function get(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`));
      })
      .on('error', reject);
  });
}

/** Polls until `check` is true; throws with `describe()` after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pids of a process's direct children (a cluster primary's workers). */
export const childPids = (pid: number): number[] =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
