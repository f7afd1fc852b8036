// Noise interop peer for HyperJ's NoiseJsInteropTest: js-libp2p's own Noise (@chainsafe/libp2p-noise)
// over a raw TCP socket, negotiated with js-libp2p's multistream-select, without the rest of libp2p,
// so the test exercises exactly the secure channel.
//
//   node noise-peer.mjs listen <keyType>
//   node noise-peer.mjs dial <port> <expectedPeerId> <keyType>
//
// keyType: Ed25519 | secp256k1 | ECDSA | RSA. One JSON object per stdout line:
//   {"peerId", "port"}              (listen: once listening)
//   {"secured": true, "remotePeer", "streamMuxer"} once the handshake verified the Java peer;
//                                   streamMuxer: the muxer js agreed on in the handshake, or null
//   {"error": message}              on any failure (then exit code 1)
// After the handshake the peer echoes every decrypted chunk back until the Java side closes.
// The peer exits when its stdin ends.
// It advertises a stream muxer in its NoiseExtensions, as a full js-libp2p node does, so the Java
// side must tolerate them.
import net from 'node:net'
import { noise } from '@chainsafe/libp2p-noise'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import * as mss from '@libp2p/multistream-select'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
// Not exported by @libp2p/tcp's package entry; imported by path to reuse its socket adapter.
import { toMultiaddrConnection } from './node_modules/@libp2p/tcp/dist/src/socket-to-conn.js'
import { out as print, serve } from './driver.mjs'

const fail = (err) => {
  print({ error: String(err?.message ?? err) })
  process.exit(1)
}

const [mode, ...args] = process.argv.slice(2)
const keyType = mode === 'listen' ? args[0] : args[2]
const privateKey = await generateKeyPair(keyType)
const peerId = peerIdFromPrivateKey(privateKey)
const encrypter = noise()({
  privateKey,
  logger: defaultLogger(),
  upgrader: { getStreamMuxers: () => new Map([['/yamux/1.0.0', { protocol: '/yamux/1.0.0' }]]) }
})

async function secure (socket, direction, remotePeer) {
  const conn = toMultiaddrConnection({ socket, direction, log: defaultLogger().forComponent('noise-peer') })
  if (direction === 'outbound') {
    await mss.select(conn, ['/noise'])
  } else {
    await mss.handle(conn, ['/noise'])
  }
  const secured = direction === 'outbound'
    ? await encrypter.secureOutbound(conn, { remotePeer, skipStreamMuxerNegotiation: false })
    : await encrypter.secureInbound(conn, {})
  print({ secured: true, remotePeer: secured.remotePeer.toString(), streamMuxer: secured.streamMuxer?.protocol ?? null })
  const stream = secured.connection
  stream.addEventListener('message', (evt) => {
    const data = evt.data.subarray ? evt.data.subarray() : evt.data
    if (!stream.send(data)) {
      stream.pause()
      stream.onDrain().then(() => stream.resume(), fail)
    }
  })
  stream.addEventListener('close', () => process.exit(0))
}

process.on('unhandledRejection', fail)
serve({}) // no commands: only so that the end of stdin stops this peer
process.on('uncaughtException', fail)

if (mode === 'listen') {
  const server = net.createServer((socket) => {
    secure(socket, 'inbound').catch(fail)
  })
  server.listen(0, '127.0.0.1', () => print({ peerId: peerId.toString(), port: server.address().port }))
} else if (mode === 'dial') {
  const [port, expected] = args
  const socket = net.connect({ host: '127.0.0.1', port: Number(port) }, () => {
    secure(socket, 'outbound', peerIdFromString(expected)).catch(fail)
  })
  socket.on('error', fail)
} else {
  fail(`usage: noise-peer.mjs listen <keyType> | dial <port> <peerId> <keyType>`)
}
