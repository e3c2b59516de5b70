// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.neo4j*/', '.data/', '.models/', '.cache/', 'test/generated/', 'scripts/neo4j/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // type-graphql's generic connection factory returns classes whose types are inferred by design.
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
  // The analyst page's ES modules run in the browser.
  {
    files: ['src/exploration/public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { document: 'readonly', window: 'readonly', sessionStorage: 'readonly', fetch: 'readonly', requestAnimationFrame: 'readonly' } },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
