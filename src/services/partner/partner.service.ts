/**
 * Partners, their versioned programs and the members they share (admin operations), and the
 * current program each partner-facing request reads (kept briefly per process: programs change
 * rarely, and a new version only needs to count within a second; membership is never kept).
 */
import type { ApiKeyService } from '../../auth/api-key.service';
import { BadInputError, DomainError, NotFoundError } from '../../errors';
import type { MemberLinkRow, PartnerRepository } from '../../repositories/partner.repository';
import { RefreshingValue } from '../../shared/refreshing-value';
import { Program, ProgramTermsInput, toProgramWrite } from './program';

export interface MemberLinkInput {
  userId: string;
  memberRef: string;
  consentAt: Date;
  scopes: string[];
}

export type LinkStatus = 'LINKED' | 'REJECTED';

export interface LinkResult {
  memberRef: string;
  status: LinkStatus;
  reason: string | null;
}

export interface RegisteredPartner {
  partnerId: string;
  name: string;
  apiKey: string;
  program: Program;
}

const PROGRAM_TTL_MS = 1000;
const PROGRAM_MAX_STALE_MS = 5000;

export class PartnerService {
  private readonly programs = new Map<string, RefreshingValue<Program | undefined>>();
  /** Each partner's program versions, oldest first, as last read (programHistory). */
  private readonly histories = new Map<string, Program[]>();

  constructor(
    private readonly repo: PartnerRepository,
    private readonly apiKeys: ApiKeyService,
    private readonly maxLinkBatch: number,
  ) {}

  async register(input: { partnerId: string; name: string; program: ProgramTermsInput }): Promise<RegisteredPartner> {
    const write = toProgramWrite(input.program, Date.now());
    if (await this.exists(input.partnerId)) {
      throw new DomainError('CONFLICT', `Partner "${input.partnerId}" already exists; use updateProgram to change its terms`);
    }
    await this.repo.createPartner(input.partnerId, input.name);
    const program = await this.repo.publishProgram(input.partnerId, write);
    const key = await this.apiKeys.create({ role: 'partner', partnerId: input.partnerId, label: `${input.partnerId} (registerPartner)` });
    return { partnerId: input.partnerId, name: input.name, apiKey: key.key, program };
  }

  /** A new version of the partner's terms, in force from now; clicks before it keep the terms they had. */
  async updateProgram(partnerId: string, terms: ProgramTermsInput): Promise<Program> {
    await this.requirePartner(partnerId);
    const program = await this.repo.publishProgram(partnerId, toProgramWrite(terms, Date.now()));
    this.programs.get(partnerId)?.invalidate();
    return program;
  }

  /** The program in force now, or NotFound for an unknown partner. */
  async currentProgram(partnerId: string): Promise<Program> {
    let value = this.programs.get(partnerId);
    if (!value) {
      value = new RefreshingValue(() => this.repo.currentProgram(partnerId), PROGRAM_TTL_MS, PROGRAM_MAX_STALE_MS);
      this.programs.set(partnerId, value);
    }
    const program = await value.get();
    if (!program) {
      this.programs.delete(partnerId);
      throw new NotFoundError('Partner', partnerId);
    }
    return program;
  }

  /**
   * Every version of the partners' programs, oldest first. Versions never change once published, so
   * a partner's history is kept while its latest is the current program (read as currentProgram is)
   * and read again once a newer version is in force.
   */
  async programHistory(partnerIds: string[]): Promise<Map<string, Program[]>> {
    const current = await Promise.all(partnerIds.map((id) => this.currentProgram(id).catch(() => undefined)));
    const stale = partnerIds.filter((id, i) => this.histories.get(id)?.at(-1)?.version !== current[i]?.version || current[i] === undefined);
    if (stale.length > 0) {
      const read = new Map<string, Program[]>(stale.map((id) => [id, []]));
      for (const row of await this.repo.programHistory(stale)) read.get(row.partnerId)?.push(row);
      for (const [id, versions] of read) {
        if (versions.length > 0) this.histories.set(id, versions);
        else this.histories.delete(id);
      }
    }
    return new Map(partnerIds.map((id) => [id, this.histories.get(id) ?? []]));
  }

  /** Links users to the partner under its memberRefs; each link is reported, bad ones rejected with a reason. */
  async link(partnerId: string, links: MemberLinkInput[]): Promise<LinkResult[]> {
    if (links.length > this.maxLinkBatch) {
      throw new BadInputError(`At most ${this.maxLinkBatch} links per call (got ${links.length})`, { fields: ['links'] });
    }
    await this.requirePartner(partnerId);
    const checks = new Map((await this.repo.checkLinks(partnerId, links)).map((c) => [`${c.userId}\u0000${c.memberRef}`, c]));
    const seenRefs = new Set<string>();
    const seenUsers = new Set<string>();
    const accepted: MemberLinkRow[] = [];
    const results = links.map((link): LinkResult => {
      const check = checks.get(`${link.userId}\u0000${link.memberRef}`);
      const reject = (reason: string): LinkResult => ({ memberRef: link.memberRef, status: 'REJECTED', reason });
      if (seenRefs.has(link.memberRef) || seenUsers.has(link.userId)) return reject('the memberRef or user appears twice in this call');
      seenRefs.add(link.memberRef);
      seenUsers.add(link.userId);
      if (!check?.userExists) return reject('unknown user');
      if (check.refOwner !== null && check.refOwner !== link.userId) return reject('the memberRef already names another member');
      accepted.push({ userId: link.userId, memberRef: link.memberRef, consentAt: link.consentAt.getTime(), scopes: link.scopes });
      return { memberRef: link.memberRef, status: 'LINKED', reason: null };
    });
    if (accepted.length > 0) await this.repo.link(partnerId, accepted);
    return results;
  }

  /** Revokes at once: every request resolves memberRefs in Neo4j, so no replica serves the member afterwards. */
  async unlink(partnerId: string, memberRefs: string[]): Promise<number> {
    if (memberRefs.length > this.maxLinkBatch) {
      throw new BadInputError(`At most ${this.maxLinkBatch} memberRefs per call (got ${memberRefs.length})`, { fields: ['memberRefs'] });
    }
    return this.repo.unlink(partnerId, memberRefs);
  }

  /** memberRef → internal user id for the partner's shared members; absent refs are unknown or unshared alike. */
  async resolveMembers(partnerId: string, memberRefs: string[]): Promise<Map<string, string>> {
    return this.repo.resolveMembers(partnerId, memberRefs);
  }

  async categoryClosure(categoryIds: string[]): Promise<string[]> {
    return this.repo.categoryDescendants(categoryIds);
  }

  async exists(partnerId: string): Promise<boolean> {
    return (await this.repo.partners([partnerId])).length > 0;
  }

  private async requirePartner(partnerId: string): Promise<void> {
    if (!(await this.exists(partnerId))) throw new NotFoundError('Partner', partnerId);
  }
}
