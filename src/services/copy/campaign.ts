/**
 * A marketer's campaign file: one row per product and audience (segment or user), optionally with
 * its own channel, tone, locale and variant count; the rest come from the command line. Each
 * generated variant becomes one output row with its checks, for review in a spreadsheet.
 */
import { CHANNELS, Channel, LOCALES, Locale, TONES, Tone } from './copy-types';
import type { CopyRequest, CopyResult } from './copy.service';

export type CampaignDefaults = Pick<CopyRequest, 'channel' | 'tone' | 'locale' | 'variants'>;

export const OUTPUT_COLUMNS = ['product', 'audience', 'channel', 'tone', 'locale', 'variant', 'source', 'score', 'text', 'failed_checks', 'facts_used', 'model', 'fallback'] as const;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, line: number, fallback: T): T {
  if (value === undefined || value === '') return fallback;
  const v = (name === 'locale' ? value.toLowerCase() : value.toUpperCase()) as T;
  if (!allowed.includes(v)) throw new Error(`line ${line}: ${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return v;
}

/** Campaign rows (header: product, segment or user, and optional channel, tone, locale, variants) as requests. */
export function campaignRequests(rows: Record<string, string>[], defaults: CampaignDefaults): CopyRequest[] {
  return rows.map((row, i) => {
    const line = i + 2;
    if (!row.product) throw new Error(`line ${line}: product is required`);
    if (!row.segment === !row.user) throw new Error(`line ${line}: give exactly one of segment and user`);
    const variants = row.variants ? Number(row.variants) : defaults.variants;
    if (!Number.isInteger(variants) || variants < 1) throw new Error(`line ${line}: variants must be a positive integer`);
    return {
      productId: row.product,
      segmentId: row.segment || null,
      userId: row.user || null,
      channel: oneOf<Channel>(row.channel, CHANNELS, 'channel', line, defaults.channel),
      tone: oneOf<Tone>(row.tone, TONES, 'tone', line, defaults.tone),
      locale: oneOf<Locale>(row.locale, LOCALES, 'locale', line, defaults.locale),
      variants,
    };
  });
}

export function resultRows(result: CopyResult): (string | number)[][] {
  return result.variants.map((v, i) => [
    result.productId,
    `${result.audience.kind}:${result.audience.id}`,
    result.channel,
    result.tone,
    result.locale,
    i + 1,
    v.source,
    Number(v.score.toFixed(3)),
    v.text,
    v.checks.filter((c) => !c.passed).map((c) => `${c.check}: ${c.detail ?? ''}`).join('; '),
    v.factsUsed.map((f) => `${f.kind}=${f.value}`).join('; '),
    v.model ?? '',
    result.fallbackReason ?? '',
  ]);
}
