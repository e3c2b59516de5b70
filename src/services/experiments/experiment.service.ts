/**
 * Experiments on recommendations, for admins (create, stop a variant, stop, conclude) and analysts
 * (list, report). Serving is experiment-serving.ts; the statistics are comparison.ts.
 */
import { randomUUID } from 'node:crypto';
import { BadInputError, DomainError, NotFoundError } from '../../errors';
import type { ExperimentDecisionRow, ExperimentRepository, ExperimentRow } from '../../repositories/experiment.repository';
import type { ActiveModelService } from '../active-model.service';
import type { RecommendationTokens } from '../recommendation/recommendation-token';
import { type Comparison, compare, type GroupInput } from './comparison';
import { cumulativeConversion, type SeriesMember, type VariantSeries } from './conversion-series';
import type { ExperimentServing } from './experiment-serving';
import { checkStrategy, type ExperimentStrategy } from './strategy';

export interface VariantInput {
  name: string;
  weight: number;
  strategy: ExperimentStrategy;
}

export interface CreateExperimentInput {
  name: string;
  variants: VariantInput[];
  /** Null or empty: every user. */
  segmentIds?: string[] | null;
  /** Epoch ms; default now. */
  start?: number | null;
  end: number;
}

export interface ExperimentReport {
  experiment: ExperimentRow;
  /** Until when outcomes were counted (the end, or now while running). */
  until: number;
  comparison: Comparison;
  /** Per variant, the clicks and purchases whose recommendationId this variant issued. */
  attributed: { variant: string; clicks: number; purchases: number }[];
  decisions: ExperimentDecisionRow[];
  /** Cumulative conversion rate per variant at the end of each day (conversion-series.ts). */
  series: VariantSeries[];
}

/** Pre-period for CUPED: as long as the experiment has run, at most this long. */
const MAX_PRE_PERIOD_MS = 28 * 24 * 3600 * 1000;

export class ExperimentService {
  constructor(
    private readonly experiments: ExperimentRepository,
    private readonly serving: ExperimentServing,
    private readonly active: ActiveModelService,
    private readonly tokens: RecommendationTokens,
    private readonly sourceNames: () => string[],
  ) {}

  async create(input: CreateExperimentInput): Promise<ExperimentRow> {
    const start = input.start ?? Date.now();
    if (!(input.end > start)) throw new BadInputError('end must be after start');
    const names = input.variants.map((v) => v.name);
    if (input.variants.length < 2) throw new BadInputError('an experiment needs at least two variants (the first is the control)');
    if (new Set(names).size !== names.length) throw new BadInputError('variant names must be distinct');
    for (const v of input.variants) {
      if (!(v.weight > 0)) throw new BadInputError(`variant "${v.name}": weight must be positive`);
      checkStrategy(v.name, v.strategy, this.sourceNames());
      if (v.strategy.modelVersion && !(await this.active.servable(v.strategy.modelVersion))) {
        throw new BadInputError(`variant "${v.name}": model version "${v.strategy.modelVersion}" is not published in a slot (only the active and the previous version can serve)`);
      }
    }
    const segmentIds = input.segmentIds?.length ? input.segmentIds : null;
    if (segmentIds) {
      const found = await this.experiments.existingSegments(segmentIds);
      const missing = segmentIds.filter((id) => !found.includes(id));
      if (missing.length > 0) throw new BadInputError(`unknown segments: ${missing.join(', ')}`);
    }
    const id = `exp_${randomUUID()}`;
    await this.experiments.create({
      id,
      name: input.name,
      start,
      end: input.end,
      segmentIds,
      variants: input.variants.map((v, position) => ({ name: v.name, position, weight: v.weight, strategy: JSON.stringify(v.strategy) })),
    });
    this.serving.invalidate();
    return this.get(id);
  }

  async get(id: string): Promise<ExperimentRow> {
    const row = await this.experiments.byId(id);
    if (!row) throw new NotFoundError('Experiment', id);
    return row;
  }

  async list(): Promise<ExperimentRow[]> {
    return this.experiments.all();
  }

  async decisions(id: string): Promise<ExperimentDecisionRow[]> {
    return this.experiments.decisions(id);
  }

  /** Stops one variant by hand: its users are served as control from the next refresh on. */
  async stopVariant(id: string, variant: string, reason: string): Promise<ExperimentRow> {
    const experiment = await this.get(id);
    const index = experiment.variants.findIndex((v) => v.name === variant);
    if (index < 0) throw new NotFoundError('Variant', variant);
    if (index === 0) throw new BadInputError('the control cannot be stopped; stop or conclude the experiment instead');
    await this.experiments.stopVariant(id, variant, reason);
    this.serving.invalidate();
    return this.get(id);
  }

  /** Ends a running experiment: STOP (abandoned) or CONCLUDE (decided), with the reason recorded. */
  async end(id: string, kind: 'STOP' | 'CONCLUDE', reason: string): Promise<ExperimentRow> {
    const experiment = await this.get(id);
    if (!(await this.experiments.end(id, kind, reason))) {
      throw new DomainError('CONFLICT', `experiment "${id}" is ${experiment.status.toLowerCase()}, not running`);
    }
    this.serving.invalidate();
    return this.get(id);
  }

  async report(id: string): Promise<ExperimentReport> {
    // Counts still in this server's memory belong in the report.
    await this.serving.flush();
    const experiment = await this.get(id);
    const until = Math.min(experiment.end, Date.now());
    const preFrom = experiment.start - Math.min(MAX_PRE_PERIOD_MS, Math.max(0, until - experiment.start));
    const rows = await this.experiments.members(id, { start: experiment.start, until, preFrom });
    const groups: GroupInput[] = experiment.variants.map((v) => ({ name: v.name, weight: v.weight, members: [] }));
    const byName = new Map(groups.map((g) => [g.name, g]));
    const attributed = new Map(experiment.variants.map((v) => [v.name, { variant: v.name, clicks: 0, purchases: 0 }]));
    const timeline: SeriesMember[] = [];
    for (const row of rows) {
      timeline.push({ variant: row.variant, firstAt: row.firstAt, firstPurchaseAt: row.firstPurchaseAt });
      byName.get(row.variant)?.members.push({
        converted: row.purchases > 0,
        revenue: row.revenue,
        clicks: row.clicks,
        exposures: row.exposures,
        pre: row.pre,
      });
      for (const [type, token] of row.cited) {
        const cited = this.tokens.verify(token)?.experiment;
        const counts = cited?.id === id ? attributed.get(cited.variant) : undefined;
        if (counts && type === 'CLICK') counts.clicks += 1;
        if (counts && type === 'PURCHASE') counts.purchases += 1;
      }
    }
    return {
      experiment,
      until,
      comparison: compare(groups),
      attributed: [...attributed.values()],
      decisions: await this.experiments.decisions(id),
      series: cumulativeConversion(experiment.variants.map((v) => v.name), timeline, experiment.start, until),
    };
  }
}
