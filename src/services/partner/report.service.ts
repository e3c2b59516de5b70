/**
 * Reports: partnerReport for the calling partner only (privacy.ts rules: minimum group sizes per
 * (day, key) atom, keyed Laplace noise charged to the partner's epsilon budget), and for analysts
 * programPerformance across partners and audienceOverlap between partners (audience cells below
 * the audience minimum suppressed).
 */
import { BadInputError, ForbiddenError } from '../../errors';
import type { ClickCell, ConversionCell, OverlapRow, PerformanceRow, PartnerReportRepository, ReportGroup } from '../../repositories/partner-report.repository';
import { Atom, dayRange, DAY_MS, releaseSums, suppressCells } from './privacy';

export interface ReportRow {
  key: string;
  recommendationsServed: number;
  clicks: number | null;
  uniqueClicks: number | null;
  ctr: number | null;
  conversions: number | null;
  conversionRate: number | null;
  revenue: number | null;
  commission: number | null;
  epc: number | null;
}

export interface PartnerReport {
  from: number;
  to: number;
  rows: ReportRow[];
  minGroupSize: number;
  epsilonSpent: number | null;
  epsilonBudget: number;
}

export interface OverlapCell {
  partnerA: string;
  partnerB: string;
  members: number | null;
  segments: { segmentId: string; label: string | null; members: number | null }[];
}

export interface PrivacyRules {
  minAudience: number;
  minEvents: number;
  epsilonPerQuery: number;
  epsilonBudget: number;
  /** Keys the noise (privacy.ts keyedLaplace). */
  secret: string;
}

const MAX_DAYS = 366;
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : Math.round((a / b) * 10000) / 10000;

export class PartnerReportService {
  constructor(
    private readonly repo: PartnerReportRepository,
    private readonly rules: PrivacyRules,
  ) {}

  async partnerReport(args: { partnerId: string; from: Date; to: Date; groupBy: ReportGroup }): Promise<PartnerReport> {
    const range = dayRange(args.from, args.to);
    if (range.to - range.from > MAX_DAYS * DAY_MS) throw new BadInputError(`A report spans at most ${MAX_DAYS} days`, { fields: ['from', 'to'] });
    const { epsilonPerQuery: epsilon, epsilonBudget: budget } = this.rules;
    let spent: number | null = null;
    if (epsilon > 0) {
      spent = await this.repo.chargeEpsilon(args.partnerId, epsilon, budget);
      if (spent === null) throw new ForbiddenError(`The privacy budget of this partner (epsilon ${budget}) is spent; reports need ${epsilon} each.`);
    }
    const query = { partnerId: args.partnerId, ...range, groupBy: args.groupBy };
    const [clickCells, conversionCells, servedCells] = await Promise.all([this.repo.clickCells(query), this.repo.conversionCells(query), this.repo.servedCells(query)]);
    // Three noisy metric groups per query share its epsilon.
    const scale = epsilon > 0 ? 3 / epsilon : 0;
    const release = (atoms: Atom[], family: string, integerMetrics: string[], noisy: string[]) =>
      releaseSums({
        atoms: args.groupBy === 'DAY' ? atoms : complementary(atoms, this.rules.minEvents),
        minMembers: this.rules.minEvents,
        noiseScale: (metric) => (noisy.includes(metric) ? scale : 0),
        secret: this.rules.secret,
        scope: `${args.partnerId}|${family}|${args.groupBy}`,
        integerMetrics,
      });
    const clicks = release(clickCells.map(clickAtom), 'clicks', ['clicks', 'uniqueClicks'], ['clicks', 'uniqueClicks']);
    const conversions = release(conversionCells.map(conversionAtom), 'conversions', ['conversions'], ['conversions']);
    const served = new Map<string, number>();
    for (const c of servedCells) served.set(c.key, (served.get(c.key) ?? 0) + c.served);
    const keys = [...new Set([...served.keys(), ...clicks.keys(), ...conversions.keys()])].sort();
    const rows = keys.map((key): ReportRow => {
      const c = clicks.get(key)?.values ?? null;
      const v = conversions.get(key)?.values ?? null;
      const recommendationsServed = served.get(key) ?? 0;
      return {
        key,
        recommendationsServed,
        clicks: c?.clicks ?? null,
        uniqueClicks: c?.uniqueClicks ?? null,
        ctr: ratio(c?.clicks, recommendationsServed),
        conversions: v?.conversions ?? null,
        conversionRate: ratio(v?.conversions, c?.clicks),
        revenue: v?.revenue ?? null,
        commission: v?.commission ?? null,
        epc: ratio(v?.commission, c?.clicks),
      };
    });
    return { ...range, rows, minGroupSize: this.rules.minEvents, epsilonSpent: spent, epsilonBudget: budget };
  }

  async programPerformance(from: Date, to: Date): Promise<PerformanceRow[]> {
    const range = dayRange(from, to);
    return this.repo.performance(range.from, range.to);
  }

  /** Pairs of partners (a partner with itself: its audience), suppressed below the audience minimum. */
  async audienceOverlap(partnerIds: string[]): Promise<OverlapCell[]> {
    if (partnerIds.length === 0 || partnerIds.length > 20) throw new BadInputError('Give 1 to 20 partnerIds', { fields: ['partnerIds'] });
    const rows: OverlapRow[] = await this.repo.overlap([...new Set(partnerIds)]);
    const min = this.rules.minAudience;
    return rows.map((r) => {
      const shown = r.members >= min;
      return {
        partnerA: r.a,
        partnerB: r.b,
        members: shown ? r.members : null,
        segments: shown
          ? suppressCells(r.segments.sort((x, y) => x.segmentId.localeCompare(y.segmentId)), min).map((s) => ({ segmentId: s.segmentId, label: s.label, members: s.suppressed ? null : s.members }))
          : [],
      };
    });
  }
}

const clickAtom = (c: ClickCell): Atom => ({ day: c.day, key: c.key, members: c.members, values: { clicks: c.clicks, uniqueClicks: c.members } });
const conversionAtom = (c: ConversionCell): Atom => ({
  day: c.day,
  key: c.key,
  members: c.members,
  values: { conversions: c.conversions, revenue: c.revenue, commission: c.commission },
});

/** Per day, hide a second atom when only one would be hidden: the day's DAY total minus the shown keys would reveal it. */
function complementary(atoms: Atom[], minMembers: number): Atom[] {
  const byDay = new Map<string, Atom[]>();
  for (const a of atoms) byDay.set(a.day, [...(byDay.get(a.day) ?? []), a]);
  return [...byDay.values()].flatMap((day) => suppressCells(day, minMembers).map((a) => (a.suppressed ? { ...a, members: 0 } : a)));
}
