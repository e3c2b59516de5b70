/**
 * Readable segment labels from RFM and categories, e.g. "frequent drama fans" or "lapsed comedy
 * fans": an activity word from the segment's mean RFM quintiles and the category that best sets
 * the segment apart (highest lift among its largest categories, so "drama" does not name every segment).
 */

export interface LabelInput {
  /** Mean quintiles of the members, 1..5 (5 = most recent / most frequent). */
  recencyQuintile: number;
  frequencyQuintile: number;
  /** Mean category shares of the members, by category name. */
  categoryShares: { name: string; share: number }[];
}

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

/** One label per segment, unique within the run: a clash adds the next distinctive category. */
export function segmentLabels(segments: readonly LabelInput[], population: ReadonlyMap<string, number>): string[] {
  const used = new Set<string>();
  return segments.map((segment) => {
    const word = activityWord(segment.recencyQuintile, segment.frequencyQuintile);
    const ranked = distinctiveCategories(segment.categoryShares, population);
    let label = phrase(word, ranked.slice(0, 1));
    for (let extra = 2; used.has(label) && extra <= Math.min(3, ranked.length); extra++) label = phrase(word, ranked.slice(0, extra));
    for (let n = 2; used.has(label); n++) label = `${phrase(word, ranked.slice(0, 1))} (${n})`;
    used.add(label);
    return label;
  });
}
