import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { JSONScalar } from '../common/scalars';

export enum GraphNodeLabel {
  User = 'User',
  Product = 'Product',
  Category = 'Category',
  Segment = 'Segment',
}

registerEnumType(GraphNodeLabel, { name: 'GraphNodeLabel', description: 'The kind of a node in the analyst graph views.' });

@ObjectType({ description: 'A node in an analyst graph view.' })
export class GraphNode {
  @Field(() => ID, { description: 'The node address used by `neighborhood`, `paths` and the explorer: "<kind>:<domain id>", e.g. "user:ml-u1", "product:ml-m1", "category:genre:drama".' })
  id!: string;

  @Field(() => ID, { description: 'The id of the user, product, category or segment itself.' })
  domainId!: string;

  @Field(() => GraphNodeLabel) label!: `${GraphNodeLabel}`;

  @Field(() => String, { nullable: true, description: 'Product title, category name or segment label (the id for users).' })
  title!: string | null;

  @Field(() => JSONScalar, { description: 'A few small properties (price, brand, inStock, country, size, modelVersion) when set; never embeddings.' })
  properties!: Record<string, unknown>;
}

@ObjectType({ description: 'A relationship between two nodes of a graph view, directed as stored.' })
export class GraphEdge {
  @Field(() => ID, { description: 'Address of the start node.' }) source!: string;
  @Field(() => ID, { description: 'Address of the end node.' }) target!: string;
  @Field({ description: 'Relationship type: INTERACTED, IN_CATEGORY, SUBCATEGORY_OF or IN_SEGMENT.' }) type!: string;
  @Field(() => Float, { description: 'Sum of the interaction weights between the two nodes (1 per relationship without a weight).' }) weight!: number;
  @Field(() => Int, { description: 'How many relationships the edge stands for (one INTERACTED per event; in paths always 1).' }) count!: number;
}

@ObjectType({ description: 'The nodes within `depth` hops of a node, bounded per hop and in total.' })
export class Neighborhood {
  @Field(() => GraphNode) center!: GraphNode;
  @Field(() => [GraphNode], { description: 'All nodes of the view, the centre included.' }) nodes!: GraphNode[];
  @Field(() => [GraphEdge]) edges!: GraphEdge[];
  @Field(() => Int) depth!: number;
  @Field({
    description: 'True when something was left out: a node had more neighbours than the per-hop fan-out (the heaviest are kept), or the node limit was reached.',
  })
  truncated!: boolean;
}

@ObjectType({ description: 'One shortest path, as nodes in order and the relationships between them.' })
export class GraphPath {
  @Field(() => Int, { description: 'Number of relationships.' }) length!: number;
  @Field(() => [GraphNode]) nodes!: GraphNode[];
  @Field(() => [GraphEdge]) edges!: GraphEdge[];
}

@ObjectType({ description: 'Shortest paths between two nodes (distinct node sequences).' })
export class PathsResult {
  @Field(() => [GraphPath]) paths!: GraphPath[];
  @Field({ description: 'True when there were more shortest paths than returned.' }) truncated!: boolean;
}
