/**
 * Readable segment labels from RFM and categories, e.g. "frequent drama fans" or "lapsed comedy
 * fans": an activity word from the segment's mean RFM quintiles and the category that best sets
 * the segment apart (highest lift among its largest categories, so "drama" does not name every segment).
 * A topic of what the members write (`affinity topics`) names the segment instead when it says more:
 * its lift (mean weight in the segment / mean weight in the population) is above the best category's
 * lift, and at least MIN_TOPIC_SHARE of the segment's writing is on it (a niche topic with a huge
 * lift from two members names nobody).
 */

export interface LabelInput {
  /** Mean quintiles of the members, 1..5 (5 = most recent / most frequent). */
  recencyQuintile: number;
  frequencyQuintile: number;
  /** Mean category shares of the members, by category name. */
  categoryShares: { name: string; share: number }[];
  /** Mean topic weights of the members (0 for members who wrote nothing), by topic label. */
  topicShares?: { label: string; share: number }[];
}

/** The least mean topic weight in a segment for its topic to name the segment. */
export const MIN_TOPIC_SHARE = 0.1;

export function activityWord(recencyQuintile: number, frequencyQuintile: number): string {
  if (recencyQuintile <= 2.2) return 'lapsed';
  if (frequencyQuintile >= 3.6) return 'frequent';
  if (recencyQuintile >= 3.8 && frequencyQuintile <= 2.4) return 'new';
  return 'occasional';
}

/**
 * Category names ranked by lift (share in segment / share in population) among the segment's five
 * largest categories, so the label names what sets the segment apart without picking a niche.
 */
export function distinctiveCategories(segment: LabelInput['categoryShares'], population: ReadonlyMap<string, number>): string[] {
  return [...segment]
    .filter((c) => c.share > 0)
    .sort((a, b) => b.share - a.share || a.name.localeCompare(b.name))
    .slice(0, 5)
    .map((c) => ({ name: c.name, lift: c.share / Math.max(population.get(c.name) ?? c.share, 1e-9) }))
    .sort((a, b) => b.lift - a.lift || a.name.localeCompare(b.name))
    .map((c) => c.name);
}

const lift = (share: number, base: number | undefined): number => share / Math.max(base ?? share, 1e-9);

/**
 * The topic that says more about the segment than its categories do, or null: the highest-lift
 * topic with at least MIN_TOPIC_SHARE, when that lift exceeds the best of the distinctive categories'.
 */
export function topicThatSaysMore(
  segment: LabelInput,
  categoryPopulation: ReadonlyMap<string, number>,
  topicPopulation: ReadonlyMap<string, number>,
): { label: string; lift: number; categoryLift: number } | null {
  const best = [...(segment.topicShares ?? [])]
    .filter((t) => t.share >= MIN_TOPIC_SHARE)
    .map((t) => ({ label: t.label, lift: lift(t.share, topicPopulation.get(t.label)) }))
    .sort((a, b) => b.lift - a.lift || a.label.localeCompare(b.label))[0];
  if (!best) return null;
  const top = distinctiveCategories(segment.categoryShares, categoryPopulation)[0];
  const categoryShare = segment.categoryShares.find((c) => c.name === top)?.share;
  const categoryLift = top === undefined || categoryShare === undefined ? 0 : lift(categoryShare, categoryPopulation.get(top));
  return best.lift > categoryLift ? { ...best, categoryLift } : null;
}

/** Chinese labels for a catalogue whose category names are Chinese (`seed synthetic --locale zh`). */
const ZH_WORDS: Record<string, string> = { lapsed: '流失', frequent: '常购', new: '新晋', occasional: '偶购' };
const HAN = /\p{Script=Han}/u;

/** The leaf of a "Root > Leaf" category path: the part that says most. */
const leafName = (category: string): string => category.split(' > ').pop() ?? category;

function phrase(word: string, categories: string[]): string {
  if (categories.some((c) => HAN.test(c))) {
    const topic = categories.map(leafName).join('、');
    return topic ? `${ZH_WORDS[word] ?? word}${topic}的顾客` : `${ZH_WORDS[word] ?? word}顾客`;
  }
  const topic = categories.map((c) => c.toLowerCase()).join(' & ');
  return topic ? `${word} ${topic} fans` : `${word} shoppers`;
}

/** "frequent fans of pixar & toys" / "常购关注「降噪 · 续航」的顾客": a topic label's first two terms. */
function topicPhrase(word: string, topicLabel: string): string {
  const terms = topicLabel.split(' · ').slice(0, 2);
  if (HAN.test(topicLabel)) return `${ZH_WORDS[word] ?? word}关注「${terms.join(' · ')}」的顾客`;
  return `${word} fans of ${terms.join(' & ')}`;
}

/**
 * One label per segment, unique within the run: a clash adds the next distinctive category.
 * With `topicPopulation` (mean topic weights over all users), a topic that says more names it.
 */
export function segmentLabels(
  segments: readonly LabelInput[],
  population: ReadonlyMap<string, number>,
  topicPopulation?: ReadonlyMap<string, number>,
): string[] {
  const used = new Set<string>();
  return segments.map((segment) => {
    const word = activityWord(segment.recencyQuintile, segment.frequencyQuintile);
    const topic = topicPopulation ? topicThatSaysMore(segment, population, topicPopulation) : null;
    if (topic && !used.has(topicPhrase(word, topic.label))) {
      used.add(topicPhrase(word, topic.label));
      return topicPhrase(word, topic.label);
    }
    const ranked = distinctiveCategories(segment.categoryShares, population);
    let label = phrase(word, ranked.slice(0, 1));
    for (let extra = 2; used.has(label) && extra <= Math.min(3, ranked.length); extra++) label = phrase(word, ranked.slice(0, extra));
    for (let n = 2; used.has(label); n++) label = `${phrase(word, ranked.slice(0, 1))} (${n})`;
    used.add(label);
    return label;
  });
}
