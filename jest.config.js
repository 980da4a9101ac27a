/** One jest project per package; tests import sibling packages from source. */
const packages = ['core', 'layers', 'models', 'recurrent'];

const moduleNameMapper = {
  '^@recurrent/(core|layers|models)$': '<rootDir>/../$1/src/index.ts',
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
