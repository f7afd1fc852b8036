// A js-libp2p 3.x peer that HyperJ's interop tests and transport benchmark drive.
//
// Usage: node peer.mjs [--listen MADDR] [--agent STRING] [--key-type ed25519|secp256k1|ecdsa|rsa]
//
// It listens (default /ip4/127.0.0.1/tcp/0), prints one JSON line
//   {"event":"ready","peerId":"12D3...","addrs":["/ip4/127.0.0.1/tcp/4001/p2p/12D3..."],"protocols":[...]}
// then reads JSON commands from stdin, one per line, each with an "id" that its answer repeats:
//   {"id":1,"cmd":"dial","addr":"/ip4/.../p2p/..."}            -> {"id":1,"ok":true,"peer":"..."}
//   {"id":2,"cmd":"identify","peer":"..."}                      -> {"id":2,"ok":true,"agentVersion":..,"protocols":[..],"listenAddrs":[..],"signedPeerRecord":bool}
//   {"id":3,"cmd":"ping","peer":"...","count":3}                -> {"id":3,"ok":true,"rtts":[ms,...]}
//   {"id":4,"cmd":"echo","peer":"...","data":"<base64>"}        -> {"id":4,"ok":true,"data":"<base64>"}
//   {"id":5,"cmd":"echoMany","peer":"...","streams":1000,"size":64}
//                                                               -> {"id":5,"ok":true,"succeeded":1000,"ms":..}
//   {"id":6,"cmd":"sink","peer":"...","bytes":67108864,"protocol":"/hyperj/sink/1.0.0"}
//        sends that many bytes (a fixed 1 MiB pseudo-random block, repeated) on one stream,
//        half-closes, reads the peer's answer
//                                                               -> {"id":6,"ok":true,"sha256":"<hex of sent>","reply":"<hex of answer>","ms":..}
//   {"id":7,"cmd":"handle","protocol":"/x/1.0.0"}               -> serves one more protocol (js-libp2p then sends identify push)
//   {"id":8,"cmd":"quit"}                                       -> exits 0
// Failures answer {"id":..,"ok":false,"error":"..."}. Connection events are printed as
//   {"event":"connected"|"disconnected","peer":"...","addr":"..."} and
//   {"event":"identified","peer":"...","agentVersion":"...","protocols":[...]}.
//
// Protocols it serves besides identify, identify push and ping:
//   /hyperj/echo/1.0.0     reads one unsigned-varint-length-prefixed request (at most 4 MiB), answers
//                          with the same bytes length-prefixed, then closes its write side;
//   /hyperj/sink/1.0.0     reads until the remote half-closes, answers the 32-byte SHA-256 of what it read;
//   /hyperj/discard/1.0.0  reads until the remote half-closes, answers the byte count as 8 bytes big-endian.
import { createHash } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify, identifyPush } from '@libp2p/identify'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { lpStream } from '@libp2p/utils'
import { createLibp2p } from 'libp2p'
import { arg, baseConfig, out, ready, serve } from './driver.mjs'

const ECHO = '/hyperj/echo/1.0.0'
const SINK = '/hyperj/sink/1.0.0'
const DISCARD = '/hyperj/discard/1.0.0'
const MAX_ECHO = 4 * 1024 * 1024
const STREAM_LIMIT = 4096

const keyType = arg('--key-type', 'ed25519')
const keyTypes = { ed25519: 'Ed25519', secp256k1: 'secp256k1', ecdsa: 'ECDSA', rsa: 'RSA' }
const privateKey = await generateKeyPair(keyTypes[keyType] ?? 'Ed25519')

const agentVersion = arg('--agent', 'hyperj-interop-js/1.0.0')
const node = await createLibp2p({
  ...baseConfig({ userAgent: agentVersion, yamuxOptions: { maxInboundStreams: STREAM_LIMIT, maxOutboundStreams: STREAM_LIMIT } }),
  privateKey,
  connectionManager: { maxConnections: 1000 },
  services: { identify: identify(), identifyPush: identifyPush(), ping: ping() }
})

const streamOpts = { maxInboundStreams: STREAM_LIMIT, maxOutboundStreams: STREAM_LIMIT }

// One request per stream: a varint-length-prefixed message in, the same message out.
await node.handle(ECHO, async (stream) => {
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_ECHO })
    const request = await lp.read()
    await lp.write(request.subarray())
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}, streamOpts)

// Reads everything, then answers a digest of it: SHA-256, or the byte count.
function drainThenAnswer (answer) {
  return async (stream) => {
    try {
      const state = answer.start()
      for await (const chunk of stream) {
        answer.update(state, chunk.subarray ? chunk.subarray() : chunk)
      }
      stream.send(answer.finish(state))
      await stream.close()
    } catch (err) {
      stream.abort(err)
    }
  }
}
await node.handle(SINK, drainThenAnswer({
  start: () => createHash('sha256'),
  update: (h, b) => h.update(b),
  finish: (h) => h.digest()
}), streamOpts)
await node.handle(DISCARD, drainThenAnswer({
  start: () => ({ n: 0n }),
  update: (s, b) => { s.n += BigInt(b.byteLength) },
  finish: (s) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(s.n); return b }
}), streamOpts)

