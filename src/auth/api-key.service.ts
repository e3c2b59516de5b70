/**
 * Issues and verifies API keys. Keys are random 32-byte tokens shown once; only their SHA-256 is
 * stored. Verified keys are cached briefly so a request costs no extra Neo4j round trip.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { BadInputError, NotFoundError, UnauthenticatedError } from '../errors';
import type { ApiKeyRepository } from '../repositories/api-key.repository';
import { isRole, Principal, Role, ROLES } from './roles';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class ApiKeyService {
  private readonly cache = new Map<string, { principal: Principal; expires: number }>();

  constructor(
    private readonly repo: ApiKeyRepository,
    private readonly cacheMs: number,
  ) {}

  async create(options: { role: string; partnerId?: string | null; label?: string | null }): Promise<{ key: string; id: string; role: Role }> {
    if (!isRole(options.role)) {
      throw new BadInputError(`Unknown role "${options.role}"; use one of ${ROLES.join(', ')}`);
    }
    const partnerId = options.partnerId ?? null;
    if (options.role === 'partner' && !partnerId) {
      throw new BadInputError('A partner key needs --partner <partnerId>');
    }
    if (options.role !== 'partner' && partnerId) {
      throw new BadInputError('Only partner keys belong to a partner');
    }
    if (partnerId) await this.repo.ensurePartner(partnerId, null);
    const key = `aff_${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    await this.repo.create({ id, hash: hashKey(key), role: options.role, partnerId, label: options.label ?? null });
    return { key, id, role: options.role };
  }

  /**
   * Revokes a key, named by its id or by the key itself. Other processes (workers, replicas) hold a
   * verified key for at most API_KEY_CACHE_MS, so it is refused everywhere within that bound.
   */
  async revoke(idOrKey: string): Promise<{ id: string; role: Role; partnerId: string | null; label: string | null }> {
    const ref = keyRef(idOrKey);
    const row = await this.repo.revoke(ref);
    if (!row || !isRole(row.role)) throw new NotFoundError('ApiKey', ref.id ?? '(the given key)');
    for (const [cachedHash, entry] of this.cache) if (entry.principal.keyId === row.id) this.cache.delete(cachedHash);
    return { id: row.id, role: row.role, partnerId: row.partnerId, label: row.label };
  }

  /** A new key with the same role, partner and label; the old one is revoked once the new one is stored. */
  async rotate(idOrKey: string): Promise<{ key: string; id: string; role: Role; revokedId: string }> {
    const ref = keyRef(idOrKey);
    const old = await this.repo.find(ref);
    if (!old || old.revoked || !isRole(old.role)) throw new NotFoundError('ApiKey', ref.id ?? '(the given key)');
    const created = await this.create({ role: old.role, partnerId: old.partnerId, label: old.label });
    await this.revoke(old.id);
    return { ...created, revokedId: old.id };
  }

  /** Resolves a presented key to a principal, or throws UNAUTHENTICATED. */
  async authenticate(key: string | undefined): Promise<Principal> {
    if (!key) throw new UnauthenticatedError();
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.expires > Date.now()) return cached.principal;
    const row = await this.repo.findByHash(hash);
    if (!row || row.revoked || !isRole(row.role)) {
      throw new UnauthenticatedError('The API key is not valid (unknown or revoked).');
    }
    const principal: Principal = { keyId: row.id, role: row.role, partnerId: row.partnerId };
    this.cache.set(hash, { principal, expires: Date.now() + this.cacheMs });
    return principal;
  }
}

/** Keys are issued as `aff_...`; anything else names a key by its id. */
function keyRef(idOrKey: string): { id: string | null; hash: string | null } {
  return idOrKey.startsWith('aff_') ? { id: null, hash: hashKey(idOrKey) } : { id: idOrKey, hash: null };
}

/** Reads the key from `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function keyFromHeaders(headers: { get(name: string): string | undefined | null }): string | undefined {
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (match) return match[1];
  }
  return headers.get('x-api-key') ?? undefined;
}
