// Lint: typescript-eslint's recommended rules with type information, plus the promise rules a Nest
// service cannot do without (a floating promise is an unhandled rejection and a write outside its
// transaction). Formatting is Prettier's job (.prettierrc.json); eslint-config-prettier turns off the
// rules that would fight it. `npm run lint` runs both; CI runs it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'coverage/**', 'data/**', 'examples/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // Unused names are errors, except the ones a signature needs but a body ignores (`_req`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Input validation matches control characters on purpose (src/common/validation/decorators.ts).
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read HTTP answers: their bodies are JSON the test asserts on field by field, typed `any` on
    // purpose (a cast to a DTO type would claim what the assertion is there to check).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
