/**
 * The load generator's GraphQL client: node:http over keep-alive sockets. The client shares the
 * two cores with the server and Neo4j, and `fetch` (undici) spent 0.6-1.0 CPU ms per request
 * against 0.15-0.4 for this (measured on bench/recommend), so every millisecond the client saves
 * is one the server is not measured with.
 */
import * as http from 'node:http';

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export class GraphQLClient {
  private readonly agent: http.Agent;
  private readonly target: URL;

  constructor(
    url: string,
    private readonly key: string,
    sockets = 64,
  ) {
    this.target = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  post<T>(query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    return this.send<T>(JSON.stringify({ query, variables }), true);
  }

  private send<T>(body: string, retry: boolean): Promise<GraphQLResponse<T>> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.target.hostname,
          port: this.target.port,
          path: this.target.pathname,
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}`, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLResponse<T>);
            } catch (error) {
              reject(new Error(`HTTP ${res.statusCode}: the response is not JSON (${String(error)})`));
            }
          });
          res.on('error', reject);
        },
      );
      // A kept-alive socket the server closed as the request went out: the request never arrived, so it is
      // sent again once (as Node's http docs advise for reused sockets).
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (retry && req.reusedSocket && error.code === 'ECONNRESET') this.send<T>(body, false).then(resolve, reject);
        else reject(error);
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
