/**
 * Cypher for affiliate partners: (:Partner {id, name, programVersion})-[:RUNS]->(:Program {key, version, ...})
 * with one Program node per version (program_key constraint: "<partnerId>:<version>"), and shared
 * members (:User)-[:MEMBER_OF {key, memberRef, consentAt, scopes}]->(:Partner), key =
 * "<partnerId>:<memberRef>" (member_key constraint, also the index memberRef lookups use).
 */
import type { Database } from '../db/database';

export type AttributionModel = 'LAST_CLICK' | 'FIRST_CLICK';

/** A program version as stored; category rates are two parallel lists (Neo4j stores no maps). */
export interface ProgramRow {
  partnerId: string;
  version: number;
  /** Epoch ms from which this version is in force. */
  effectiveFrom: number;
  defaultRate: number;
  rateCategoryIds: string[];
  rateValues: number[];
  allowCategoryIds: string[] | null;
  allowProductIds: string[] | null;
  denyProductIds: string[];
  windowDays: number;
  clickLifetimeS: number;
  landingUrl: string;
  attribution: AttributionModel;
}

export interface PartnerRow {
  id: string;
  name: string;
  programVersion: number;
}

export interface MemberLinkRow {
  userId: string;
  memberRef: string;
  /** Epoch ms. */
  consentAt: number;
  scopes: string[];
}

export interface LinkCheckRow {
  userId: string;
  memberRef: string;
  userExists: boolean;
  /** The user the memberRef names already, if any. */
  refOwner: string | null;
}

const PROGRAM_FIELDS = `pr.partnerId AS partnerId, pr.version AS version, pr.effectiveFrom.epochMillis AS effectiveFrom,
  pr.defaultRate AS defaultRate, pr.rateCategoryIds AS rateCategoryIds, pr.rateValues AS rateValues,
  pr.allowCategoryIds AS allowCategoryIds, pr.allowProductIds AS allowProductIds, pr.denyProductIds AS denyProductIds,
  pr.windowDays AS windowDays, pr.clickLifetimeS AS clickLifetimeS, pr.landingUrl AS landingUrl, pr.attribution AS attribution`;

/** Creates the partner when new; a program version is added by PUBLISH_PROGRAM either way. */
const CREATE_PARTNER = {
  name: 'partner.create',
  cypher: `MERGE (p:Partner {id: $partnerId})
           ON CREATE SET p.name = $name, p.createdAt = datetime(), p.programVersion = 0
           ON MATCH SET p.name = coalesce($name, p.name)
           RETURN p.programVersion AS programVersion`,
};

/** The next version, in force from now; the partner's lock (SET) orders concurrent publishers. */
const PUBLISH_PROGRAM = {
  name: 'partner.publishProgram',
  cypher: `MATCH (p:Partner {id: $partnerId})
           SET p.programVersion = coalesce(p.programVersion, 0) + 1
           CREATE (p)-[:RUNS]->(pr:Program {key: $partnerId + ':' + p.programVersion, partnerId: $partnerId,
             version: p.programVersion, effectiveFrom: datetime({epochMillis: toInteger($program.effectiveFrom)}),
             defaultRate: $program.defaultRate, rateCategoryIds: $program.rateCategoryIds, rateValues: $program.rateValues,
             allowCategoryIds: $program.allowCategoryIds, allowProductIds: $program.allowProductIds,
             denyProductIds: $program.denyProductIds, windowDays: $program.windowDays,
             clickLifetimeS: $program.clickLifetimeS, landingUrl: $program.landingUrl, attribution: $program.attribution})
           RETURN ${PROGRAM_FIELDS}`,
};

const CURRENT_PROGRAM = {
  name: 'partner.currentProgram',
  cypher: `MATCH (p:Partner {id: $partnerId})
           MATCH (pr:Program {key: $partnerId + ':' + p.programVersion})
           RETURN ${PROGRAM_FIELDS}`,
};

/** Every version of the partners' programs, oldest first: attribution picks the one in force at a click. */
const PROGRAM_HISTORY = {
  name: 'partner.programHistory',
  cypher: `UNWIND $partnerIds AS partnerId
           MATCH (:Partner {id: partnerId})-[:RUNS]->(pr:Program)
           RETURN ${PROGRAM_FIELDS} ORDER BY partnerId, pr.version`,
};

const PARTNERS = {
  name: 'partner.byIds',
  cypher: `UNWIND $ids AS id MATCH (p:Partner {id: id})
           RETURN p.id AS id, coalesce(p.name, p.id) AS name, coalesce(p.programVersion, 0) AS programVersion`,
};

