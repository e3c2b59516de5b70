/**
 * Cypher for the (:ProfileModel) node: the trained propensity / next-category weights and the
 * population's RFM quintile breakpoints, the current one and the one before it.
 */
import type { Database } from '../db/database';

export interface ProfileModelRow {
  id: string;
  createdAt: string;
  modelVersion: string | null;
  /** Epoch ms of the latest event the model saw; the reference time for recency. */
  dataEnd: number;
  model: string;
  breakpoints: string;
  evaluation: string | null;
}

const SAVE_MODEL = {
  name: 'profile.saveModel',
  cypher: `OPTIONAL MATCH (old:ProfileModel {current: true})
           SET old.current = false
           WITH count(old) AS retired
           CREATE (m:ProfileModel {id: $id, createdAt: datetime(), current: true, modelVersion: $modelVersion,
                                   dataEnd: $dataEnd, model: $model, breakpoints: $breakpoints, evaluation: $evaluation})
           WITH m
           // Keep the previous model for comparison, drop older ones.
           MATCH (stale:ProfileModel {current: false})
           WITH m, stale ORDER BY stale.createdAt DESC SKIP 1
           DETACH DELETE stale`,
};

const CURRENT_MODEL = {
  name: 'profile.currentModel',
  cypher: `MATCH (m:ProfileModel {current: true})
           RETURN m.id AS id, toString(m.createdAt) AS createdAt, m.modelVersion AS modelVersion, m.dataEnd AS dataEnd,
                  m.model AS model, m.breakpoints AS breakpoints, m.evaluation AS evaluation
           ORDER BY m.createdAt DESC LIMIT 1`,
};

export class ProfileModelRepository {
  constructor(private readonly db: Database) {}

  async save(model: Omit<ProfileModelRow, 'createdAt'>): Promise<void> {
    await this.db.writeOne(SAVE_MODEL, model);
  }

  async current(): Promise<ProfileModelRow | undefined> {
    return (await this.db.readOne<ProfileModelRow>(CURRENT_MODEL))[0];
  }
}
