// Key interop peer for HyperJ's JsKeyInteropTest: js-libp2p (@libp2p/crypto, @libp2p/peer-id) computes,
// for keys given by Java, the public key encoding, peer id and signature checks, and generates keys of
// its own for Java to read.
//
// stdin:  {"message": hex, "otherMessage": hex,
//          "keys": [{"privateKey": hex (protobuf PrivateKey), "signature": hex (Java's signature of message)}],
//          "generate": ["Ed25519" | "secp256k1" | "ECDSA" | "RSA", ...]}
//          "multiaddrs": [text, ...], "multiaddrBytes": [hex, ...], "peerIds": [text, ...]}
// stdout: {"keys": [result], "generated": [result],
//          "multiaddrs": [{bytes: hex} | {error}], "multiaddrBytes": [{text} | {error}],
//          "peerIds": [{base58, cid} | {error}]} where result is
//          {type, privateKey, publicKey, peerId, peerIdCid, peerIdError, ecdsaPoint,
//           javaSignatureValid, javaSignatureValidForOtherMessage, signature}
//
// js-libp2p 5 deviates from the libp2p spec for ECDSA: it encodes the public key as a SEC1-like
// structure instead of SubjectPublicKeyInfo, signs with WebCrypto's raw r||s instead of DER, and
// peerIdFromPublicKey rejects ECDSA. For ECDSA this script therefore reports the public point
// (ecdsaPoint, 04||x||y) instead of relying on its encoding, and converts Java's DER signature to
// r||s before asking js-libp2p to verify it (signatureConverted: true).
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'

const hex = (bytes) => Buffer.from(bytes).toString('hex')
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'))

/** DER SEQUENCE { INTEGER r, INTEGER s } to fixed-width r || s (32 bytes each, P-256). */
function derToRaw (der) {
  const fail = () => { throw new Error('not a DER ECDSA signature') }
  let i = 0
  const readLength = () => {
    let len = der[i++]
    if (len & 0x80) {
      const n = len & 0x7f
      if (n < 1 || n > 2) fail()
      len = 0
      for (let k = 0; k < n; k++) len = (len << 8) | der[i++]
    }
    return len
  }
  if (der[i++] !== 0x30) fail()
  readLength()
  const parts = []
  for (let p = 0; p < 2; p++) {
    if (der[i++] !== 0x02) fail()
    const len = readLength()
    let int = der.subarray(i, i + len)
    i += len
    while (int.length > 32 && int[0] === 0) int = int.subarray(1)
    if (int.length > 32) fail()
    const padded = new Uint8Array(32)
    padded.set(int, 32 - int.length)
    parts.push(padded)
  }
  const out = new Uint8Array(64)
  out.set(parts[0], 0)
  out.set(parts[1], 32)
  return out
}

async function describe (key, message, otherMessage, javaSignature) {
  const result = { type: key.type, privateKey: hex(privateKeyToProtobuf(key)) }
  if (key.type === 'ECDSA') {
    const jwk = key.publicKey.jwk
    result.ecdsaPoint = '04' + hex(Buffer.from(jwk.x, 'base64url')) + hex(Buffer.from(jwk.y, 'base64url'))
    result.publicKey = hex(publicKeyToProtobuf(key.publicKey))
  } else {
    result.publicKey = hex(publicKeyToProtobuf(key.publicKey))
  }
  try {
    const id = peerIdFromPrivateKey(key)
    result.peerId = id.toString()
    result.peerIdCid = id.toCID().toString()
  } catch (e) {
    result.peerIdError = String(e.message ?? e)
  }
  if (javaSignature != null) {
    let sig = javaSignature
    if (key.type === 'ECDSA') {
      sig = derToRaw(sig)
      result.signatureConverted = true
    }
    result.javaSignatureValid = await key.publicKey.verify(message, sig)
    result.javaSignatureValidForOtherMessage = await key.publicKey.verify(otherMessage, sig)
  }
  result.signature = hex(await key.sign(message))
  return result
}

async function main () {
  const chunks = []
  for await (const c of process.stdin) chunks.push(c)
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const message = unhex(input.message)
  const otherMessage = unhex(input.otherMessage ?? '00')
  const out = { keys: [], generated: [] }
  for (const k of input.keys ?? []) {
    const key = privateKeyFromProtobuf(unhex(k.privateKey))
    out.keys.push(await describe(key, message, otherMessage, k.signature != null ? unhex(k.signature) : null))
  }
  for (const type of input.generate ?? []) {
    out.generated.push(await describe(await generateKeyPair(type), message, otherMessage, null))
  }
  const attempt = (f) => { try { return f() } catch (e) { return { error: String(e.message ?? e) } } }
  out.multiaddrs = (input.multiaddrs ?? []).map((text) => attempt(() => ({ bytes: hex(multiaddr(text).bytes) })))
  out.multiaddrBytes = (input.multiaddrBytes ?? []).map((h) => attempt(() => ({ text: multiaddr(unhex(h)).toString() })))
  out.peerIds = (input.peerIds ?? []).map((text) => attempt(() => {
    const id = peerIdFromString(text)
    return { base58: id.toString(), cid: id.toCID().toString() }
  }))
  process.stdout.write(JSON.stringify(out) + '\n')
}

main().catch((e) => {
  process.stderr.write(`keys.mjs: ${e.stack ?? e}\n`)
  process.exit(1)
})
