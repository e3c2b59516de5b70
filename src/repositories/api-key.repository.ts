/** API keys are stored only as SHA-256 hashes (api_key_hash constraint); the key itself is shown once. */
import type { Database } from '../db/database';

export interface ApiKeyRow {
  id: string;
  role: string;
  partnerId: string | null;
  label: string | null;
  revoked: boolean;
}

const CREATE = {
  name: 'apiKey.create',
  cypher: `CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, partnerId: $partnerId, label: $label,
                             revoked: false, createdAt: datetime()})
           WITH k
           OPTIONAL MATCH (p:Partner {id: $partnerId})
           FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (k)-[:FOR_PARTNER]->(p))`,
};

const BY_HASH = {
  name: 'apiKey.byHash',
  cypher: `MATCH (k:ApiKey {hash: $hash})
           RETURN k.id AS id, k.role AS role, k.partnerId AS partnerId, k.label AS label, k.revoked AS revoked`,
};

const BY_REF = {
  name: 'apiKey.byRef',
  cypher: `MATCH (k:ApiKey) WHERE k.id = $id OR k.hash = $hash
           RETURN k.id AS id, k.role AS role, k.partnerId AS partnerId, k.label AS label, k.revoked AS revoked`,
};

const REVOKE = {
  name: 'apiKey.revoke',
  cypher: `MATCH (k:ApiKey) WHERE k.id = $id OR k.hash = $hash
           SET k.revoked = true, k.revokedAt = coalesce(k.revokedAt, datetime())
           RETURN k.id AS id, k.role AS role, k.partnerId AS partnerId, k.label AS label, k.revoked AS revoked`,
};

const PARTNER_EXISTS = {
  name: 'apiKey.partnerExists',
  cypher: 'MATCH (p:Partner {id: $partnerId}) RETURN p.id AS id',
};

const ENSURE_PARTNER = {
  name: 'apiKey.ensurePartner',
  cypher: 'MERGE (p:Partner {id: $partnerId}) ON CREATE SET p.name = coalesce($name, $partnerId), p.createdAt = datetime()',
};

export class ApiKeyRepository {
  constructor(private readonly db: Database) {}

  async create(key: { id: string; hash: string; role: string; partnerId: string | null; label: string | null }): Promise<void> {
    await this.db.writeOne(CREATE, key);
  }

  async findByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return (await this.db.readOne<ApiKeyRow>(BY_HASH, { hash }))[0];
  }

  /** The key with this id (or this hash). */
  async find(ref: { id: string | null; hash: string | null }): Promise<ApiKeyRow | undefined> {
    return (await this.db.readOne<ApiKeyRow>(BY_REF, ref))[0];
  }

  /** Marks the key with this id (or this hash) revoked; returns it, or undefined when there is none. */
  async revoke(ref: { id: string | null; hash: string | null }): Promise<ApiKeyRow | undefined> {
    return (await this.db.writeOne<ApiKeyRow>(REVOKE, ref))[0];
  }

  async partnerExists(partnerId: string): Promise<boolean> {
    return (await this.db.readOne(PARTNER_EXISTS, { partnerId })).length > 0;
  }

  async ensurePartner(partnerId: string, name: string | null): Promise<void> {
    await this.db.writeOne(ENSURE_PARTNER, { partnerId, name });
  }
}
