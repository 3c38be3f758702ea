// Compose subgraphs into a supergraph with @theguild/federation-composition.
// stdin: [{"name": ..., "url": ..., "sdl": ...}]; stdout: {"errors": [...], "supergraphSdl": ...}
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const services = JSON.parse(input).map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) }));
const result = composeServices(services);
console.log(JSON.stringify({
  errors: (result.errors ?? []).map((e) => e.message),
  supergraphSdl: result.supergraphSdl ?? null,
}));
