/**
 * What serves an experiment variant: a model version, a diversity level, a candidate source order,
 * or trending only. Each becomes options of the one recommendation pipeline (PipelineOptions); a
 * variant never brings its own code path.
 */
import { BadInputError } from '../../errors';
import type { PipelineOptions } from '../recommendation/types';

export interface ExperimentStrategy {
  modelVersion?: string | null;
  diversity?: number | null;
  sourceOrder?: string[] | null;
  trendingOnly?: boolean | null;
}

export function pipelineOptions(strategy: ExperimentStrategy): PipelineOptions {
  const options: PipelineOptions = {};
  if (strategy.trendingOnly) options.sources = ['trending'];
  else if (strategy.sourceOrder?.length) options.sources = strategy.sourceOrder;
  if (strategy.diversity !== null && strategy.diversity !== undefined) options.diversity = strategy.diversity;
  if (strategy.modelVersion) options.modelVersion = strategy.modelVersion;
  return options;
}

/** Refuses source names the pipeline does not have and contradictory choices, naming the variant. */
export function checkStrategy(variant: string, strategy: ExperimentStrategy, sourceNames: string[]): void {
  const unknown = (strategy.sourceOrder ?? []).filter((name) => !sourceNames.includes(name));
  if (unknown.length > 0) throw new BadInputError(`variant "${variant}": unknown candidate sources ${unknown.join(', ')} (known: ${sourceNames.join(', ')})`);
  if (strategy.trendingOnly && strategy.sourceOrder?.length) throw new BadInputError(`variant "${variant}": trendingOnly and sourceOrder exclude each other`);
  if (strategy.diversity !== null && strategy.diversity !== undefined && !(strategy.diversity >= 0 && strategy.diversity <= 1)) {
    throw new BadInputError(`variant "${variant}": diversity must be within 0..1`);
  }
}
