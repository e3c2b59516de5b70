/**
 * ml-kmeans 7 ships as an ES module with an `exports` map only, which TypeScript's "node"
 * resolution (CommonJS build) cannot follow; point the bare name at its declarations.
 */
declare module 'ml-kmeans' {
  export { kmeans } from 'ml-kmeans/lib/kmeans';
  export type { KMeansResult } from 'ml-kmeans/lib/KMeansResult';
}
