/** Early stopping on validation NDCG@20 and the learning-rate schedule that goes with it. */

export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping. */
  patience: number;
  /** Smallest gain that counts as improvement. */
  minDelta?: number;
}

/** Tracks the best validation score; the caller snapshots parameters when `observe` says so. */
export class EarlyStopping {
  bestScore = -Infinity;
  bestEpoch = 0;
  /** Evaluations since the last improvement. */
  sinceBest = 0;

  constructor(private readonly opts: EarlyStoppingOptions) {}

  /** Returns 'improved' (keep these parameters), 'continue', or 'stop'. */
  observe(epoch: number, score: number): 'improved' | 'continue' | 'stop' {
    if (score > this.bestScore + (this.opts.minDelta ?? 0)) {
      this.bestScore = score;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      return 'improved';
    }
    this.sinceBest++;
    return this.sinceBest >= this.opts.patience ? 'stop' : 'continue';
  }
}

/**
 * Learning-rate multiplier after each non-improving validation check: halve it every
 * `decayPatience` checks without a new best (PyTorch's ReduceLROnPlateau). Large steps reach the
 * neighbourhood of a good solution quickly; smaller ones then settle into it instead of bouncing
 * around it, which is what made single validation checks noisy.
 */
export function plateauDecay(verdict: 'improved' | 'continue' | 'stop', sinceBest: number, decayPatience: number, factor: number): number {
  return verdict === 'continue' && decayPatience > 0 && sinceBest % decayPatience === 0 ? factor : 1;
}
