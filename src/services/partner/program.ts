/**
 * A partner program's terms and the rules read from them: which version was in force at a time,
 * the commission rate of a product (the override of its nearest category, else the default), and
 * the landing URL a tracking link redirects to.
 */
import { BadInputError } from '../../errors';
import type { ProgramRow, ProgramWrite } from '../../repositories/partner.repository';

export type Program = ProgramRow;

export interface ProgramTermsInput {
  defaultRate: number;
  categoryRates?: { categoryId: string; rate: number }[] | null;
  allowCategoryIds?: string[] | null;
  allowProductIds?: string[] | null;
  denyProductIds?: string[] | null;
  attributionWindowDays?: number | null;
  clickLifetimeSeconds?: number | null;
  landingUrlTemplate: string;
  attribution?: 'LAST_CLICK' | 'FIRST_CLICK' | null;
}

export const DEFAULT_WINDOW_DAYS = 30;
export const DEFAULT_CLICK_LIFETIME_S = 7 * 86_400;

/** The stored form of new terms, in force from `now`. */
export function toProgramWrite(input: ProgramTermsInput, now: number): ProgramWrite {
  if (!/\{productId\}/.test(input.landingUrlTemplate)) {
    throw new BadInputError('landingUrlTemplate must contain {productId}', { fields: ['landingUrlTemplate'] });
  }
  try {
    new URL(input.landingUrlTemplate.replace(/\{productId\}/g, 'x'));
  } catch {
    throw new BadInputError('landingUrlTemplate must be an absolute URL', { fields: ['landingUrlTemplate'] });
  }
  const rates = input.categoryRates ?? [];
  return {
    effectiveFrom: now,
    defaultRate: input.defaultRate,
    rateCategoryIds: rates.map((r) => r.categoryId),
    rateValues: rates.map((r) => r.rate),
    allowCategoryIds: input.allowCategoryIds && input.allowCategoryIds.length > 0 ? input.allowCategoryIds : null,
    allowProductIds: input.allowProductIds ?? null,
    denyProductIds: input.denyProductIds ?? [],
    windowDays: input.attributionWindowDays ?? DEFAULT_WINDOW_DAYS,
    clickLifetimeS: input.clickLifetimeSeconds ?? DEFAULT_CLICK_LIFETIME_S,
    landingUrl: input.landingUrlTemplate,
    attribution: input.attribution ?? 'LAST_CLICK',
  };
}

/** The version in force at `at` (epoch ms): the latest that started at or before it; versions oldest first. */
export function programAt(versions: Program[], at: number): Program | undefined {
  let found: Program | undefined;
  for (const v of versions) if (v.effectiveFrom <= at) found = v;
  return found;
}

/**
 * The commission rate of a product whose categories, nearest first, are `ancestry` (its own
 * categories, then their parents, ...); 0 when the program does not allow the product.
 */
export function commissionRate(program: Program, productId: string, ancestry: string[]): number {
  if (program.denyProductIds.includes(productId)) return 0;
  if (program.allowProductIds !== null && !program.allowProductIds.includes(productId)) return 0;
  if (program.allowCategoryIds !== null && !ancestry.some((c) => program.allowCategoryIds?.includes(c))) return 0;
  for (const categoryId of ancestry) {
    const i = program.rateCategoryIds.indexOf(categoryId);
    if (i >= 0) return program.rateValues[i];
  }
  return program.defaultRate;
}

export function landingUrl(program: Program, productId: string): string {
  return program.landingUrl.replace(/\{productId\}/g, encodeURIComponent(productId));
}
