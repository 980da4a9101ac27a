/**
 * One jest project per package; tests import sibling packages (and @recurrent/test-utils) from source.
 * Tiers: `npm run test:unit` = projects core, layers, models (no build needed); `npm run test:e2e` = project
 * recurrent (the built dist, bundles, browser, examples, README; builds first); `npm test` = build, then both.
 */
const packages = ['core', 'layers', 'models', 'recurrent'];

const moduleNameMapper = {
  '^@recurrent/(core|layers|models|test-utils)$': '<rootDir>/../$1/src/index.ts',
};

module.exports = {
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: packages.map((name) => ({
    displayName: name,
    rootDir: `<rootDir>/packages/${name}`,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    moduleNameMapper,
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../tsconfig.test.json' }],
    },
  })),
};
