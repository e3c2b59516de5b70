/** Time-based origins (cutoffs) and their split into train, validation and test blocks (see train.ts). */
import { DAY_MS, ProfileEvent } from '../rfm';
import { outcomeIn } from './labels';
import type { ProfileSpec } from './model';

export const MIN_EVAL_POSITIVES = 100;
/** Training origins are W / TRAIN_STRIDES apart. */
export const TRAIN_STRIDES = 4;

/** Users with at least one event up to the cutoff are the population at that cutoff. */
function population(users: readonly (readonly ProfileEvent[])[], cutoff: number): number[] {
  const rows: number[] = [];
  users.forEach((events, i) => {
    if (events.some((e) => e.at <= cutoff)) rows.push(i);
  });
  return rows;
}

export interface Block {
  origins: number[];
  pairs: { user: number; origin: number }[];
  positives: number;
  labelled: number;
}

/** Origins, newest first, each with its population and label counts. */
function originsOf(users: readonly (readonly ProfileEvent[])[], dataEnd: number, spec: ProfileSpec): Block[] {
  const window = spec.windowDays * DAY_MS;
  const blocks: Block[] = [];
  for (let j = 1; ; j++) {
    const origin = dataEnd - j * window;
    const block = blockAt(users, origin, window, spec);
    if (!block) break;
    blocks.push(block);
  }
  return blocks;
}

/** The examples of one cutoff: users active by `origin`, labelled by the window after it; null when none. */
function blockAt(users: readonly (readonly ProfileEvent[])[], origin: number, window: number, spec: ProfileSpec): Block | null {
  const rows = population(users, origin);
  if (rows.length === 0) return null;
  let positives = 0;
  let labelled = 0;
  for (const u of rows) {
    const o = outcomeIn(users[u], origin, origin + window, spec);
    if (o.converted) positives += 1;
    if (o.nextCategory !== null) labelled += 1;
  }
  return { origins: [origin], pairs: rows.map((user) => ({ user, origin })), positives, labelled };
}

/**
 * Training origins for labels up to `labelCutoff`: t = labelCutoff - W - k·W/TRAIN_STRIDES, k = 0, 1, …
 * Training label windows may overlap one another (more examples from short histories) but none
 * reaches past `labelCutoff`.
 */
export function trainingBlock(users: readonly (readonly ProfileEvent[])[], labelCutoff: number, spec: ProfileSpec): Block {
  const window = spec.windowDays * DAY_MS;
  const blocks: Block[] = [];
  for (let k = 0; ; k++) {
    const origin = labelCutoff - window - (k * window) / TRAIN_STRIDES;
    const block = blockAt(users, origin, window, spec);
    if (!block) break;
    blocks.push(block);
  }
  return merge(blocks);
}

function merge(blocks: Block[]): Block {
  return {
    origins: blocks.flatMap((b) => b.origins).sort((a, b) => a - b),
    pairs: blocks.flatMap((b) => b.pairs),
    positives: blocks.reduce((a, b) => a + b.positives, 0),
    labelled: blocks.reduce((a, b) => a + b.labelled, 0),
  };
}

/** Takes origins from the front (newest) until the block holds enough labels or `max` origins. */
function takeEvalBlock(newestFirst: Block[], max: number): Block[] {
  const taken: Block[] = [];
  while (newestFirst.length > 0 && taken.length < max) {
    taken.push(newestFirst.shift() as Block);
    const m = merge(taken);
    if (m.positives >= MIN_EVAL_POSITIVES && m.labelled >= MIN_EVAL_POSITIVES) break;
  }
  return taken;
}

/** Splits the origins into train, validation and test blocks (see the protocol in train.ts). */
export function splitOrigins(users: readonly (readonly ProfileEvent[])[], dataEnd: number, spec: ProfileSpec): { train: Block; validation: Block; test: Block } {
  const newestFirst = originsOf(users, dataEnd, spec);
  const maxEval = Math.max(1, Math.floor(newestFirst.length / 4));
  // Fewer than three origins: no test block (two) or no validation either (one, baseline served).
  const test = newestFirst.length >= 3 ? takeEvalBlock(newestFirst, maxEval) : [];
  const validation = newestFirst.length >= 2 ? takeEvalBlock(newestFirst, maxEval) : [];
  return { train: merge(newestFirst), validation: merge(validation), test: merge(test) };
}
