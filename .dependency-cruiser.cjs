/**
 * The layer rules of src/ (docs/architecture.md, "Source layout"), checked by `npm run lint`.
 * Layers point down: routes → services/durable → db → domain; lib is usable from anywhere.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment:
        'A module cycle makes load order matter and hides which layer owns what. Type-only imports count too: ' +
        'the Env type comes from the generated worker-configuration.d.ts, so nothing needs to close a loop.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is pure logic: it imports only domain/ (and npm packages), never I/O or other layers.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'lib-is-a-leaf',
      comment: 'lib/ holds small utilities (ids, logging, KV key names) that anything may use; it builds on domain/ only.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/(lib|domain)/' },
    },
    {
      name: 'db-below-services',
      comment: 'db/ (schema, client, queries) is used by services and routes, never the other way round.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(http|routes|services|durable|queues|app|index)' },
    },
    {
      name: 'routes-do-not-touch-tables',
      comment: 'Routes call services and queries; table definitions stay behind db/queries.',
      severity: 'error',
      from: { path: '^src/routes/' },
      to: { path: '^src/db/schema' },
    },
    {
      name: 'services-above-http-only-by-type',
      comment: 'services/ and durable/ do not import routes; they are called by them.',
      severity: 'error',
      from: { path: '^src/(services|durable|queues|db|domain)/' },
      to: { path: '^src/routes/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    // .tsx views (the punch-out start page) are left out: the swc parser dependency-cruiser uses reads no JSX
    // and TypeScript 7 has no compiler API to fall back on. Biome holds them to rendering instead (biome.json:
    // a view imports no db/, durable/, http/ or queues/ module).
    exclude: { path: ['^(node_modules|test|scripts)/', '\\.tsx$'] },
  },
};
