/** Bench plumbing: the server as a child process, peak RSS from /proc, percentiles and tables. */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

export const projectRoot = path.resolve(__dirname, '../../..');

export interface ServerProcess {
  url: string;
  /** The admin listener (readiness details, /metrics); a server from before it had them on `url`'s port. */
  adminUrl?: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The server's entry point in a checkout with its dist built. */
export function serverEntry(root: string): string {
  return path.join(root, 'dist/src/cli/index.js');
}

/**
 * `serve` of the checkout at `root` (default: this project) as a child process, once /readyz
 * answers. Whatever `root`, it uses the Neo4j this process uses: NEO4J_HOME_DIR is passed on
 * resolved against this project, not left to the other checkout's default.
 */
export async function startServerProcess(port: number, env: Record<string, string> = {}, workers = 1, root = projectRoot): Promise<ServerProcess> {
  // Each server its own admin listener, so two benched servers side by side do not share one.
  const adminPort = port + 1000;
  const child = spawn(process.execPath, [serverEntry(root), 'serve', '--port', String(port), '--workers', String(workers)], {
    env: { ...process.env, NEO4J_HOME_DIR: process.env.NEO4J_HOME_DIR || path.join(projectRoot, '.neo4j'), LOG_LEVEL: 'warn', ADMIN_PORT: String(adminPort), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  stopOnExit(child);
  const url = `http://127.0.0.1:${port}`;
  await untilAnswered(async () => (await fetch(`${url}/readyz`)).status === 200, 200, 250);
  return { ...asServerProcess(child, `${url}/graphql`), adminUrl: `http://127.0.0.1:${adminPort}` };
}

/** Servers still running when the bench exits (also when it failed) are killed, so none keeps its port. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));
function stopOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/**
 * Tries `answered` up to `tries` times, `intervalMs` apart, until it returns true; an error counts
 * as not yet (not listening). Returns whether it did, and the last error.
 */
async function untilAnswered(answered: () => Promise<boolean>, tries: number, intervalMs: number): Promise<{ ok: boolean; lastError?: unknown }> {
  let lastError: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      if (await answered()) return { ok: true };
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return { ok: false, lastError };
}

/** A started child as a ServerProcess: `stop` sends SIGTERM and resolves when it has exited. */
function asServerProcess(child: ChildProcess, url: string): ServerProcess {
  return {
    url,
    pid: child.pid as number,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The control server (control-server.ts) as a child process, once it answers: the machine's floor
 * for `workers` processes that spend `cpuMs` of CPU per request.
 */
export async function startControlServer(port: number, workers: number, cpuMs: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/bench/support/control-server.js'), '--port', String(port), '--workers', String(workers), '--cpu-ms', String(cpuMs)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  stopOnExit(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  const { ok, lastError } = await untilAnswered(async () => (await fetch(url, { method: 'POST', body: '{}' })).status === 200, 200, 100);
  if (!ok) throw new Error(`the control server did not answer on :${port}`, { cause: lastError });
  return asServerProcess(child, url);
}

interface CacheStatus {
  state: string;
  users: number;
  products: number;
  /** Fresh users whose fold-in list is still being searched (absent from older servers). */
  awaitingLists?: number;
  /** The memory budget's figures (absent from older servers): estimated bytes held, requests whose user was held or not, users dropped. */
  bytes?: number;
  hits?: number;
  misses?: number;
  evictions?: number;
}

/** /readyz over a new connection each time, so `serve --workers` hands each to the next worker. */
function readyzAt(url: string): Promise<{ servingCache?: CacheStatus; worker?: number | null }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { servingCache?: CacheStatus; worker?: number | null });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      })
      .on('error', reject);
  });
}

/**
 * Waits until every one of `workers` server processes reports its serving cache ready (or off),
 * with the fold-in lists of the users it loaded as fresh searched, as a deployment's warm-up would
 * before taking traffic; returns what /readyz reported.
 */
