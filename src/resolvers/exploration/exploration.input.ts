import { ArrayMaxSize, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, Int } from 'type-graphql';
import type { InteractionType } from '../../domain/records';
import { MAX_PATH_HOPS } from '../../repositories/exploration.repository';
import { MAX_CO_PURCHASE, MAX_DEPTH, MAX_MODEL_VERSIONS, MAX_PATHS, MAX_SEGMENTS } from '../../services/exploration/exploration.service';
import { InteractionTypeEnum } from '../common/scalars';

/** "x must be an integer from 1 to 3" for both bounds, so the message says the whole rule. */
const range = (min: number, max: number): PropertyDecorator => {
  const message = `$property must be an integer from ${min} to ${max}; got $value`;
  return (target, property) => {
    Min(min, { message })(target, property);
    Max(max, { message })(target, property);
  };
};
/** Upper bounds that come from configuration (ANALYST_MAX_NODES, ...) are checked by the service. */
const atLeastOne = (): PropertyDecorator => Min(1, { message: '$property must be at least 1; got $value' });

@ArgsType()
export class NeighborhoodArgs {
  @Field(() => ID) nodeId!: string;
  @range(1, MAX_DEPTH)
  @Field(() => Int, { nullable: true, defaultValue: 1 })
  depth?: number;
  @atLeastOne()
  @Field(() => Int, { nullable: true, defaultValue: 100 })
  limit?: number;
}

@ArgsType()
export class PathsArgs {
  @Field(() => ID) from!: string;
  @Field(() => ID) to!: string;
  @range(1, MAX_PATH_HOPS)
  @Field(() => Int, { nullable: true, defaultValue: 3 })
  maxHops?: number;
  @range(1, MAX_PATHS)
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  limit?: number;
}

@ArgsType()
export class ModelVersionsArgs {
  @range(1, MAX_MODEL_VERSIONS)
  @Field(() => Int, { nullable: true, defaultValue: 20 })
  limit?: number;
}

@ArgsType()
export class CoPurchaseArgs {
  @Field(() => ID) productId!: string;
  @range(1, MAX_CO_PURCHASE)
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  first?: number;
  @Field(() => [InteractionTypeEnum], { nullable: true }) types?: InteractionType[] | null;
}

@ArgsType()
export class SegmentScatterArgs {
  @Field(() => ID, { nullable: true }) modelVersion?: string | null;
  @ArrayMaxSize(MAX_SEGMENTS, { message: `$property may name at most ${MAX_SEGMENTS} segments` })
  @Field(() => [ID], { nullable: true })
  segmentIds?: string[] | null;
  @atLeastOne()
  @Field(() => Int, { nullable: true, defaultValue: 2000 })
  limit?: number;
}
