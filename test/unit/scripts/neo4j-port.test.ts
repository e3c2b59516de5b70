import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../../scripts/neo4j/neo4j.sh');

describe('scripts/neo4j/neo4j.sh start on a taken port', () => {
  let server: net.Server;
  let port: number;
  let home: string;
  beforeAll(async () => {
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    home = mkdtempSync(path.join(tmpdir(), 'affinity-neo4j-port-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(home, { recursive: true, force: true });
  });

  it('names the process that holds the port and the variable that picks another', () => {
    // The launcher build is cached (NEO4J_BUILD_DIR), so this reaches the port check in a moment.
    const run = spawnSync('bash', [SCRIPT, 'start'], {
      env: { ...process.env, NEO4J_URI: '', NEO4J_HOME_DIR: home, NEO4J_BOLT_PORT: String(port), NEO4J_PORT_VARIABLE: 'NEO4J_TEST_BOLT_PORT' },
      encoding: 'utf8',
      timeout: 600_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`port ${port} is already in use by pid ${process.pid} (`);
    expect(run.stderr).toContain('set NEO4J_TEST_BOLT_PORT to pick another port');
  });
});
