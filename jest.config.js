/**
 * One jest project per package; tests import sibling packages (and @recurrent/test-utils) from source.
 * Tiers: `npm run test:unit` = projects core, layers, models, onnx (no build needed); `npm run test:e2e` = project
 * recurrent (the built dist, bundles, browser, examples, README; builds first); `npm test` = build, then both.
 */
const packages = ['core', 'layers', 'models', 'onnx', 'recurrent'];

const moduleNameMapper = {
  '^@recurrent/(core|layers|models|onnx|test-utils)$': '<rootDir>/../$1/src/index.ts',
};

module.exports = {
  // Jest's default 5 s per test failed long-running tests (50,000 model.step calls: ~2 s alone) when the 2-core
  // machine was loaded; a hang still fails, after a minute.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: packages.map((name) => ({
    displayName: name,
    rootDir: `<rootDir>/packages/${name}`,
    // onnx: node with Node's typed-array constructors, which onnxruntime-node's results are made with.
    testEnvironment: name === 'onnx' ? '<rootDir>/test/ort_environment.js' : 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    moduleNameMapper,
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../tsconfig.test.json' }],
    },
  })),
};
