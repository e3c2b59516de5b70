/**
 * Serves the analyst page (/explore) from src/exploration/public in the source tree: plain HTML, CSS and
 * ES modules, no bundler. Only files directly in that folder with a known type are served.
 */
import * as fs from 'node:fs/promises';
import type * as http from 'node:http';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page talks only to this server; no inline scripts, no third-party origins. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

export function isExplorerRoute(route: string): boolean {
  return route === '/explore' || route.startsWith('/explore/');
}

export async function serveExplorer(route: string, res: http.ServerResponse, projectRoot: string): Promise<void> {
  const name = route === '/explore' || route === '/explore/' ? 'index.html' : route.slice('/explore/'.length);
  const type = TYPES[path.extname(name)];
  if (!type || !/^[a-z0-9][a-z0-9.-]*$/i.test(name)) return notFound(res, route);
  let body: Buffer;
  try {
    body = await fs.readFile(path.join(projectRoot, 'src', 'exploration', 'public', name));
  } catch {
    return notFound(res, route);
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function notFound(res: http.ServerResponse, route: string): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`No file ${route}`);
}
