/**
 * The peer bench/reads measures us against: @neo4j/graphql (a devDependency, bench only) over the
 * same Neo4j, with type definitions written for our graph, served by Apollo Server 5 as a new user
 * would (standalone, production mode). Run as a child process: `--port P`; Neo4j from the same
 * settings as ours (NEO4J_URI / NEO4J_BOLT_PORT, NEO4J_HOME_DIR's password).
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Neo4jGraphQL } from '@neo4j/graphql';
import neo4j, { Driver } from 'neo4j-driver';
import { loadConfig } from '../../src/config';
import { arg } from './process';

/** Our graph (README "Graph model") in @neo4j/graphql 7's schema language; only what bench/reads asks. */
export const PEER_TYPE_DEFS = /* GraphQL */ `
  type Product @node {
    id: ID!
    title: String!
    description: String
    price: Float
    currency: String
    brand: String
    inStock: Boolean
    categories: [Category!]! @relationship(type: "IN_CATEGORY", direction: OUT)
  }

  type Category @node {
    id: ID!
    name: String!
    parent: [Category!]! @relationship(type: "SUBCATEGORY_OF", direction: OUT)
    products: [Product!]! @relationship(type: "IN_CATEGORY", direction: IN)
  }

  type Interacted @relationshipProperties {
    eventId: ID!
    type: String!
    at: DateTime!
    weight: Float
    rating: Float
    reviewText: String
  }

  type User @node {
    id: ID!
    createdAt: DateTime
    country: String
    interactions: [Product!]! @relationship(type: "INTERACTED", direction: OUT, properties: "Interacted")
    segments: [Segment!]! @relationship(type: "IN_SEGMENT", direction: OUT)
  }

  type Segment @node {
    id: ID!
    label: String
    modelVersion: String
    current: Boolean
  }
`;

/** A statement the peer ran, with its parameters. */
export interface PeerStatement {
  query: string;
  params: Record<string, unknown>;
}

/**
 * The driver as @neo4j/graphql's execution context (it takes anything with `session`), recording
 * each statement its read transactions run into `sink`: for PROFILE with the real parameters.
 */
export function recordingDriver(driver: Driver, sink: PeerStatement[]): { session: Driver['session'] } {
  return {
    session: (config) => {
      const session = driver.session(config);
      const executeRead = session.executeRead.bind(session);
      session.executeRead = (work, txConfig) =>
        executeRead((tx) => {
          const run = tx.run.bind(tx);
          tx.run = ((query: string, params: Record<string, unknown>) => {
            sink.push({ query, params });
            return run(query, params);
          }) as typeof tx.run;
          return work(tx);
        }, txConfig);
      return session;
    },
  };
}

async function main(): Promise<void> {
  const port = arg(process.argv.slice(2), '--port', 4122);
  const config = loadConfig(process.env);
  const driver = neo4j.driver(config.neo4j.uri, neo4j.auth.basic(config.neo4j.user, config.neo4j.password));
  const schema = await new Neo4jGraphQL({ typeDefs: PEER_TYPE_DEFS, driver }).getSchema();
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  console.log(`peer @neo4j/graphql server on ${url}`);
  const stop = async (): Promise<void> => {
    await server.stop();
    await driver.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
