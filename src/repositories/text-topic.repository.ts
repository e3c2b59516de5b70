/**
 * Topics of what users write (TextTopic, V007) and each user's share of texts per topic
 * (User-[:WRITES_ABOUT {weight}]->TextTopic), one run per scope replacing the previous one.
 */
import type { Database } from '../db/database';

export interface UserTextRow {
  userId: string;
  text: string;
}

export interface TextInterestRow {
  topic: string;
  label: string;
  weight: number;
}

const REVIEW_TEXTS = {
  name: 'textTopic.reviewTexts',
  cypher: `MATCH (u:User)-[r:INTERACTED]->(:Product) WHERE r.reviewText IS NOT NULL AND ($prefix IS NULL OR u.id STARTS WITH $prefix)
           RETURN u.id AS userId, r.reviewText AS text ORDER BY userId, r.eventId LIMIT toInteger($limit)`,
};

const DELETE_SCOPE = { name: 'textTopic.deleteScope', cypher: 'MATCH (t:TextTopic {scope: $scope}) DETACH DELETE t' };

const CREATE_TOPICS = {
  name: 'textTopic.createTopics',
  cypher: `UNWIND $topics AS t
           CREATE (:TextTopic {id: t.id, scope: $scope, runId: $runId, label: t.label, terms: t.terms, size: t.size, createdAt: datetime()})`,
};

const WRITE_INTERESTS = {
  name: 'textTopic.writeInterests',
  cypher: `UNWIND $rows AS row
           MATCH (u:User {id: row.userId}) MATCH (t:TextTopic {id: row.topicId})
           CREATE (u)-[:WRITES_ABOUT {weight: row.weight}]->(t)`,
};

const INTERESTS = {
  name: 'textTopic.interests',
  cypher: `MATCH (:User {id: $userId})-[w:WRITES_ABOUT]->(t:TextTopic)
           RETURN t.id AS topic, t.label AS label, w.weight AS weight ORDER BY weight DESC, topic`,
};

const WEIGHTS = {
  name: 'textTopic.weights',
  cypher: `MATCH (u:User)-[w:WRITES_ABOUT]->(t:TextTopic) WHERE $prefix IS NULL OR u.id STARTS WITH $prefix
           RETURN u.id AS userId, t.label AS label, w.weight AS weight`,
};

export interface UserTopicWeightRow {
  userId: string;
  label: string;
  weight: number;
}

export class TextTopicRepository {
  constructor(private readonly db: Database) {}

  async reviewTexts(prefix: string | null, limit: number): Promise<UserTextRow[]> {
    return this.db.readOne<UserTextRow>(REVIEW_TEXTS, { prefix, limit });
  }

  /** Replaces the scope's topics and interests in one transaction. */
  async replace(input: {
    scope: string;
    runId: string;
    topics: { id: string; label: string; terms: string[]; size: number }[];
    interests: { userId: string; topicId: string; weight: number }[];
  }): Promise<void> {
    await this.db.write(async (tx) => {
      await tx.run(DELETE_SCOPE, { scope: input.scope });
      await tx.run(CREATE_TOPICS, { scope: input.scope, runId: input.runId, topics: input.topics });
      await tx.run(WRITE_INTERESTS, { rows: input.interests });
    });
  }

  /** Every user's topic weights (of users whose id starts with `prefix`, when given). */
  async weights(prefix: string | null): Promise<UserTopicWeightRow[]> {
    return this.db.readOne<UserTopicWeightRow>(WEIGHTS, { prefix });
  }

  async interests(userId: string): Promise<TextInterestRow[]> {
    return this.db.readOne<TextInterestRow>(INTERESTS, { userId });
  }
}
