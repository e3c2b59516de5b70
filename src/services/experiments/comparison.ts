/**
 * The comparison an experiment or campaign report shows: per group its members' outcomes reduced to
 * rates with 95% intervals, and each group against the control (the first): relative lift in
 * conversion and in revenue per member (plain and CUPED-adjusted on pre-period activity), an
 * always-valid mSPRT p-value (may be read at every peek) and the sample-ratio check. The lift
 * intervals are fixed-horizon: read them once, at the planned end; before that use the sequential p.
 */
import { cuped } from './statistics/cuped';
import { type Interval } from './statistics/interval';
import { type Lift, relativeLift } from './statistics/lift';
import { meanInterval, proportionInterval } from './statistics/rates';
import { msprt } from './statistics/sequential';
import { type SampleRatioCheck, sampleRatioMismatch } from './statistics/srm';
import { summarize } from './statistics/summary';

export interface MemberOutcome {
  converted: boolean;
  revenue: number;
  clicks: number;
  /** Recommendation responses served to the member (experiments; 0 for campaigns). */
  exposures: number;
  /** Pre-period activity: the member's events in the window of equal length before the start (CUPED's covariate). */
  pre: number;
}

export interface GroupInput {
  name: string;
  weight: number;
  members: MemberOutcome[];
}

export interface VersusControl {
  conversionLift: Lift | null;
  revenueLift: Lift | null;
  cupedConversionLift: Lift | null;
  cupedRevenueLift: Lift | null;
  /** Share of the conversion metric's variance CUPED removed (over both groups). */
  varianceReduction: number;
  /** Always-valid p-value (mSPRT) of "no difference in conversion", CUPED-adjusted. */
  sequentialPValue: number;
}

export interface GroupReport {
  name: string;
  users: number;
  exposures: number;
  clicks: number;
  conversions: number;
  revenue: number;
  conversionRate: Interval;
  revenuePerMember: Interval;
  /** Null for the control itself. */
  versusControl: VersusControl | null;
}

export interface Comparison {
  groups: GroupReport[];
  sampleRatio: SampleRatioCheck;
}

export interface ComparisonOptions {
  /** The relative effect the sequential test is tuned to find (its mixing sd is this × control's rate). */
  effectOfInterest: number;
}

export function compare(groups: GroupInput[], options: ComparisonOptions = { effectOfInterest: 0.05 }): Comparison {
  const control = groups[0];
  const reports = groups.map((g, i) => {
    const conversion = Float64Array.from(g.members, (m) => (m.converted ? 1 : 0));
    const revenue = Float64Array.from(g.members, (m) => m.revenue);
    const conversions = conversion.reduce((a, b) => a + b, 0);
    const report: GroupReport = {
      name: g.name,
      users: g.members.length,
      exposures: g.members.reduce((a, m) => a + m.exposures, 0),
      clicks: g.members.reduce((a, m) => a + m.clicks, 0),
      conversions,
      revenue: revenue.reduce((a, b) => a + b, 0),
      conversionRate: proportionInterval(conversions, g.members.length),
      revenuePerMember: meanInterval(summarize(revenue)),
      versusControl: i === 0 ? null : versus(g, control, options),
    };
    return report;
  });
  return { groups: reports, sampleRatio: sampleRatioMismatch(groups.map((g) => g.members.length), groups.map((g) => g.weight)) };
}

function versus(group: GroupInput, control: GroupInput, options: ComparisonOptions): VersusControl {
  const metric = (g: GroupInput, pick: (m: MemberOutcome) => number) => ({
    metric: Float64Array.from(g.members, pick),
    covariate: Float64Array.from(g.members, (m) => m.pre),
  });
  const conv = (m: MemberOutcome) => (m.converted ? 1 : 0);
  const rev = (m: MemberOutcome) => m.revenue;
  const [c, t] = [metric(control, conv), metric(group, conv)];
  const [cr, tr] = [metric(control, rev), metric(group, rev)];
  const adjusted = cuped([c, t]);
  const adjustedRevenue = cuped([cr, tr]);
  const adjControl = summarize(adjusted.adjusted[0]);
  const adjGroup = summarize(adjusted.adjusted[1]);
  return {
    conversionLift: relativeLift(summarize(t.metric), summarize(c.metric)),
    revenueLift: relativeLift(summarize(tr.metric), summarize(cr.metric)),
    cupedConversionLift: relativeLift(adjGroup, adjControl),
    cupedRevenueLift: relativeLift(summarize(adjustedRevenue.adjusted[1]), summarize(adjustedRevenue.adjusted[0])),
    varianceReduction: adjusted.varianceReduction,
    sequentialPValue: msprt(adjGroup, adjControl, Math.max(1e-9, options.effectOfInterest * adjControl.mean)).pValue,
  };
}