/** What linking needs to decide per link: does the user exist, whose is the memberRef. */
const CHECK_LINKS = {
  name: 'partner.checkLinks',
  cypher: `UNWIND $links AS l
           OPTIONAL MATCH (u:User {id: l.userId})
           OPTIONAL MATCH (owner:User)-[:MEMBER_OF {key: $partnerId + ':' + l.memberRef}]->(:Partner)
           RETURN l.userId AS userId, l.memberRef AS memberRef, u IS NOT NULL AS userExists, owner.id AS refOwner`,
};

/** One link per user and partner: relinking a user under a new memberRef replaces the old one. */
const LINK = {
  name: 'partner.link',
  cypher: `MATCH (p:Partner {id: $partnerId})
           UNWIND $links AS l
           MATCH (u:User {id: l.userId})
           MERGE (u)-[m:MEMBER_OF]->(p)
           SET m.key = $partnerId + ':' + l.memberRef, m.memberRef = l.memberRef,
               m.consentAt = datetime({epochMillis: toInteger(l.consentAt)}), m.scopes = l.scopes
           RETURN count(m) AS linked`,
};

const UNLINK = {
  name: 'partner.unlink',
  cypher: `UNWIND $memberRefs AS ref
           MATCH (:User)-[m:MEMBER_OF {key: $partnerId + ':' + ref}]->(:Partner)
           DELETE m
           RETURN count(*) AS removed`,
};

/**
 * The users behind a partner's memberRefs, by the member_key index. Unknown refs and refs of
 * users the partner does not share take the same path and give the same (absent) row.
 */
const RESOLVE = {
  name: 'partner.resolveMembers',
  cypher: `UNWIND $memberRefs AS ref
           MATCH (u:User)-[:MEMBER_OF {key: $partnerId + ':' + ref}]->(:Partner)
           RETURN ref AS memberRef, u.id AS userId`,
};

/** The categories with every subcategory below them (the filter matches a product by any ancestor up to 4 levels). */
const DESCENDANTS = {
  name: 'partner.categoryDescendants',
  cypher: `UNWIND $categoryIds AS id
           MATCH (c:Category {id: id})<-[:SUBCATEGORY_OF*0..4]-(d:Category)
           RETURN collect(DISTINCT d.id) AS ids`,
};

const MEMBER_COUNT = {
  name: 'partner.memberCount',
  cypher: 'MATCH (:Partner {id: $partnerId})<-[m:MEMBER_OF]-() RETURN count(m) AS count',
};

/** A new program version's terms: a stored version without its partner and number. */
export type ProgramWrite = Omit<ProgramRow, 'partnerId' | 'version'>;

export class PartnerRepository {
  constructor(private readonly db: Database) {}

  async createPartner(partnerId: string, name: string | null): Promise<void> {
    await this.db.writeOne(CREATE_PARTNER, { partnerId, name });
  }

  async publishProgram(partnerId: string, program: ProgramWrite): Promise<ProgramRow> {
    const rows = await this.db.writeOne<ProgramRow>(PUBLISH_PROGRAM, { partnerId, program });
    return rows[0];
  }

  async currentProgram(partnerId: string): Promise<ProgramRow | undefined> {
    return (await this.db.readOne<ProgramRow>(CURRENT_PROGRAM, { partnerId }))[0];
  }

  async programHistory(partnerIds: string[]): Promise<ProgramRow[]> {
    return this.db.readOne<ProgramRow>(PROGRAM_HISTORY, { partnerIds });
  }

  async partners(ids: string[]): Promise<PartnerRow[]> {
    return this.db.readOne<PartnerRow>(PARTNERS, { ids });
  }

  async checkLinks(partnerId: string, links: { userId: string; memberRef: string }[]): Promise<LinkCheckRow[]> {
    return this.db.readOne<LinkCheckRow>(CHECK_LINKS, { partnerId, links });
  }

  async link(partnerId: string, links: MemberLinkRow[]): Promise<number> {
    const rows = await this.db.writeOne<{ linked: number }>(LINK, { partnerId, links });
    return rows[0]?.linked ?? 0;
  }

  async unlink(partnerId: string, memberRefs: string[]): Promise<number> {
    const rows = await this.db.writeOne<{ removed: number }>(UNLINK, { partnerId, memberRefs });
    return rows[0]?.removed ?? 0;
  }

  async resolveMembers(partnerId: string, memberRefs: string[]): Promise<Map<string, string>> {
    const rows = await this.db.readOne<{ memberRef: string; userId: string }>(RESOLVE, { partnerId, memberRefs });
    return new Map(rows.map((r) => [r.memberRef, r.userId]));
  }

  async categoryDescendants(categoryIds: string[]): Promise<string[]> {
    if (categoryIds.length === 0) return [];
    return (await this.db.readOne<{ ids: string[] }>(DESCENDANTS, { categoryIds }))[0]?.ids ?? [];
  }

  async memberCount(partnerId: string): Promise<number> {
    return (await this.db.readOne<{ count: number }>(MEMBER_COUNT, { partnerId }))[0]?.count ?? 0;
  }
}
