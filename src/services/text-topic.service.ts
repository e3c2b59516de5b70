/** What a user writes about: their weights on the topics `affinity topics` found (src/pipeline/text-topics.ts). */
import type { TextInterestRow, TextTopicRepository } from '../repositories/text-topic.repository';

export class TextTopicService {
  constructor(private readonly repo: TextTopicRepository) {}

  async interests(userId: string): Promise<TextInterestRow[]> {
    return this.repo.interests(userId);
  }
}