node.addEventListener('connection:open', (evt) => {
  out({ event: 'connected', peer: evt.detail.remotePeer.toString(), addr: evt.detail.remoteAddr.toString() })
})
node.addEventListener('connection:close', (evt) => {
  out({ event: 'disconnected', peer: evt.detail.remotePeer.toString(), addr: evt.detail.remoteAddr.toString() })
})
const identified = new Map() // peer id string -> identify result
const identifyWaiters = new Map() // peer id string -> [resolve]
node.addEventListener('peer:identify', (evt) => {
  const r = evt.detail
  const peer = r.peerId.toString()
  const summary = {
    agentVersion: r.agentVersion,
    protocolVersion: r.protocolVersion,
    protocols: r.protocols,
    listenAddrs: r.listenAddrs.map(a => a.toString()),
    observedAddr: r.observedAddr?.toString(),
    signedPeerRecord: r.signedPeerRecord != null,
    signedAddrs: r.signedPeerRecord?.addresses?.map(a => a.toString()) ?? []
  }
  identified.set(peer, summary)
  out({ event: 'identified', peer, ...summary })
  for (const resolve of identifyWaiters.get(peer) ?? []) resolve(summary)
  identifyWaiters.delete(peer)
})

function waitIdentified (peer, ms) {
  if (identified.has(peer)) return Promise.resolve(identified.get(peer))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no identify from ${peer} within ${ms} ms`)), ms)
    const list = identifyWaiters.get(peer) ?? []
    list.push((s) => { clearTimeout(timer); resolve(s) })
    identifyWaiters.set(peer, list)
  })
}

// The bytes a sink command sends: a 1 MiB pseudo-random block (xorshift32, fixed seed) repeated,
// so producing them costs nothing and the Java side can recompute the digest.
const BLOCK = (() => {
  const buf = Buffer.alloc(1024 * 1024)
  let x = 0x9e3779b9
  for (let i = 0; i < buf.length; i += 4) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    buf.writeUInt32LE(x, i)
  }
  return buf
})()

// Reads the whole inbound side of a stream into one Buffer, bounded.
async function readAll (stream, max) {
  const chunks = []
  let n = 0
  for await (const chunk of stream) {
    const b = chunk.subarray ? chunk.subarray() : chunk
    n += b.byteLength
    if (n > max) throw new Error(`answer longer than ${max} bytes`)
    chunks.push(Buffer.from(b))
  }
  return Buffer.concat(chunks)
}

const commands = {
  async identify ({ peer, timeoutMs }) {
    return await waitIdentified(peer, timeoutMs ?? 10_000)
  },
  async peerInfo ({ peer }) {
    const p = await node.peerStore.get(peerIdFromString(peer))
    return {
      protocols: p.protocols,
      addresses: p.addresses.map(a => ({ addr: a.multiaddr.toString(), certified: a.isCertified })),
      agentVersion: p.metadata.get('AgentVersion') ? Buffer.from(p.metadata.get('AgentVersion')).toString() : undefined
    }
  },
  async ping ({ peer, count }) {
    const rtts = []
    for (let i = 0; i < (count ?? 1); i++) {
      rtts.push(await node.services.ping.ping(peerIdFromString(peer), { signal: AbortSignal.timeout(10_000) }))
    }
    return { rtts }
  },
  async echo ({ peer, data }) {
    const request = Buffer.from(data, 'base64')
    const reply = await echoOnce(peerIdFromString(peer), request)
    return { data: Buffer.from(reply).toString('base64') }
  },
  async echoMany ({ peer, streams, size }) {
    const id = peerIdFromString(peer)
    const start = Date.now()
    const results = await Promise.allSettled(Array.from({ length: streams }, async (_, i) => {
      const request = Buffer.alloc(size ?? 64, i & 0xff)
      request.writeUInt32BE(i, 0)
      const reply = await echoOnce(id, request)
      if (!request.equals(Buffer.from(reply))) throw new Error(`stream ${i}: wrong echo`)
    }))
    const failed = results.filter(r => r.status === 'rejected')
    return {
      succeeded: results.length - failed.length,
      failed: failed.length,
      firstError: failed[0]?.reason?.message,
      ms: Date.now() - start
    }
  },
  async sink ({ peer, bytes, protocol, chunk }) {
    protocol = protocol ?? SINK
    const stream = await node.dialProtocol(peerIdFromString(peer), protocol, { signal: AbortSignal.timeout(15_000), ...streamOpts })
    // hashing what we send costs as much as what the sink does, so the discard benchmark skips it
    const hash = protocol === DISCARD ? null : createHash('sha256')
    const chunkSize = Math.min(chunk ?? 64 * 1024, BLOCK.length)
    const answer = readAll(stream, 64)
    const start = process.hrtime.bigint()
    let sent = 0
    while (sent < bytes) {
      const offset = sent % BLOCK.length
      const buf = BLOCK.subarray(offset, offset + Math.min(chunkSize, bytes - sent, BLOCK.length - offset))
      hash?.update(buf)
      sent += buf.length
      if (!stream.send(buf)) await stream.onDrain({ signal: AbortSignal.timeout(60_000) })
    }
    await stream.close({ signal: AbortSignal.timeout(60_000) })
    const reply = await answer
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    return { sha256: hash?.digest('hex'), reply: reply.toString('hex'), ms, mbPerSec: bytes / 1e6 / (ms / 1000) }
  },
  async handle ({ protocol }) {
    // a new protocol changes what identify says about us: js-libp2p pushes it to connected peers
    await node.handle(protocol, async (stream) => { await stream.close() }, streamOpts)
    return { protocols: node.getProtocols() }
  }
}

async function echoOnce (peerId, request) {
  const stream = await node.dialProtocol(peerId, ECHO, { signal: AbortSignal.timeout(30_000), ...streamOpts })
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_ECHO })
    await lp.write(request)
    const reply = await lp.read({ signal: AbortSignal.timeout(30_000) })
    await stream.close()
    return reply.subarray()
  } catch (err) {
    stream.abort(err)
    throw err
  }
}

ready(node, { protocols: node.getProtocols(), agentVersion })
serve(commands, node)
