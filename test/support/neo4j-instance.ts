/** Starts and stops a Neo4j of its own through the project's script, for tests that take it down. */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Neo4jInstance {
  env: Record<string, string>;
  start(): void;
  stop(): void;
  /** start() without blocking the event loop, for a server in this process that must keep answering. */
  startInBackground(): Promise<void>;
  /** SIGKILL of the running Neo4j process (from its pid file): a crash, no clean shutdown. */
  kill(): void;
}

/** `portVariable` is the environment variable that picks `port`, named if the port is taken. */
export function neo4jInstance(name: string, port: number, portVariable = 'NEO4J_BOLT_PORT'): Neo4jInstance {
  const root = path.resolve(__dirname, '../..');
  const env: Record<string, string> = {
    NEO4J_HOME_DIR: path.join(root, `.neo4j-${name}`),
    NEO4J_BOLT_PORT: String(port),
    NEO4J_PORT_VARIABLE: portVariable,
    NEO4J_HEAP: '512m',
    NEO4J_PAGECACHE: '128m',
  };
  const script = path.join(root, 'scripts', 'neo4j', 'neo4j.sh');
  const run = (command: string): void => {
    execFileSync('bash', [script, command], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  return {
    env,
    start: () => run('start'),
    stop: () => run('stop'),
    startInBackground: () =>
      new Promise((resolve, reject) => {
        execFile('bash', [script, 'start'], { env: { ...process.env, ...env } }, (error, _out, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()));
      }),
    kill: () => process.kill(Number(fs.readFileSync(path.join(env.NEO4J_HOME_DIR, 'neo4j.pid'), 'utf8').trim()), 'SIGKILL'),
  };
}

export function passwordOf(instance: Neo4jInstance): string {
  return fs.readFileSync(path.join(instance.env.NEO4J_HOME_DIR, 'password'), 'utf8').trim();
}
