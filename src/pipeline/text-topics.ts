/**
 * `affinity topics`: topics of what users write. Review texts are encoded by the configured
 * sentence encoder, clustered and labelled (src/ml/text-topics.ts); each user's weight on a topic is
 * the share of their texts in it. The run replaces the previous one of its scope.
 */
import { randomBytes } from 'node:crypto';
import { fitTextTopics } from '../ml/text-topics';
import type { TextEmbedder } from '../ml/text';
import type { TextTopicRepository } from '../repositories/text-topic.repository';

export interface TextTopicRunResult {
  runId: string;
  texts: number;
  users: number;
  topics: { id: string; label: string; size: number }[];
}

/** Texts read per run; past this the first users by id are used (a sample, bounded memory). */
const MAX_TEXTS = 50_000;

export class TextTopicsService {
  constructor(
    private readonly repo: TextTopicRepository,
    private readonly embedder: TextEmbedder,
  ) {}

  async run(options: { idPrefix?: string | null; seed?: number; maxK?: number } = {}): Promise<TextTopicRunResult> {
    const prefix = options.idPrefix ?? null;
    const rows = await this.repo.reviewTexts(prefix, MAX_TEXTS);
    const runId = `topics-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
    const vectors = await this.embedder.embedMany(rows.map((r) => r.text));
    const model = fitTextTopics({ texts: rows.map((r) => r.text), vectors, seed: options.seed ?? 42, maxK: options.maxK ?? 12 });
    const topicId = (index: number): string => `${runId}:${index}`;
    const perUser = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const topic = model.assignments[i];
      if (topic < 0) return;
      const counts = perUser.get(r.userId) ?? new Array<number>(model.topics.length).fill(0);
      counts[topic]++;
      perUser.set(r.userId, counts);
    });
    const interests = [...perUser.entries()].flatMap(([userId, counts]) => {
      const total = counts.reduce((s, c) => s + c, 0);
      return counts.flatMap((c, t) => (c > 0 ? [{ userId, topicId: topicId(t), weight: c / total }] : []));
    });
    const topics = model.topics.map((t) => ({ id: topicId(t.index), label: t.label, terms: t.terms, size: t.size }));
    await this.repo.replace({ scope: prefix ?? '', runId, topics, interests });
    return { runId, texts: rows.length, users: perUser.size, topics: topics.map(({ id, label, size }) => ({ id, label, size })) };
  }
}
