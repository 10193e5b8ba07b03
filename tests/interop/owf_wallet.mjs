// An independent OpenID4VP 1.0 wallet (tests/interop/test_owf_wallet.py; scripts/interop_veramo_wallet.py):
// the OpenWallet Foundation's @openid4vc/openid4vp parses, fetches and verifies the signed Request
// Object (client identifier prefix `decentralized_identifier`), makes and posts the direct_post response;
// the `dcql` package evaluates the query; `jose` holds the keys and signs the JWT VP as OpenID4VP 1.0
// §B.1.3.1.5 says (nonce, aud = the full Client Identifier). None of it is our code.
//
// Reads on stdin:
//   {link, credential: {format: "jwt_vc_json", token}, holder: {jwk (private), did, kid, alg},
//    now?: seconds (the test's clock: the library reads Date for the Request Object's exp),
//    submissions?: how many times to post the same response (2: a replay),
//    held?: [{format, vct, claims}] more credentials the wallet holds, only matched against the query}
// Writes on stdout: {version, client, client_name, matched, can_be_satisfied, held_matches: {query id:
// [index in held]}, presentation, submitted: [{status, body}]} or {error, detail}. Its only network is
// the verifier in the link (loopback in the tests).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mock } from 'node:test'
import { setGlobalConfig } from '@openid4vc/utils'
import { Openid4vpClient } from '@openid4vc/openid4vp'
import { DcqlQuery } from 'dcql'
import { SignJWT, compactVerify, decodeJwt, importJWK } from 'jose'

setGlobalConfig({ allowInsecureUrls: true }) // the verifier under test listens on http://127.0.0.1

const input = JSON.parse(readFileSync(0, 'utf8'))
if (input.now !== undefined) mock.timers.enable({ apis: ['Date'], now: input.now * 1000 })

function didJwk (did) {
  // did:jwk (the client identifier of our verifier and eduWallet's): the key is in the DID itself
  if (!did.startsWith('did:jwk:')) throw new Error(`cannot resolve ${did}: only did:jwk here`)
  return JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8'))
}

const callbacks = {
  fetch: (url, init) => fetch(url, init),
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
  verifyJwt: async (signer, jwt) => {
    if (signer.method !== 'did') return { verified: false }
    const jwk = didJwk(signer.didUrl.split('#')[0])
    try {
      await compactVerify(jwt.compact, await importJWK(jwk, jwt.header.alg))
      return { verified: true, signerJwk: jwk }
    } catch {
      return { verified: false, signerJwk: jwk }
    }
  },
  signJwt: () => { throw new Error('not used: direct_post sends no signed response') },
  encryptJwe: () => { throw new Error('not used: no encrypted response') },
  decryptJwe: () => { throw new Error('not used: no encrypted request') }
}

async function presentation (request, now) {
  const key = await importJWK(input.holder.jwk, input.holder.alg)
  const header = { alg: input.holder.alg, typ: 'JWT', kid: input.holder.kid }
  const vp = await new SignJWT({
    nonce: request.nonce,
    vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], holder: input.holder.did, verifiableCredential: [input.credential.token] }
  }).setProtectedHeader(header)
    .setIssuer(input.holder.did).setAudience(request.client_id).setIssuedAt(now).setExpirationTime(now + 300).sign(key)
  return { vp, header }
}

async function main () {
  const client = new Openid4vpClient({ callbacks })
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: input.link })
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params })
  const request = resolved.authorizationRequestPayload
  const query = DcqlQuery.parse(resolved.dcql.query)
  DcqlQuery.validate(query)
  const vc = decodeJwt(input.credential.token)
  const body = vc.vc ?? vc
  const held = {
    credential_format: input.credential.format,
    type: [].concat(body.type ?? []),
    claims: body,
    cryptographic_holder_binding: true
  }
  const result = DcqlQuery.query(query, [held])
  const matched = Object.entries(result.credential_matches).filter(([, m]) => m.success).map(([id]) => id)
  const others = (input.held ?? []).map((c) => ({ credential_format: c.format, vct: c.vct, claims: c.claims, cryptographic_holder_binding: true }))
  const heldMatches = others.length
    ? Object.fromEntries(Object.entries(DcqlQuery.query(query, others).credential_matches)
      .map(([id, m]) => [id, m.success ? m.valid_credentials.map((v) => v.input_credential_index) : []]))
    : {}
  const out = {
    version: resolved.version,
    client: { prefix: resolved.client.prefix, identifier: resolved.client.identifier, effective: resolved.client.effective },
    client_name: request.client_metadata?.client_name ?? null,
    matched,
    can_be_satisfied: result.can_be_satisfied,
    held_matches: heldMatches,
    submitted: []
  }
  if (!matched.length) return out
  const now = Math.floor(Date.now() / 1000)
  const { vp, header } = await presentation(request, now)
  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: { vp_token: { [matched[0]]: [vp] } }
  })
  out.presentation = { header, claims: decodeJwt(vp) }
  for (let i = 0; i < (input.submissions ?? 1); i++) {
    const submitted = await client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request,
      authorizationResponsePayload: response.authorizationResponsePayload
    })
    out.submitted.push({ status: submitted.response.status, body: await submitted.response.text() })
  }
  return out
}

main().then((out) => process.stdout.write(JSON.stringify(out) + '\n'))
  .catch((e) => { process.stdout.write(JSON.stringify({ error: `${e.name}: ${e.message}`, detail: e.errorResponse ?? null }) + '\n') })
