#!/usr/bin/env node
/*
 * Interoperability helper: sign and verify with Digital Bazaar's JavaScript libraries
 * (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022 / eddsa-jcs-2022 cryptosuites), driven by
 * tests/interop/test_digitalbazaar.py.
 *
 * Reads one JSON request on stdin, writes one JSON response on stdout:
 *   {"op":"verify-credential","credential":{...},"now":"ISO?"}
 *       -> {"verified":bool,"error":...}
 *   {"op":"verify-presentation","presentation":{...},"challenge":"...","domain":"...","now":"ISO?"}
 *       -> {"verified":bool,"error":...,"presentationVerified":bool,"credentialsVerified":[bool]}
 *   {"op":"sign-credential","credential":{...},"seed_hex":"64 hex","created":"ISO",
 *    "cryptosuite":"eddsa-rdfc-2022"|"eddsa-jcs-2022"}   -> {"credential":{...}}
 *   {"op":"sign-presentation","presentation":{...},"seed_hex":"...","created":"ISO",
 *    "challenge":"...","domain":"...","cryptosuite":...}  -> {"presentation":{...}}
 *   {"op":"time-verify-credentials","credentials":[...],"now":"ISO?"}
 *       -> {"count":n,"verified":n,"seconds":s}   (for bench/: verification timed in-process)
 *   {"op":"batch","requests":[request, ...]} -> {"results":[response, ...]}
 * A failing operation answers {"error":{"name","message",...}} (and "verified":false for verify ops).
 *
 * Everything is offline: the document loader serves only the contexts listed in
 * contexts/manifest.json (test_only entries included) and did:key DIDs through the library's
 * did:key driver; any other URL throws. Status lists are not fetched: credentialStatus is
 * accepted without a check (reported as "statusChecked": false), the status check is not what
 * this interoperability test is about.
 */
import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {driver as didKeyDriverFactory} from '@digitalbazaar/did-method-key';

const HERE = dirname(fileURLToPath(import.meta.url));
const CONTEXTS_DIR = process.env.VC_CONTEXTS_DIR || resolve(HERE, '..', '..', 'contexts');

function loadContexts() {
  const manifest = JSON.parse(readFileSync(join(CONTEXTS_DIR, 'manifest.json'), 'utf8'));
  const map = new Map();
  for(const entry of manifest.contexts) {
    map.set(entry.url, JSON.parse(readFileSync(join(CONTEXTS_DIR, entry.file), 'utf8')));
  }
  return map;
}

const CONTEXTS = loadContexts();
const didKeyDriver = didKeyDriverFactory();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if(CONTEXTS.has(url)) {
    // a fresh copy each time: the libraries must not be able to alter the trusted contexts
    return {contextUrl: null, documentUrl: url, document: structuredClone(CONTEXTS.get(url))};
  }
  if(typeof url === 'string' && url.startsWith('did:key:')) {
    const document = await didKeyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`offline document loader: refusing to load ${JSON.stringify(url)}`);
}

function cryptosuiteFor(name, {sign}) {
  if(!name || name === 'eddsa-rdfc-2022') {
    return eddsaRdfc2022;
  }
  if(name === 'eddsa-jcs-2022') {
    return sign ? eddsaJcs2022.createSignCryptosuite() : eddsaJcs2022.createVerifyCryptosuite();
  }
  throw new Error(`unsupported cryptosuite ${JSON.stringify(name)}`);
}

// Verification accepts both cryptosuites: pick by the proof(s) of the document.
function verifySuites() {
  return [
    new DataIntegrityProof({cryptosuite: cryptosuiteFor('eddsa-rdfc-2022', {sign: false})}),
    new DataIntegrityProof({cryptosuite: cryptosuiteFor('eddsa-jcs-2022', {sign: false})})
  ];
}

