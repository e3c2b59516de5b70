/** Cypher about the database itself, for `affinity doctor`: its version and its vector indexes. */
import type { Database } from '../db/database';

export interface VectorIndexRow {
  name: string;
  label: string;
  property: string;
  dimensions: number | null;
  state: string;
}

const COMPONENTS = {
  name: 'system.components',
  cypher: `CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition`,
};

const VECTOR_INDEXES = {
  name: 'system.vectorIndexes',
  cypher: `SHOW VECTOR INDEXES YIELD name, labelsOrTypes, properties, options, state
           RETURN name, labelsOrTypes[0] AS label, properties[0] AS property,
                  toInteger(options.indexConfig['vector.dimensions']) AS dimensions, state
           ORDER BY name`,
};

export class SystemRepository {
  constructor(private readonly db: Database) {}

  async neo4jVersion(): Promise<{ name: string; version: string; edition: string } | undefined> {
    return (await this.db.readOne<{ name: string; version: string; edition: string }>(COMPONENTS))[0];
  }

  async vectorIndexes(): Promise<VectorIndexRow[]> {
    return this.db.readOne<VectorIndexRow>(VECTOR_INDEXES);
  }
}
