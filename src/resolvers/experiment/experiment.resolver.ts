import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import type { ExperimentRow } from '../../repositories/experiment.repository';
import type { ExperimentReport as Report } from '../../services/experiments/experiment.service';
import { quantileMs } from '../../services/experiments/guardrails';
import type { ExperimentStrategy } from '../../services/experiments/strategy';
import { CreateExperimentInput } from './experiment.input';
import { Experiment, ExperimentReport } from './experiment.type';

export function toExperiment(row: ExperimentRow): Experiment {
  return {
    ...row,
    start: new Date(row.start),
    end: new Date(row.end),
    variants: row.variants.map((v) => ({ ...v, strategy: JSON.parse(v.strategy) as ExperimentStrategy, p99LatencyMs: quantileMs(v.latency, 0.99) })),
  };
}

function toReport(report: Report): ExperimentReport {
  return {
    experiment: toExperiment(report.experiment),
    until: new Date(report.until),
    variants: report.comparison.groups,
    sampleRatio: report.comparison.sampleRatio,
    attributed: report.attributed,
    decisions: report.decisions.map((d) => ({ ...d, at: new Date(d.at) })),
    series: report.series.map((s) => ({ variant: s.variant, points: s.points.map((p) => ({ ...p, at: new Date(p.at) })) })),
  };
}

@Resolver(() => Experiment)
export class ExperimentResolver {
  @Authorized('analyst', 'admin')
  @Query(() => [Experiment], { description: 'Every experiment, newest first. Analyst or admin.' })
  async experiments(@Ctx() ctx: Context): Promise<Experiment[]> {
    return (await ctx.services.experiments.list()).map(toExperiment);
  }

  @Authorized('analyst', 'admin')
  @Query(() => Experiment)
  async experiment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Experiment> {
    return toExperiment(await ctx.services.experiments.get(id));
  }

  @Authorized('analyst', 'admin')
  @Query(() => ExperimentReport, { description: 'Per variant: users, exposures, clicks, conversions, revenue, rates with 95% intervals, lift (plain and CUPED), sequential p-value, SRM.' })
  async experimentReport(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ExperimentReport> {
    return toReport(await ctx.services.experiments.report(id));
  }

  @Authorized('admin')
  @Mutation(() => Experiment, { description: 'Starts an experiment on recommendations. Admin only.' })
  async createExperiment(@Arg('input', () => CreateExperimentInput) input: CreateExperimentInput, @Ctx() ctx: Context): Promise<Experiment> {
    const row = await ctx.services.experiments.create({
      name: input.name,
      variants: input.variants.map((v) => ({ name: v.name, weight: v.weight, strategy: { ...v.strategy } })),
      segmentIds: input.segmentIds,
      start: input.start?.getTime() ?? null,
      end: input.end.getTime(),
    });
    return toExperiment(row);
  }

  @Authorized('admin')
  @Mutation(() => Experiment, { description: 'Stops one variant (not the control): its users are served as the control. The reason is recorded.' })
  async stopExperimentVariant(
    @Arg('id', () => ID) id: string,
    @Arg('variant') variant: string,
    @Arg('reason') reason: string,
    @Ctx() ctx: Context,
  ): Promise<Experiment> {
    return toExperiment(await ctx.services.experiments.stopVariant(id, variant, reason));
  }

  @Authorized('admin')
  @Mutation(() => Experiment, { description: 'Ends a running experiment without a decision; everyone is served as before. The reason is recorded.' })
  async stopExperiment(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: Context): Promise<Experiment> {
    return toExperiment(await ctx.services.experiments.end(id, 'STOP', reason));
  }

  @Authorized('admin')
  @Mutation(() => Experiment, { description: 'Ends a running experiment with a decision (the reason says which variant won and why).' })
  async concludeExperiment(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: Context): Promise<Experiment> {
    return toExperiment(await ctx.services.experiments.end(id, 'CONCLUDE', reason));
  }
}
