// One jest run, three projects: pure unit tests, integration/e2e tests against the real services
// started by scripts/up, and the web app's unit tests. Benchmarks run only through `npm run bench`.
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const moduleNameMapper = {
  '^@remotegpu/core/contracts$': '<rootDir>/core/src/contracts/index.ts',
  '^@remotegpu/activities/host$': '<rootDir>/activities/src/host/index.ts',
  '^@remotegpu/(core|activities|workflows)$': '<rootDir>/$1/src/index.ts',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/\\.data/'],
};
const serverFolders = '{core,activities,workflows,workers,agent-worker,api,migrations,scripts}';

module.exports = {
  testTimeout: 30_000,
  reporters: ['default', 'summary'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        `<rootDir>/${serverFolders}/**/*.test.ts`,
        '<rootDir>/tests/unit/**/*.test.ts',
        '<rootDir>/bench/**/*.test.ts',
      ],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$', '\\.bench\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [`<rootDir>/${serverFolders}/**/*.int.test.ts`, '<rootDir>/tests/{e2e,infra,browser}/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      slowTestThreshold: 30,
    },
    ...(process.env.RUN_BENCH
      ? [{ ...common, displayName: 'bench', testMatch: ['<rootDir>/bench/**/*.bench.test.ts'], testTimeout: 600_000 }]
      : []),
    {
      ...common,
      displayName: 'web',
      testMatch: ['<rootDir>/web/src/**/*.spec.ts'],
    },
  ],
};
