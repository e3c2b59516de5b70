/** Layers as in design §9: unit (no database), integration (real Neo4j), e2e (GraphQL over HTTP). */
const ESM_ONLY = '(ml-kmeans|ml-spectra-processing|ml-array-[a-z]+|is-any-array|ml-nearest-vector|ml-distance-euclidean)';
const base = {
  rootDir: __dirname,
  // onnxruntime-node creates typed arrays in Node's main realm; see the file for why this matters.
  testEnvironment: '<rootDir>/test/support/onnx-test-environment.js',
  transform: {
    // tsconfig.json sets isolatedModules, so ts-jest only transpiles each file: type-checking every
    // suite cost about a minute of CI; scripts/test.sh runs `tsc --noEmit` over tests once instead.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // ml-kmeans and its helpers ship as ES modules only; jest's CommonJS runtime needs them compiled.
    [`/node_modules/${ESM_ONLY}/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, diagnostics: false }],
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  testTimeout: 120000,
  // Per clone, not jest's shared /tmp cache: its timings reorder suites, so a clean clone would not
  // run them in the order a fresh CI machine does.
  cacheDirectory: '<rootDir>/.cache/jest',
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'neo4j',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/faults/**/*.test.ts'],
      // The long fault cases (Neo4j of their own, killed and restarted; training runs) only under
      // `npm run test:faults`, so CI's test command stays short.
      testPathIgnorePatterns: process.env.FAULTS_LONG ? ['/node_modules/'] : ['/node_modules/', '\\.long\\.test\\.ts$'],
      // These suites need the migrated test Neo4j that scripts/test.sh starts.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
