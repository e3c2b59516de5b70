import { Field, Float, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A catalogue product as partners see it.' })
export class PartnerProduct {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Float, { nullable: true }) price!: number | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217 currency code of the price.' }) currency!: string | null;
  @Field(() => String, { nullable: true }) brand!: string | null;
}

@ObjectType()
export class PartnerRecommendation {
  @Field(() => PartnerProduct) product!: PartnerProduct;
  @Field(() => Float, { description: 'Relevance for this member, higher first.' }) score!: number;
  @Field({ description: 'Send the member here: GET records the click and redirects to the program landing page. Opaque.' })
  trackingUrl!: string;
}

@ObjectType({ description: 'Why a member got no recommendations. UNKNOWN_MEMBER: no member shared with you has this memberRef.' })
export class MemberError {
  @Field() code!: string;
  @Field() message!: string;
}

@ObjectType({ description: 'Recommendations for one of your members, or the reason there are none.' })
export class MemberRecommendations {
  @Field(() => ID) memberRef!: string;
  @Field(() => [PartnerRecommendation]) items!: PartnerRecommendation[];
  @Field(() => MemberError, { nullable: true }) error!: MemberError | null;
}
