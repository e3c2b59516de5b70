/**
 * V8 flags for the processes that serve requests. The serving cache keeps the old generation large
 * (about 500 MB on the 100k-user bench data), and each request leaves short-lived garbage. With
 * V8's default semi-spaces (32 MB here), two workers at 800 req/s ran a scavenge every ~150 ms
 * each, 4 ms at the median and up to 23 ms, each stalling the requests queued behind it. With 64 MB
 * semi-spaces the same load ran about a quarter as many and spent half the time in them (272
 * scavenges and 1267 ms of pauses in 20 s, against 70 and 589 ms).
 * Semi-space size is fixed when the heap is set up, so these must be on the command line
 * (scripts/start.sh reads this list for the single-process server).
 */
export const SERVER_HEAP_FLAGS = ['--max-semi-space-size=64'];

/** `execArgv` with the serving flags added, keeping any semi-space size the operator already chose. */
export function withServerHeapFlags(execArgv: readonly string[]): string[] {
  const chosen = (flag: string): boolean => execArgv.some((a) => a.split('=')[0] === flag.split('=')[0]);
  return [...execArgv, ...SERVER_HEAP_FLAGS.filter((flag) => !chosen(flag))];
}
