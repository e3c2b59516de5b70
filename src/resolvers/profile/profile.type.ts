import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { InteractionType } from '../../domain/records';
import type { UserProfileData } from '../../services/profile.service';
import { Category } from '../category/category.type';
import { DateTime, InteractionTypeEnum } from '../common/scalars';

@ObjectType({ description: 'How much of the user\'s interest goes to a category.' })
export class CategoryAffinity {
  @Field(() => Category) category!: Category;
  @Field(() => Float, {
    description:
      'Share (0..1, all categories sum to 1) of the user\'s event weight (VIEW 1, CLICK 2, CART 3, REVIEW 4, PURCHASE 5, RATE its stars) in this category, each event halved every 90 days before `referenceTime` and split evenly over its product\'s categories.',
  })
  affinity!: number;
}

@ObjectType({ description: 'A category the user is predicted to engage with next.' })
export class CategoryProbability {
  @Field(() => Category) category!: Category;
  @Field(() => Float, { description: 'Probability (softmax over the model\'s categories) that this is the category of most of the user\'s event weight in the next window.' })
  probability!: number;
}

@ObjectType({ description: 'Recency, frequency and monetary value, scored against the population.' })
export class RfmFigures {
  @Field(() => Float, { nullable: true, description: 'Days from the user\'s last event to `referenceTime`; null without events.' })
  recency!: number | null;
  @Field(() => Int, {
    description: 'Number of conversion events in the user\'s history (the latest 5000 events): PURCHASE, or RATE on data without purchases (MovieLens); see `conversionTypes`.',
  })
  frequency!: number;
  @Field(() => Float, { description: 'Sum of the prices of converted products; when the data has no prices (`monetaryIsCount`, e.g. MovieLens) the conversion count.' })
  monetary!: number;
  @Field({ description: 'True when monetary counts conversions because the data has no prices.' }) monetaryIsCount!: boolean;
  @Field(() => [String], { description: 'Event types counted as conversions.' }) conversionTypes!: string[];
  @Field(() => Float, {
    nullable: true,
    description:
      'Mean of the recency, frequency and monetary quintiles (1..5, 5 = most recent / most / highest) against the population breakpoints computed by the last `affinity segment`; null before the first run or without events.',
  })
  score!: number | null;
  @Field(() => String, { nullable: true, description: 'The three quintiles as digits R, F, M, e.g. "545".' }) code!: string | null;
}

@ObjectType({ description: 'A count of the user\'s events of one type.' })
export class EventTypeCount {
  @Field(() => InteractionTypeEnum) type!: InteractionType;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Recent activity.' })
export class Activity {
  @Field(() => DateTime, { nullable: true, description: 'Time of the latest event.' }) lastSeen!: Date | null;
  @Field(() => Int, { description: 'Events counted (the latest 5000 at most).' }) totalEvents!: number;
  @Field(() => [EventTypeCount], { description: 'Events by type, most frequent first.' }) eventsByType!: EventTypeCount[];
}

@ObjectType({ description: 'The segment a user belongs to, as much as frontends may see.' })
export class SegmentRef {
  @Field(() => ID) id!: string;
  @Field() label!: string;
}

@ObjectType({ description: 'A topic of what users write (reviews), and how much of this user\'s writing is about it.' })
export class TextInterest {
  @Field(() => ID, { description: 'The topic (from the latest `affinity topics` run).' }) topic!: string;
  @Field({ description: 'Its most distinctive terms (class-based TF-IDF), e.g. "降噪 · 续航 · 耳机".' }) label!: string;
  @Field(() => Float, { description: 'Share of the user\'s texts in this topic, 0..1.' }) weight!: number;
}

@ObjectType({
  description:
    'What we know of a user\'s behaviour, computed per request from their latest events (new events count at once) with the profile model and RFM breakpoints trained by `affinity segment`.',
})
export class UserProfile {
  @Field(() => DateTime, {
    description: 'The instant recency and decay are measured from: the latest event the profile model saw (or the user\'s own latest event if newer); now before any model exists.',
  })
  referenceTime!: Date;
  @Field(() => RfmFigures) rfm!: RfmFigures;
  @Field(() => Float, {
    nullable: true,
    description:
      'Probability of at least one conversion event (PURCHASE; RATE on data without purchases) in the next `propensityWindowDays`. Served by whichever predictor won on a validation window in `affinity segment` (see `affinity evaluate-profile`): a logistic regression on log recency, recent activity and log-RFM (hyperparameters chosen on validation), or the recency-only baseline calibrated by a logistic regression on log recency. Both are trained on rolling time windows (features before each cutoff, label in the window after). Null without a profile model or events.',
  })
  purchasePropensity!: number | null;
  @Field(() => Int, { nullable: true, description: 'The prediction window of `purchasePropensity` and `predictedNextCategories`, in days.' })
  propensityWindowDays!: number | null;
  @Field(() => Activity) activity!: Activity;
  userId!: string;
  data!: UserProfileData;
}
