/**
 * A click's id, derived from its token and the de-dup window, so any replica or a restarted process
 * names a repeat of the token within the window alike and the flush MERGEs it into the stored click
 * (a client retrying after a 302 lost in a crash adds nothing). Time is cut into window-long buckets:
 * a click is `<digest>:<bucket>`, and the click of the bucket before (`previousId`) also covers it
 * while it is less than a window old.
 */
export interface ClickIds {
  id: string;
  /** The id a click of this token in the bucket before would have: a repeat of it if within the window. */
  previousId: string;
}

export function clickIds(digest: string, at: number, windowMs: number): ClickIds {
  const bucket = Math.floor(at / Math.max(1, windowMs));
  return { id: `click:${digest}:${bucket}`, previousId: `click:${digest}:${bucket - 1}` };
}

/**
 * The clicks of one batch that are not repeats of an earlier one in the same batch (same id, or the
 * previous bucket's id less than a window before); the flush checks the stored ones in Neo4j.
 */
export function firstClicks<T extends ClickIds & { at: number }>(clicks: T[], windowMs: number): T[] {
  const kept = new Map<string, number>();
  const first: T[] = [];
  for (const click of [...clicks].sort((a, b) => a.at - b.at)) {
    const previous = kept.get(click.previousId);
    if (kept.has(click.id) || (previous !== undefined && click.at - previous < windowMs)) continue;
    kept.set(click.id, click.at);
    first.push(click);
  }
  return first;
}