function hexToBytes(hex) {
  if(typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new TypeError('"seed_hex" must be 64 hexadecimal digits (a 32-byte Ed25519 seed)');
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

async function keyFromSeed(seedHex) {
  const seed = hexToBytes(seedHex);
  const probe = await Ed25519Multikey.generate({seed});
  const controller = `did:key:${probe.publicKeyMultibase}`;
  // the DID document the verifier side will resolve, to be sure the key id is in it
  const {didDocument} = await didKeyDriver.fromKeyPair({verificationKeyPair: probe});
  if(didDocument.id !== controller) {
    throw new Error(`did:key mismatch: ${didDocument.id} != ${controller}`);
  }
  return Ed25519Multikey.generate({seed, controller, id: `${controller}#${probe.publicKeyMultibase}`});
}

function signingSuite(keyPair, request) {
  return new DataIntegrityProof({
    signer: keyPair.signer(),
    date: request.created,
    cryptosuite: cryptosuiteFor(request.cryptosuite, {sign: true})
  });
}

function errorJson(error) {
  if(!error) {
    return null;
  }
  if(Array.isArray(error)) {
    return error.map(errorJson);
  }
  const out = {name: error.name, message: error.message};
  for(const key of ['errors', 'cause']) {
    if(error[key]) {
      out[key] = errorJson(error[key]);
    }
  }
  if(error.details && typeof error.details === 'object') {
    out.details = {};
    for(const [key, value] of Object.entries(error.details)) {
      out.details[key] = value instanceof Error ? errorJson(value) : value;
    }
  }
  return out;
}

// First error found in a jsonld-signatures / vc result, for a short report.
function firstError(result) {
  if(!result) {
    return null;
  }
  if(result.error) {
    return errorJson(result.error);
  }
  for(const r of result.results || []) {
    if(r.error) {
      return errorJson(r.error);
    }
  }
  for(const r of result.credentialResults || []) {
    const e = firstError(r);
    if(e) {
      return e;
    }
  }
  if(result.presentationResult) {
    return firstError(result.presentationResult);
  }
  return null;
}

async function checkStatus() {
  return {verified: true};
}

const OPS = {
  async 'verify-credential'(req) {
    const result = await vc.verifyCredential({
      credential: req.credential,
      suite: verifySuites(),
      documentLoader,
      checkStatus,
      now: req.now ? new Date(req.now) : undefined
    });
    return {verified: result.verified, error: firstError(result), statusChecked: false,
      proofs: (result.results || []).map(r => ({verified: r.verified,
        cryptosuite: r.proof?.cryptosuite, purpose: r.proof?.proofPurpose}))};
  },

  async 'verify-presentation'(req) {
    const result = await vc.verify({
      presentation: req.presentation,
      challenge: req.challenge,
      domain: req.domain,
      suite: verifySuites(),
      documentLoader,
      checkStatus,
      now: req.now ? new Date(req.now) : undefined
    });
    return {
      verified: result.verified,
      error: firstError(result),
      statusChecked: false,
      presentationVerified: result.presentationResult ? result.presentationResult.verified : null,
      credentialsVerified: (result.credentialResults || []).map(r => r.verified)
    };
  },

  // For bench/: verify each credential once, in order, and time it in this process (the
  // libraries' caches warm from the first document on, as in a long-running verifier).
  async 'time-verify-credentials'(req) {
    let verified = 0;
    const start = process.hrtime.bigint();
    for(const credential of req.credentials) {
      const result = await vc.verifyCredential({
        credential, suite: verifySuites(), documentLoader, checkStatus,
        now: req.now ? new Date(req.now) : undefined
      });
      verified += result.verified ? 1 : 0;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return {count: req.credentials.length, verified, seconds};
  },

  async 'sign-credential'(req) {
    const keyPair = await keyFromSeed(req.seed_hex);
    const credential = await vc.issue({
      credential: structuredClone(req.credential),
      suite: signingSuite(keyPair, req),
      documentLoader,
      now: req.now ? new Date(req.now) : undefined
    });
    return {credential, verificationMethod: keyPair.id};
  },

  async 'sign-presentation'(req) {
    const keyPair = await keyFromSeed(req.seed_hex);
    const presentation = await vc.signPresentation({
      presentation: structuredClone(req.presentation),
      suite: signingSuite(keyPair, req),
      challenge: req.challenge,
      domain: req.domain,
      documentLoader
    });
    return {presentation, verificationMethod: keyPair.id};
  }
};

async function run(req) {
  if(!req || typeof req !== 'object') {
    throw new TypeError('the request must be a JSON object');
  }
  if(req.op === 'batch') {
    const results = [];
    for(const r of req.requests || []) {
      results.push(await runSafely(r));
    }
    return {results};
  }
  const op = OPS[req.op];
  if(!op) {
    throw new Error(`unknown op ${JSON.stringify(req.op)}`);
  }
  return op(req);
}

async function runSafely(req) {
  try {
    return await run(req);
  } catch(e) {
    const out = {error: errorJson(e)};
    if(req && typeof req.op === 'string' && req.op.startsWith('verify-')) {
      out.verified = false;
    }
    return out;
  }
}

function readStdin() {
  return new Promise((ok, fail) => {
    const chunks = [];
    process.stdin.on('data', c => chunks.push(c));
    process.stdin.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', fail);
  });
}

const input = await readStdin();
let request;
try {
  request = JSON.parse(input);
} catch(e) {
  process.stdout.write(JSON.stringify({error: {name: 'SyntaxError', message: e.message}}) + '\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(await runSafely(request)) + '\n');
