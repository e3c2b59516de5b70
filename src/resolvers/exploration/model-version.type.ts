import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../common/scalars';

@ObjectType({ description: 'Offline metrics of one model on one split, from the evaluation run at training time (full ranking over all items).' })
export class ModelMetrics {
  @Field({ description: 'The model: the GAT or a baseline (popularity, ItemKNN, MF-BPR, LightGCN, text-only).' }) model!: string;
  @Field({ description: 'validation or test (temporal split).' }) split!: string;
  @Field(() => Int, { nullable: true, description: 'Users averaged over.' }) users!: number | null;
  @Field(() => Float, { nullable: true }) recallAt10!: number | null;
  @Field(() => Float, { nullable: true }) recallAt20!: number | null;
  @Field(() => Float, { nullable: true }) ndcgAt10!: number | null;
  @Field(() => Float, { nullable: true }) ndcgAt20!: number | null;
  @Field(() => Float, { nullable: true }) hitRateAt20!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of the catalogue in at least one top-20 list.' }) coverageAt20!: number | null;
}

@ObjectType({ description: 'Which model the stored evaluation describes and which model serves (select on the temporal split, then refit on all events).' })
export class ModelTraining {
  @Field({ description: 'A sentence saying which model the evaluation describes and which model serves.' }) describes!: string;
  @Field({ description: '"selection": the evaluation is of the run fitted on the temporal split\'s train events.' }) evaluated!: string;
  @Field({ description: '"refit" (the selected settings fitted again on every event) or "selection".' }) served!: string;
  @Field(() => Int, { nullable: true, description: 'Epoch chosen on validation NDCG@20.' }) selectedEpoch!: number | null;
  @Field(() => Int, { description: 'Events the selection run was fitted on.' }) selectionEvents!: number;
  @Field(() => Float) selectionSeconds!: number;
  @Field(() => Int, { nullable: true }) refitEpochs!: number | null;
  @Field(() => Int, { nullable: true, description: 'Events the refit was fitted on (the whole snapshot).' }) refitEvents!: number | null;
  @Field(() => Float, { nullable: true }) refitSeconds!: number | null;
  @Field(() => String, { nullable: true, description: 'When the training snapshot was read (ISO-8601); later events are folded in at serving time.' }) snapshotAt!: string | null;
}

@ObjectType({ description: 'One cycle of the continuous trainer (`affinity trainer`) whose candidate was this version.' })
export class TrainerCycle {
  @Field(() => ID) id!: string;
  @Field({ description: 'What started it: new events, the schedule, no active version, or forced.' }) trigger!: string;
  @Field({ description: 'published (the candidate became active), kept (the active version stayed) or failed.' }) decision!: string;
  @Field({ description: 'Why: the comparison on the recent held-out window, or the error.' }) reason!: string;
  @Field() startedAt!: string;
  @Field() endedAt!: string;
  @Field(() => Float) seconds!: number;
  @Field(() => Int, { description: 'Events in the snapshot the cycle trained on.' }) events!: number;
  @Field(() => Int, { description: 'Events that arrived since the active version\'s snapshot.' }) newEvents!: number;
  @Field(() => Float, { nullable: true, description: 'Candidate test NDCG@20 on the recent held-out window.' }) candidateNdcg20!: number | null;
  @Field(() => Float, { nullable: true, description: 'Active version\'s NDCG@20 on the same window and users.' }) activeNdcg20!: number | null;
  @Field(() => Float, { nullable: true }) candidateRecall20!: number | null;
  @Field(() => Float, { nullable: true }) activeRecall20!: number | null;
  @Field(() => Int, { nullable: true, description: 'Users in the window that both models know.' }) windowUsers!: number | null;
  @Field(() => String, { nullable: true, description: 'The version that was active when the cycle compared.' }) activeVersion!: string | null;
}

@ObjectType({ description: 'A trained model version.' })
export class ModelVersionInfo {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) createdAt!: string | null;
  @Field(() => String, { nullable: true, description: 'trained, publishing, published, …' }) status!: string | null;
  @Field({ description: 'True for the version serving recommendations.' }) active!: boolean;
  @Field(() => String, { nullable: true, description: 'Embedding slot (a or b) once published.' }) slot!: string | null;
  @Field(() => JSONScalar, { nullable: true, description: 'Training parameters as stored.' }) params!: unknown;
  @Field(() => JSONScalar, { nullable: true, description: 'The evaluation as stored (runs of every model with validation and test metrics).' }) metrics!: unknown;
  @Field(() => [ModelMetrics], { description: 'The stored evaluation as rows per model and split.' }) evaluation!: ModelMetrics[];
  @Field(() => ModelTraining, { nullable: true, description: 'Which model the evaluation describes and which serves; null for versions trained before this was recorded.' })
  training!: ModelTraining | null;
  @Field(() => [TrainerCycle], { description: 'Continuous-trainer cycles whose candidate this version was (empty for `affinity train`).' })
  cycles!: TrainerCycle[];
}
