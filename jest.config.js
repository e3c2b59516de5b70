/** Layers as in design §9: unit (no database), integration (real Neo4j), e2e (GraphQL over HTTP). */
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'neo4j',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      // These suites need the migrated test Neo4j that scripts/test.sh starts.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
