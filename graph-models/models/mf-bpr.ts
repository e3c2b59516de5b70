import { SeededRandom } from '../data/random';
import { FitContext, FitReport, Recommender } from '../eval/recommender';
import { factorScores } from '../layers/dot-scores';
import { sigmoid } from '../training/bpr';
import { ValidationSchedule, ValidationScheduleOptions } from '../training/early-stopping';
import { pairUsers, sampleNegative } from '../training/negative-sampling';

export interface MfBprOptions extends ValidationScheduleOptions {
  dim?: number;
  learningRate?: number;
  /** L2 coefficient applied at every SGD update of the touched parameters. */
  l2?: number;
  initStd?: number;
}

/**
 * Matrix factorisation with an item bias, trained by BPR with plain SGD: one epoch draws as many
 * (user, positive) pairs as there are distinct train pairs, each with one uniform negative.
 * Keeps the parameters of the best validation NDCG@20; the learning rate halves on validation
 * plateaus.
 */
export class MfBprRecommender implements Recommender {
  readonly name = 'mf-bpr';
  private readonly o: Required<MfBprOptions>;
  private users: Float32Array = new Float32Array(0);
  private items: Float32Array = new Float32Array(0);
  private bias: Float32Array = new Float32Array(0);
  private numItems = 0;

  constructor(opts: MfBprOptions = {}) {
    this.o = {
      dim: 64,
      // A large SGD rate halved on validation plateaus beats a small constant one and needs fewer
      // full-ranking checks (measurements: models/README.md).
      learningRate: 0.2,
      l2: 0.01,
      maxEpochs: 150,
      patience: 6,
      decayPatience: 2,
      lrDecay: 0.5,
      evalEvery: 3,
      maxSeconds: 600,
      initStd: 0.1,
      ...opts,
    };
  }

  async fit(ctx: FitContext): Promise<FitReport> {
    const { dim, l2 } = this.o;
    let lr = this.o.learningRate;
    const { numUsers, numItems, userItems } = ctx.train;
    const rng = new SeededRandom(ctx.seed);
    this.numItems = numItems;
    this.users = rng.normalArray(numUsers * dim, this.o.initStd);
    this.items = rng.normalArray(numItems * dim, this.o.initStd);
    this.bias = new Float32Array(numItems);
    const owner = pairUsers(userItems);
    const nPairs = owner.length;
    const schedule = new ValidationSchedule(this.o, ctx.stopRequested);
    let best = this.copyParams();
    let epoch = 0;
    while (epoch < this.o.maxEpochs) {
      epoch++;
      let loss = 0;
      for (let s = 0; s < nPairs; s++) {
        const p = rng.int(nPairs);
        const u = owner[p];
        const i = userItems.indices[p];
        const j = sampleNegative(rng, userItems, u, numItems);
        const ub = u * dim;
        const ib = i * dim;
        const jb = j * dim;
        let x = this.bias[i] - this.bias[j];
        for (let d = 0; d < dim; d++) x += this.users[ub + d] * (this.items[ib + d] - this.items[jb + d]);
        // d(-log sigmoid(x))/dx = -sigmoid(-x); we ascend with g = sigmoid(-x).
        const g = sigmoid(-x);
        loss -= Math.log(Math.max(1e-12, 1 - g));
        for (let d = 0; d < dim; d++) {
          const wu = this.users[ub + d];
          const wi = this.items[ib + d];
          const wj = this.items[jb + d];
          this.users[ub + d] += lr * (g * (wi - wj) - l2 * wu);
          this.items[ib + d] += lr * (g * wu - l2 * wi);
          this.items[jb + d] += lr * (-g * wu - l2 * wj);
        }
        this.bias[i] += lr * (g - l2 * this.bias[i]);
        this.bias[j] += lr * (-g - l2 * this.bias[j]);
      }
      const check = schedule.afterEpoch(epoch, () => {
        const ndcg = ctx.validate().ndcg[20] ?? 0;
        ctx.log(`epoch ${epoch} loss ${(loss / nPairs).toFixed(4)} val NDCG@20 ${ndcg.toFixed(4)}`);
        return ndcg;
      });
      if (check.improved) best = this.copyParams();
      if (check.done) break;
      lr *= check.lrFactor;
    }
    [this.users, this.items, this.bias] = best;
    return {
      epochs: epoch,
      bestEpoch: schedule.stopper.bestEpoch,
      bestValidationNdcg20: schedule.stopper.bestScore,
      params: { ...this.o },
    };
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    factorScores({
      users,
      out,
      userFactors: this.users,
      itemFactors: this.items,
      itemBias: this.bias,
      dim: this.o.dim,
      numItems: this.numItems,
    });
  }

  private copyParams(): [Float32Array, Float32Array, Float32Array] {
    return [this.users.slice(), this.items.slice(), this.bias.slice()];
  }
}
