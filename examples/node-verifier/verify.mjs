// Verifies one of the suite's access tokens with jose, given nothing but the issuer URL, or asks the issuer's
// introspection endpoint (RFC 7662) whether it is still active. The token comes on standard input, never as an
// argument (arguments show in every process list), and is never printed.
//
//   node verify.mjs verify <issuer>       < token   exit 0: valid (prints its subject and session), 1: refused
//   node verify.mjs introspect <issuer>   < token   CLIENT_ID, CLIENT_SECRET: a registered client; exit 0: active, 1: not
//   exit 2: anything else (no metadata at the issuer, a network error, wrong usage)
//   SUITE_CA_FILE: the CA that alone vouches for the issuer's https (make run prints its file); unset: Node's own roots,
//   for an issuer with a public certificate.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createRemoteJWKSet, customFetch, jwtVerify, errors } from 'jose';

// Whoever serves the keys decides which tokens are valid: with the suite's CA given, it is the only one trusted (Node's
// https `ca` replaces the default roots), for the metadata, the keys and introspection alike.
const suiteCa = process.env.SUITE_CA_FILE ? readFileSync(process.env.SUITE_CA_FILE) : null;
const suiteFetch = suiteCa ? fetchTrustingOnly(suiteCa) : fetch;

const [mode, issuer] = process.argv.slice(2);
if (!['verify', 'introspect'].includes(mode) || !issuer) {
  console.error('usage: node verify.mjs verify|introspect <issuer>  (the token on standard input)');
  process.exit(2);
}

try {
  const token = (await readStdin()).trim();
  const metadata = await discover(issuer);
  const ok = mode === 'verify' ? await verify(token, metadata) : await introspect(token, metadata);
  process.exit(ok ? 0 : 1);
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exit(2);
}

/** OpenID Connect Discovery: the metadata lives at <issuer>/.well-known/openid-configuration and must name that issuer. */
async function discover(issuer) {
  const response = await suiteFetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) {
    throw new Error(`no discovery document at ${issuer}: HTTP ${response.status}`);
  }
  const metadata = await response.json();
  if (metadata.issuer !== issuer) {
    throw new Error(`the discovery document names another issuer: ${metadata.issuer}`);
  }
  return metadata;
}

/** Everything docs/tokens.md says a consumer must check, from the keys the metadata points to. */
async function verify(token, metadata) {
  const keys = createRemoteJWKSet(new URL(metadata.jwks_uri), { [customFetch]: suiteFetch });
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: metadata.issuer,
      audience: 'suite', // a user access token; a service token names its one callee instead
      typ: 'at+jwt', // never a service token (svc+jwt) in a user's place
      algorithms: ['ES256'], // whatever the header says
      requiredClaims: ['sub', 'sid', 'jti', 'iat', 'nbf', 'exp'],
      maxTokenAge: '10m', // no token of the suite lives longer
      clockTolerance: 30,
    });
    console.log(JSON.stringify({ valid: true, sub: payload.sub, sid: payload.sid }));
    return true;
  } catch (e) {
    if (e instanceof errors.JOSEError && !(e instanceof errors.JWKSTimeout)) {
      console.log(JSON.stringify({ valid: false, reason: e.code }));
      return false;
    }
    throw e;
  }
}

/** RFC 7662 with client_secret_basic: the only way to see a logout before the token expires. */
async function introspect(token, metadata) {
  const { CLIENT_ID: id, CLIENT_SECRET: secret } = process.env;
  if (!id || !secret) {
    throw new Error('introspection needs CLIENT_ID and CLIENT_SECRET (a registered client)');
  }
  const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
  const response = await suiteFetch(metadata.introspection_endpoint, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  if (!response.ok) {
    throw new Error(`introspection answered HTTP ${response.status}`);
  }
  const answer = await response.json();
  console.log(JSON.stringify({ active: answer.active === true, sub: answer.sub, sid: answer.sid }));
  return answer.active === true;
}

/** A fetch (the subset used here and by jose) over node:https that trusts `ca` alone; Node's fetch takes no CA. */
function fetchTrustingOnly(ca) {
  return (url, { method = 'GET', headers = {}, body, signal } = {}) => new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers: Object.fromEntries(new Headers(headers)), ca, signal }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('error', reject);
      answer.on('end', () => {
        const empty = [204, 205, 304].includes(answer.statusCode);
        resolve(new Response(empty ? null : Buffer.concat(chunks), { status: answer.statusCode, headers: answer.headers }));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body === undefined ? undefined : String(body));
  });
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
