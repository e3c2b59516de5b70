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

/** The epoch-loop settings the baselines share. */
export interface ValidationScheduleOptions {
  maxEpochs?: number;
  /** Validation checks without NDCG@20 improvement before stopping. */
  patience?: number;
  /** Multiply the learning rate by lrDecay after every decayPatience checks without improvement (0 = never). */
  decayPatience?: number;
  lrDecay?: number;
  /** Validate every evalEvery epochs (and at the last one). */
  evalEvery?: number;
  /** Wall-clock budget; training stops after the epoch that crosses it. */
  maxSeconds?: number;
}

export interface EpochCheck {
  /** This epoch's parameters are the best so far: keep a copy. */
  improved: boolean;
  /** Multiply the learning rate by this. */
  lrFactor: number;
  /** Leave the epoch loop. */
  done: boolean;
}

/**
 * When an epoch loop validates, stops early and lowers its learning rate: validation every
 * evalEvery epochs and at the last; over the time budget or on a stop request (Ctrl-C) it
 * validates this epoch too and ends, so the best parameters so far are returned.
 */
export class ValidationSchedule {
  readonly stopper: EarlyStopping;
  private readonly started = performance.now();

  constructor(
    private readonly o: Required<ValidationScheduleOptions>,
    private readonly stopRequested: () => boolean,
  ) {
    this.stopper = new EarlyStopping({ patience: o.patience });
  }

  /** Call after each epoch; `validate` returns validation NDCG@20 and runs only when a check is due. */
  afterEpoch(epoch: number, validate: () => number): EpochCheck {
    const stopping = (performance.now() - this.started) / 1000 > this.o.maxSeconds || this.stopRequested();
    if (!(epoch % this.o.evalEvery === 0 || stopping || epoch === this.o.maxEpochs)) return { improved: false, lrFactor: 1, done: false };
    const verdict = this.stopper.observe(epoch, validate());
    const lrFactor = verdict === 'stop' ? 1 : plateauDecay(verdict, this.stopper.sinceBest, this.o.decayPatience, this.o.lrDecay);
    return { improved: verdict === 'improved', lrFactor, done: stopping || verdict === 'stop' };
  }
}
