/** The GraphQL view of a stored program version. */
import type { Program } from '../../services/partner/program';
import type { ProgramTerms } from './program.type';

export function toProgramTerms(p: Program): ProgramTerms {
  return {
    version: p.version,
    effectiveFrom: new Date(p.effectiveFrom),
    defaultRate: p.defaultRate,
    categoryRates: p.rateCategoryIds.map((categoryId, i) => ({ categoryId, rate: p.rateValues[i] })),
    allowCategoryIds: p.allowCategoryIds,
    allowProductIds: p.allowProductIds,
    denyProductIds: p.denyProductIds,
    attributionWindowDays: p.windowDays,
    clickLifetimeSeconds: p.clickLifetimeS,
    landingUrlTemplate: p.landingUrl,
    attribution: p.attribution,
  };
}
