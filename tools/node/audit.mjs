// The GraphQL-over-HTTP audit (graphql-http's auditServer) against a running gateway.
// Usage: node audit.mjs <url>   — prints one JSON line: [{id, name, status, reason}]
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
console.log(JSON.stringify(results.map((r) => ({
  id: r.id, name: r.name, status: r.status, reason: r.reason ?? null,
}))));
