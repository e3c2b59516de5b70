/**
 * Cypher for campaigns: (:Campaign) and its members, (:User)-[:IN_CAMPAIGN {campaignId, userId,
 * group: TREATMENT|HOLDOUT, copy}]->(:Campaign), assigned once at creation and stored so delivery
 * and the report always see the same groups. Relies on the campaign_id constraint and the
 * campaign_member relationship index (V007) for keyset pages.
 */
import type { Database } from '../db/database';

export interface CampaignRow {
  id: string;
  name: string;
  segmentIds: string[];
  /** Null: each member gets their personal recommendations. */
  productIds: string[] | null;
  channel: string;
  copyVariants: string[];
  holdoutShare: number;
  start: number;
  end: number;
  members: number;
  holdout: number;
  createdAt: string;
}

export interface CampaignMemberWrite {
  userId: string;
  group: 'TREATMENT' | 'HOLDOUT';
  copy: number;
}

export interface CampaignAudienceRow {
  userId: string;
  copy: number;
}

export interface CampaignOutcomeRow {
  group: 'TREATMENT' | 'HOLDOUT';
  clicks: number;
  purchases: number;
  revenue: number;
  pre: number;
}

const FIELDS = `c.id AS id, c.name AS name, c.segmentIds AS segmentIds, c.productIds AS productIds, c.channel AS channel,
                c.copyVariants AS copyVariants, c.holdoutShare AS holdoutShare, c.start.epochMillis AS start,
                c.end.epochMillis AS end, c.members AS members, c.holdout AS holdout, toString(c.createdAt) AS createdAt`;

const CREATE = {
  name: 'campaign.create',
  cypher: `CREATE (c:Campaign {id: $id, name: $name, segmentIds: $segmentIds, productIds: $productIds, channel: $channel,
                               copyVariants: $copyVariants, holdoutShare: $holdoutShare, members: 0, holdout: 0,
                               start: datetime({epochMillis: toInteger($start)}), end: datetime({epochMillis: toInteger($end)}),
                               createdAt: datetime()})`,
};

const BY_ID = { name: 'campaign.byId', cypher: `MATCH (c:Campaign {id: $id}) RETURN ${FIELDS}` };
const ALL = { name: 'campaign.all', cypher: `MATCH (c:Campaign) RETURN ${FIELDS} ORDER BY c.createdAt DESC` };

const SEGMENT_MEMBERS = {
  name: 'campaign.segmentMembers',
  cypher: `MATCH (u:User)-[:IN_SEGMENT]->(s:Segment) WHERE s.id IN $segmentIds RETURN DISTINCT u.id AS id ORDER BY id`,
};

const ADD_MEMBERS = {
  name: 'campaign.addMembers',
  cypher: `MATCH (c:Campaign {id: $id})
           UNWIND $rows AS r
           MATCH (u:User {id: r.userId})
           CREATE (u)-[:IN_CAMPAIGN {campaignId: $id, userId: r.userId, group: r.group, copy: r.copy}]->(c)
           WITH c, count(*) AS added, sum(CASE r.group WHEN 'HOLDOUT' THEN 1 ELSE 0 END) AS holdout
           SET c.members = c.members + added, c.holdout = c.holdout + holdout`,
};

/** One page of treatment members after a user id, in user id order (campaign_member index). */
const AUDIENCE = {
  name: 'campaign.audience',
  cypher: `MATCH ()-[m:IN_CAMPAIGN]->()
           WHERE m.campaignId = $id AND m.userId > $after AND m.group = 'TREATMENT'
           RETURN m.userId AS userId, m.copy AS copy ORDER BY m.userId LIMIT toInteger($limit)`,
};

/** Each member's purchases, clicks and revenue in [$start, $until), and activity in [$preFrom, $start). */
const OUTCOMES = {
  name: 'campaign.outcomes',
  cypher: `MATCH (u:User)-[m:IN_CAMPAIGN]->(:Campaign {id: $id})
           CALL (u) {
             OPTIONAL MATCH (u)-[i:INTERACTED]->(p:Product)
               WHERE i.at >= datetime({epochMillis: toInteger($start)}) AND i.at < datetime({epochMillis: toInteger($until)})
                 AND i.type IN ['CLICK', 'PURCHASE']
             RETURN sum(CASE i.type WHEN 'CLICK' THEN 1 ELSE 0 END) AS clicks,
                    sum(CASE i.type WHEN 'PURCHASE' THEN 1 ELSE 0 END) AS purchases,
                    sum(CASE i.type WHEN 'PURCHASE' THEN coalesce(p.price, 0.0) ELSE 0.0 END) AS revenue
           }
           CALL (u) {
             OPTIONAL MATCH (u)-[j:INTERACTED]->()
               WHERE j.at >= datetime({epochMillis: toInteger($preFrom)}) AND j.at < datetime({epochMillis: toInteger($start)})
             RETURN count(j) AS pre
           }
           RETURN m.group AS group, clicks, purchases, revenue, pre`,
};

export class CampaignRepository {
  constructor(private readonly db: Database) {}

  async create(campaign: Omit<CampaignRow, 'members' | 'holdout' | 'createdAt'>): Promise<void> {
    await this.db.writeOne(CREATE, campaign);
  }

  async byId(id: string): Promise<CampaignRow | undefined> {
    return (await this.db.readOne<CampaignRow>(BY_ID, { id }))[0];
  }

  async all(): Promise<CampaignRow[]> {
    return this.db.readOne<CampaignRow>(ALL);
  }

  async segmentMembers(segmentIds: string[]): Promise<string[]> {
    return (await this.db.readOne<{ id: string }>(SEGMENT_MEMBERS, { segmentIds })).map((r) => r.id);
  }

  async addMembers(id: string, rows: CampaignMemberWrite[]): Promise<void> {
    if (rows.length > 0) await this.db.writeOne(ADD_MEMBERS, { id, rows });
  }

  async audience(id: string, after: string, limit: number): Promise<CampaignAudienceRow[]> {
    return this.db.readOne<CampaignAudienceRow>(AUDIENCE, { id, after, limit });
  }

  async outcomes(id: string, window: { start: number; until: number; preFrom: number }): Promise<CampaignOutcomeRow[]> {
    return this.db.readOne<CampaignOutcomeRow>(OUTCOMES, { id, ...window });
  }
}
