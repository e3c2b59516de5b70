import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { DateTime } from '../common/scalars';
import { GroupComparison, SampleRatioCheck } from '../experiment/comparison.type';
import { User } from '../user/user.type';

@ObjectType({ description: 'A campaign to segments with a holdout: members are split once into treatment and holdout (stored), and only treatment is delivered to.' })
export class Campaign {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => [ID]) segmentIds!: string[];
  @Field(() => [ID], { nullable: true, description: 'The products promoted; null: each member’s personal recommendations (ask `user.recommendations`).' })
  productIds!: string[] | null;
  @Field({ description: 'PUSH, EMAIL, SMS, SOCIAL or any channel name the sender knows.' }) channel!: string;
  @Field(() => [String], { description: 'The copy texts; each treatment member gets one, by hash.' }) copyVariants!: string[];
  @Field(() => Float) holdoutShare!: number;
  @Field(() => DateTime) start!: Date;
  @Field(() => DateTime) end!: Date;
  @Field(() => Int, { description: 'Members assigned at creation (treatment + holdout).' }) members!: number;
  @Field(() => Int) holdout!: number;
}

@ObjectType({ description: 'A treatment member to deliver to, with the copy to send.' })
export class CampaignMember {
  @Field(() => User) user!: User;
  @Field() copy!: string;
  @Field(() => Int, { description: 'Which of copyVariants.' }) copyIndex!: number;
  @Field(() => [ID], { nullable: true, description: 'The campaign’s products; null: send the member’s personal recommendations.' }) productIds!: string[] | null;
}

@ObjectType()
export class CampaignAudienceConnection extends Connection('CampaignAudience', CampaignMember) {}

@ObjectType({ description: 'Incremental effect: conversion and revenue per member, treatment against holdout (the control), over the campaign window.' })
export class CampaignReport {
  @Field(() => Campaign) campaign!: Campaign;
  @Field(() => DateTime) until!: Date;
  @Field(() => [GroupComparison], { description: 'HOLDOUT first (the control), then TREATMENT with its lift.' }) groups!: GroupComparison[];
  @Field(() => SampleRatioCheck) sampleRatio!: SampleRatioCheck;
}
