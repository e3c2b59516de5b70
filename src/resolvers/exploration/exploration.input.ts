import { ArrayMaxSize } from 'class-validator';
import { ArgsType, Field, ID, Int } from 'type-graphql';
import type { InteractionType } from '../../domain/records';
import { MAX_PATH_HOPS } from '../../repositories/exploration.repository';
import { MAX_CO_PURCHASE, MAX_DEPTH, MAX_MODEL_VERSIONS, MAX_PATHS, MAX_SEGMENTS } from '../../services/exploration/exploration.service';
import { InteractionTypeEnum } from '../common/scalars';
import { AtLeast, IntRange } from '../common/validators';

// Upper bounds that come from configuration (ANALYST_MAX_NODES, ...) are checked by the service.

@ArgsType()
export class NeighborhoodArgs {
  @Field(() => ID) nodeId!: string;
  @IntRange(1, MAX_DEPTH)
  @Field(() => Int, { nullable: true, defaultValue: 1 })
  depth?: number;
  @AtLeast(1)
  @Field(() => Int, { nullable: true, defaultValue: 100 })
  limit?: number;
}

@ArgsType()
export class PathsArgs {
  @Field(() => ID) from!: string;
  @Field(() => ID) to!: string;
  @IntRange(1, MAX_PATH_HOPS)
  @Field(() => Int, { nullable: true, defaultValue: 3 })
  maxHops?: number;
  @IntRange(1, MAX_PATHS)
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  limit?: number;
}

@ArgsType()
export class ModelVersionsArgs {
  @IntRange(1, MAX_MODEL_VERSIONS)
  @Field(() => Int, { nullable: true, defaultValue: 20 })
  limit?: number;
}

@ArgsType()
export class CoPurchaseArgs {
  @Field(() => ID) productId!: string;
  @IntRange(1, MAX_CO_PURCHASE)
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
  @AtLeast(1)
  @Field(() => Int, { nullable: true, defaultValue: 2000 })
  limit?: number;
}
