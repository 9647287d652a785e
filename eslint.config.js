// ESLint flat config: typescript-eslint's type-checked rules over all TypeScript (product, tests, scripts, bench); `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const TESTS = ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'test/fixtures/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Kept from recommendedTypeChecked (they catch real bugs): no-floating-promises, await-thenable, no-misused-promises,
      // no-unsafe-* (product code), only-throw-error, no-unused-vars, no-unused-expressions, restrict-template-expressions, ...
      // Added: every switch over a union is exhaustive (or has a default); type-only imports say so; `return await` inside try.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      eqeqeq: ['error', 'smart'],
      // A `let` assigned once after the closures that read it (hub-rtmp's entry and its connection) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `_`-prefixed names and rest siblings drop fields on purpose (`const { mode: _mode, ...fix } = r`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Preact event handlers may be async (`onClick={async () => ...}`): the project's style; they report their own errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // Caught errors (unknown) are passed on unchanged on purpose (mapSqliteError keeps non-Error values as they are).
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `{} extends T` tests whether every field of T is optional (renderer/api.ts's call arguments): `{}` as a type is allowed.
      '@typescript-eslint/no-empty-object-type': ['error', { allowObjectTypes: 'always' }],
      // Off: `!` on indexed reads is deliberate (written as if noUncheckedIndexedAccess were on); no bug caught. 421 sites.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Off: async methods implement Promise-returning interfaces without awaiting (fakes, in-memory services).
      '@typescript-eslint/require-await': 'off',
      // Off: callbacks are declared in method syntax in props/context types and destructured (`{ onPlay }`, `{ note, defer } = ctx`).
      '@typescript-eslint/unbound-method': 'off',
      // Off: `String(data)` of ws RawData text frames, and `String(v)` after typeof guards the rule cannot follow.
      '@typescript-eslint/no-base-to-string': 'off',
      // Off: `'video' | 'audio' | string` unions document the known values on purpose.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    // Tests, benches and scripts read JSON bodies as `any` and assert on them; the no-unsafe-* family is for product code.
    files: TESTS,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // Adapters of the untyped `onvif` library (main/services/onvif/onvif-lib.d.ts declares it loosely) and the router's
    // heterogeneous route table (Route<any, any, any>): `any` is their input by nature.
    files: ['main/services/onvif/client.ts', 'main/services/onvif/discovery.ts', 'main/server/router.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  // The schema library rejects control characters with a regex on purpose.
  { files: ['common/schema.ts'], rules: { 'no-control-regex': 'off' } },
  // `(where.push('x = ?'), params.push(v))`: the SQL repositories push a clause and its parameter together on purpose.
  { files: ['storage/sqlite/**/*.ts'], rules: { '@typescript-eslint/no-unused-expressions': 'off' } },
  // node-media-server's state is process-wide: the one active hub is remembered in a module variable.
  { files: ['media/hub-rtmp.ts'], rules: { '@typescript-eslint/no-this-alias': 'off' } },
);
