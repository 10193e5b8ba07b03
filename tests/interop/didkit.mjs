#!/usr/bin/env node
/*
 * Interoperability helper: verify with DIDKit (Spruce's Rust `ssi`, compiled to WebAssembly and
 * published as @learncard/didkit-plugin), driven by tests/interop/test_didkit.py.
 *
 * Reads one JSON request on stdin, writes one JSON response on stdout:
 *   {"op":"verify-presentation","presentation":{...},"challenge":"...?","domain":"...?"}
 *       -> {"checks":[...],"warnings":[...],"errors":[...]}   (DIDKit's own result)
 *   {"op":"verify-credential","credential":{...}}             -> the same shape
 *   {"op":"batch","requests":[request, ...]} -> {"results":[response, ...]}
 * A failing operation answers {"errors":["<name>: <message>"]}.
 *
 * Offline: the WebAssembly module is read from the installed package (not fetched from the default
 * URL the plugin names), `fetch` is replaced by a function that throws, and the JSON-LD contexts
 * DIDKit is given are exactly contexts/ (its context map); did:key needs no resolution.
 */
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CONTEXTS_DIR = process.env.VC_CONTEXTS_DIR || resolve(HERE, '..', '..', 'contexts');

globalThis.fetch = async url => {
  throw new Error(`network disabled in the DIDKit interoperability test (asked for ${url})`);
};

function contextMap() {
  const manifest = JSON.parse(readFileSync(join(CONTEXTS_DIR, 'manifest.json'), 'utf8'));
  const map = {};
  for(const entry of manifest.contexts) {
    map[entry.url] = readFileSync(join(CONTEXTS_DIR, entry.file), 'utf8');
  }
  return map;
}

const CONTEXTS = contextMap();
// the plugin resolves each @context URL of a document through the LearnCard it is given: this one
// knows contexts/ and nothing else
const learnCard = {
  context: {
    resolveDocument: async uri => (uri in CONTEXTS ? JSON.parse(CONTEXTS[uri]) : undefined)
  },
  debug: () => {}
};

async function plugin() {
  const {getDidKitPlugin} = await import('@learncard/didkit-plugin');
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve('@learncard/didkit-plugin/dist/didkit_wasm_bg.wasm'));
  return getDidKitPlugin(wasm, false);
}

async function handle(didkit, request) {
  try {
    if(request.op === 'verify-presentation') {
      const options = {proofPurpose: 'authentication'};
      if(request.challenge) {
        options.challenge = request.challenge;
      }
      if(request.domain) {
        options.domain = request.domain;
      }
      return await didkit.methods.verifyPresentation(learnCard, request.presentation, options);
    }
    if(request.op === 'verify-credential') {
      return await didkit.methods.verifyCredential(learnCard, request.credential, {});
    }
    return {errors: [`unknown op ${request.op}`]};
  } catch(e) {
    return {errors: [`${e?.name || 'Error'}: ${e?.message || String(e)}`]};
  }
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const didkit = await plugin();
const out = input.op === 'batch' ?
  {results: await Promise.all(input.requests.map(r => handle(didkit, r)))} :
  await handle(didkit, input);
process.stdout.write(JSON.stringify(out));
