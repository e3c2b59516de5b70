/**
 * The machine's floor for a serving bench: a node:http server with the same number of cluster
 * workers as the real one, that spends a fixed CPU time per request (a busy loop that allocates as
 * a GraphQL request does) and answers a small JSON body, with no Neo4j, no GraphQL and no cache.
 * Its p99 under the same offered load is what this box gives any server of that CPU cost: when it
 * is already past a latency target, the real server cannot be under it in that run.
 *
 *   node dist/bench/support/control-server.js --port 4103 --workers 2 --cpu-ms 0.8
 */
import cluster from 'node:cluster';
import * as http from 'node:http';
import { arg } from './process';

const argv = process.argv.slice(2);
const port = arg(argv, '--port', 4103);
const workers = arg(argv, '--workers', 2);
const cpuMs = arg(argv, '--cpu-ms', 0.8);

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = (): void => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  http
    .createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const started = performance.now();
        let garbage: { x: number }[] = [];
        let x = 0;
        while (performance.now() - started < cpuMs) {
          x += Math.sqrt(x + 1);
          garbage.push({ x });
          if (garbage.length > 256) garbage = [];
        }
        const body = JSON.stringify({ data: { recommendations: { strategy: 'CONTROL', edges: [] } } });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    })
    .listen(port);
}
