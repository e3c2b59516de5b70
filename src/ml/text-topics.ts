/**
 * Topics of what users write (reviews), BERTopic-style: texts are embedded by the sentence encoder,
 * clustered by k-means (src/ml/kmeans.ts, k by silhouette), and each cluster is labelled by its most
 * distinctive terms under class-based TF-IDF (c-TF-IDF: all of a cluster's texts as one document,
 * a term's weight tf_{t,c} · log(1 + A / f_t), A = mean terms per cluster, f_t = the term's count in
 * all clusters), so a word every review uses ("great", "很") names no topic.
 * Words come from Intl.Segmenter (ICU's dictionary segmentation, which splits Chinese into words),
 * lower-cased, without stop words, digits and single Latin letters.
 */
import { chooseK } from './kmeans';

export interface TextTopic {
  /** Cluster index, 0 = largest. */
  index: number;
  /** The top terms joined: "noise cancellation · battery" or "降噪 · 续航". */
  label: string;
  terms: string[];
  size: number;
}

export interface TextTopicModel {
  topics: TextTopic[];
  /** Topic index per input text. */
  assignments: number[];
}

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have i in is it its of on or so that the this to was were with my me we you they not ' +
    'very really just too also all one it\'s i\'m do does did would will can could than then there their them our your what which who ' +
    '的 了 是 很 也 都 和 在 有 就 这 那 我 你 他 她 它 们 个 款 还 又 但 与 及 吗 呢 吧 啊 得 地 着 过 被 把 让 对 用'
  ).split(' '),
);

const segmenters = new Map<string, Intl.Segmenter>();

/** The words of a text that can name a topic. */
export function topicTerms(text: string): string[] {
  const locale = /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
  let segmenter = segmenters.get(locale);
  if (!segmenter) segmenters.set(locale, (segmenter = new Intl.Segmenter(locale, { granularity: 'word' })));
  const out: string[] = [];
  for (const s of segmenter.segment(text.toLowerCase())) {
    const w = s.segment;
    if (!s.isWordLike || STOP_WORDS.has(w) || /^\d+$/.test(w) || /^[a-z]$/.test(w)) continue;
    out.push(w);
  }
  return out;
}

/** c-TF-IDF weights of each cluster's terms, best first, ties by term. */
export function classTfIdf(termsPerCluster: readonly (readonly string[])[]): { term: string; weight: number }[][] {
  const counts = termsPerCluster.map((terms) => {
    const m = new Map<string, number>();
    for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  });
  const total = new Map<string, number>();
  for (const m of counts) for (const [t, n] of m) total.set(t, (total.get(t) ?? 0) + n);
  const meanWords = termsPerCluster.reduce((s, t) => s + t.length, 0) / Math.max(1, termsPerCluster.length);
  return counts.map((m, c) => {
    const size = Math.max(1, termsPerCluster[c].length);
    return [...m.entries()]
      .map(([term, n]) => ({ term, weight: (n / size) * Math.log(1 + meanWords / (total.get(term) ?? n)) }))
      .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  });
}

/** Clusters the texts' vectors (k from minK..maxK by silhouette) and labels each cluster by c-TF-IDF. */
export function fitTextTopics(input: {
  texts: readonly string[];
  vectors: readonly Float32Array[];
  minK?: number;
  maxK?: number;
  seed: number;
  /** Terms per label (default 3). */
  labelTerms?: number;
}): TextTopicModel {
  const { texts, vectors } = input;
  if (texts.length !== vectors.length) throw new Error('fitTextTopics: one vector per text');
  if (texts.length < 3) return { topics: [], assignments: texts.map(() => -1) };
  const clustering = chooseK(vectors.map((v) => Array.from(v)), { minK: input.minK ?? 2, maxK: input.maxK ?? 12, seed: input.seed });
  const termsPerCluster: string[][] = Array.from({ length: clustering.k }, () => []);
  clustering.assignments.forEach((c, i) => termsPerCluster[c].push(...topicTerms(texts[i])));
  const ranked = classTfIdf(termsPerCluster);
  const sizes = new Array<number>(clustering.k).fill(0);
  for (const c of clustering.assignments) sizes[c]++;
  const n = input.labelTerms ?? 3;
  const topics = ranked.map((terms, index) => {
    const top = terms.slice(0, n).map((t) => t.term);
    return { index, label: top.join(' · '), terms: terms.slice(0, 10).map((t) => t.term), size: sizes[index] };
  });
  return { topics, assignments: clustering.assignments };
}
