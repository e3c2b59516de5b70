/** What the stored evaluation describes and which model serves; stored on the ModelVersion as `training` by `affinity train` (src/pipeline/train.ts). */
export interface TrainingRecord {
  /** The evaluation's model: the selection run on the temporal split's train events. */
  evaluated: 'selection';
  /** The model whose embeddings are saved and published. */
  served: 'refit' | 'selection';
  describes: string;
  selectedEpoch: number | null;
  selectionEvents: number;
  selectionSeconds: number;
  refitEpochs: number | null;
  refitEvents: number | null;
  refitSeconds: number | null;
  snapshotAt: number | null;
  /** Events in the snapshot: the continuous trainer counts new events from here. */
  snapshotEvents?: number;
}
