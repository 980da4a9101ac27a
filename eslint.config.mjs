// ESLint (flat config): typescript-eslint's type-checked recommended rules over the TypeScript of the four
// packages, src and tests (about 40k lines: ~1 minute on 2 cores). `npm run lint` runs it; .ci/run runs it
// before the tests. Formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'packages/core/assembly/**', // AssemblyScript, compiled by asc (see packages/core/scripts/build-wasm.mjs)
      'packages/core/src/backend/wasm_binary.generated.ts',
      // JavaScript (examples, scripts, bench, configs) is not linted yet.
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts'],
    languageOptions: {
      // tsconfig.base.json covers src and tests (the same program `npm run typecheck` checks).
      parserOptions: { project: './tsconfig.base.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: {
      // Older `eslint-disable` comments name rules typescript-eslint 8 removed (no-var-requires).
      reportUnusedDisableDirectives: 'off',
    },
    rules: {
      // An unused parameter or variable is named `_x` (this replaced the old `void x;` statements).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],

      // DEBT: rules of the recommended sets the code base does not meet yet, off so that the current code
      // passes without a mass edit (counts at the time they were turned off, src + tests). Turn one on,
      // fix what it reports, in its own commit.
      '@typescript-eslint/no-unsafe-member-access': 'off', // 452 (mostly JSON configs typed `any`: needs a JSON value type)
      '@typescript-eslint/no-unsafe-assignment': 'off', // 235 (same)
      '@typescript-eslint/no-unsafe-call': 'off', // 150 (same)
      '@typescript-eslint/no-unsafe-argument': 'off', // 117 (same)
      '@typescript-eslint/no-unsafe-return': 'off', // 70 (same)
      '@typescript-eslint/no-explicit-any': 'off', // 52 (`type Json = any` and test fixtures)
      '@typescript-eslint/no-unnecessary-type-assertion': 'off', // 155 (mostly `x!` after a check; autofixable)
      '@typescript-eslint/no-redundant-type-constituents': 'off', // 41 (unions with `any`)
      '@typescript-eslint/require-await': 'off', // 30 (async IO handler methods that do not await, as tfjs's interface)
      '@typescript-eslint/restrict-template-expressions': 'off', // 14 (numbers/unknowns in messages)
      '@typescript-eslint/no-base-to-string': 'off', // 11 (String(unknown) in error messages)
      '@typescript-eslint/no-require-imports': 'off', // 4 (tests that require the built bundle)
      '@typescript-eslint/await-thenable': 'off', // 2
      '@typescript-eslint/unbound-method': 'off', // 2
      '@typescript-eslint/no-floating-promises': 'off', // 1
      '@typescript-eslint/no-this-alias': 'off', // 1
      '@typescript-eslint/no-unused-expressions': 'off', // 1
      '@typescript-eslint/no-empty-object-type': 'off', // 1
      'no-loss-of-precision': 'off', // 6 (float64 constants written with all their digits, on purpose)
      'prefer-const': 'off', // 3
      'no-control-regex': 'off', // 1 (a test matching binary bytes, on purpose)
      'no-useless-escape': 'off', // 1
    },
  },
  {
    // A bad argument is a ValueError, a valid request we do not implement a NotImplementedError, a file that
    // cannot be loaded a LoadError (packages/core/src/errors.ts): callers tell them apart with instanceof. A plain
    // Error is left for IO and environment failures (the files below) and for internal invariants (each with an
    // eslint-disable comment that says so).
    files: ['packages/*/src/**/*.ts'],
    ignores: [
      'packages/core/src/backend/threads/pool.ts',
      'packages/core/src/backend/threads/shared_module.ts',
      'packages/models/src/io/{http,file_system,indexed_db,local_storage,browser_files,model_management}.ts',
      'packages/models/src/data/{file_lines,line_reader}.ts',
      'packages/test-utils/src/**', // test helpers
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ThrowStatement > NewExpression[callee.name='Error']",
          message: 'Throw a typed error: ValueError (bad argument), NotImplementedError or LoadError (see core/src/errors.ts).',
        },
        {
          selector: "ReturnStatement > NewExpression[callee.name='Error']",
          message: 'Return a typed error: ValueError (bad argument), NotImplementedError or LoadError (see core/src/errors.ts).',
        },
      ],
    },
  },
);