export async function awaitServingCache(server: ServerProcess, log: (line: string) => void, workers = 1, timeoutMs = 600000): Promise<CacheStatus> {
  const publicUrl = server.url.replace(/\/graphql$/, '/readyz');
  // The details are on the admin listener; an older checkout (--server-root) gave them on the public port.
  let url = server.adminUrl ? `${server.adminUrl}/readyz` : publicUrl;
  const readyz = async (): Promise<{ servingCache?: CacheStatus; worker?: number | null }> => {
    try {
      return await readyzAt(url);
    } catch (error) {
      if (url === publicUrl) throw error;
      url = publicUrl;
      return readyzAt(url);
    }
  };
  const started = Date.now();
  const ready = new Set<number | null>();
  let lastLog = 0;
  for (;;) {
    const body = await readyz();
    const cache = body.servingCache ?? { state: 'off', users: 0, products: 0 };
    if ((cache.state === 'ready' && !cache.awaitingLists) || cache.state === 'off') ready.add(body.worker ?? null);
    if (ready.size >= workers) return cache;
    if (Date.now() - started > timeoutMs) throw new Error(`serving cache still ${cache.state} after ${timeoutMs} ms`);
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      log(`serving cache ${cache.state}: ${cache.users} users, ${cache.products} products, ${cache.awaitingLists ?? 0} fold-in lists to search`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Each worker's serving-cache status, by worker id (/readyz over new connections until every one answered). */
export async function servingCacheOfEachWorker(server: ServerProcess, workers = 1): Promise<Map<number | null, CacheStatus>> {
  const url = `${server.adminUrl ?? server.url.replace(/\/graphql$/, '')}/readyz`;
  const seen = new Map<number | null, CacheStatus>();
  for (let tries = 0; seen.size < workers && tries < 50 * workers; tries++) {
    const body = await readyzAt(url);
    if (body.servingCache) seen.set(body.worker ?? null, body.servingCache);
  }
  return seen;
}

/** The process and its live descendants (the workers of `serve --workers`). */
export function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(processTree)];
}

/** VmHWM: the peak resident set of a live process, in MiB, summed over its tree (each process's own peak). */
export function peakRssMiB(pid: number): number {
  return statusMiB(pid, 'VmHWM');
}

/** VmRSS: the resident set of a live process now, in MiB, summed over its tree. */
export function rssMiB(pid: number): number {
  return statusMiB(pid, 'VmRSS');
}

function statusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  let total = 0;
  for (const p of processTree(pid)) {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
    total += match ? Number(match[1]) / 1024 : NaN;
  }
  return total;
}

/** CPU seconds (user + system) a live process and its live descendants have used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    } catch {
      // Gone since it was listed: a killed server has no CPU figure; a child that exited adds nothing.
      if (p === pid) return NaN;
      continue;
    }
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return total;
}

/** The machine's CPU ticks so far, all and stolen, from /proc/stat's first line. */
export function machineTicks(): { total: number; steal: number } {
  // cpu user nice system idle iowait irq softirq steal guest guest_nice: guest time is already in user.
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] };
}

/**
 * The share (%) of the machine's CPU time the hypervisor gave to other guests between two
 * `machineTicks` readings. On a shared VM it comes and goes in stretches of seconds, and while it
 * is high the box has less CPU than its cores: latencies then measure the neighbours.
 */
export function stealPercent(from: { total: number; steal: number }, to: { total: number; steal: number }): number {
  const total = to.total - from.total;
  return total > 0 ? (100 * (to.steal - from.steal)) / total : 0;
}

export function neo4jPid(): number | undefined {
  const home = process.env.NEO4J_HOME_DIR || path.join(projectRoot, '.neo4j');
  try {
    return Number(fs.readFileSync(path.join(home, 'neo4j.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (v: string | number): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]): string => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
}

export function arg(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

export function textArg(argv: string[], flag: string, fallback: string): string {
  const i = argv.indexOf(flag);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}

/** `git rev-parse --short HEAD` of a checkout, marked when its tracked files have uncommitted changes. */
export function revisionOf(root: string): string {
  try {
    const head = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export interface TrainerCycleRun {
  /** Wall seconds from spawn to exit. */
  seconds: number;
  exitCode: number | null;
  /** The cycle's last stdout line ("trainer: published: ..."), or what it printed last. */
  outcome: string;
  cpuSeconds: number;
}

/**
 * One `affinity trainer --once` of the checkout at `root` as a child process (the deployment the
 * README suggests beside `serve`), against the Neo4j this process uses; its stderr is passed on.
 * `done` resolves when it exited; its CPU is sampled each second (the last second is not counted).
 */
export function runTrainerCycle(env: Record<string, string> = {}, root = projectRoot): { pid: number; done: Promise<TrainerCycleRun> } {
  const started = performance.now();
  const child = spawn(process.execPath, [serverEntry(root), 'trainer', '--once'], {
    env: { ...process.env, NEO4J_HOME_DIR: process.env.NEO4J_HOME_DIR || path.join(projectRoot, '.neo4j'), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const pid = child.pid as number;
  let cpu = 0;
  // /proc/<pid> is gone once it exited: sample the CPU while it runs.
  const sampler = setInterval(() => {
    const now = cpuSeconds(pid);
    if (!Number.isNaN(now)) cpu = now;
  }, 1000);
  const done = new Promise<TrainerCycleRun>((resolve) => {
    child.once('exit', (code) => {
      clearInterval(sampler);
      const lines = stdout.trim().split('\n');
      resolve({ seconds: (performance.now() - started) / 1000, exitCode: code, outcome: lines[lines.length - 1] ?? '', cpuSeconds: cpu });
    });
  });
  return { pid, done };
}
