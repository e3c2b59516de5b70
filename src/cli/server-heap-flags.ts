/**
 * V8 flags for the processes that serve requests. Each request leaves short-lived garbage; larger
 * semi-spaces mean fewer scavenges stalling the requests queued behind them (figures in
 * docs/experiments.md). Semi-space size is fixed when the heap is set up, so these must be on the
 * command line (scripts/start.sh reads this list for the single-process server).
 */
export const SERVER_HEAP_FLAGS = ['--max-semi-space-size=64'];

/** `execArgv` with the serving flags added, keeping any semi-space size the operator already chose. */
export function withServerHeapFlags(execArgv: readonly string[]): string[] {
  const chosen = (flag: string): boolean => execArgv.some((a) => a.split('=')[0] === flag.split('=')[0]);
  return [...execArgv, ...SERVER_HEAP_FLAGS.filter((flag) => !chosen(flag))];
}
