// js-libp2p gossipsub peer driven by GossipSubJsInteropTest: a full js-libp2p node (TCP, Noise,
// Yamux, identify, @libp2p/gossipsub) on loopback. Run with `node --input-type=module -e` from
// interop/js (so its node_modules resolve). Commands: one JSON object per stdin line; answers and
// events: one JSON object per stdout line.
//   {"cmd":"dial","addr"}                 -> {"ok":"dial"}
//   {"cmd":"subscribe","topic"}           -> {"ok":"subscribe"}
//   {"cmd":"publish","topic","data"}      -> {"ok":"publish","recipients":n}   (data: UTF-8 text)
//   {"cmd":"raw","peer","protocol","hex"} -> {"ok":"raw"}  writes the bytes on a new stream of that protocol
//   {"cmd":"state","topic"}               -> {"ok":"state","mesh":[..],"subscribers":[..],"connections":[..]}
//   event {"event":"message","topic","data","from"}
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import readline from 'node:readline'

const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, emitSelf: false, heartbeatInterval: 200 })
  }
})
const pubsub = node.services.pubsub
pubsub.addEventListener('message', (evt) => {
  const m = evt.detail
  print({ event: 'message', topic: m.topic, data: new TextDecoder().decode(m.data), from: m.from?.toString() ?? null })
})
print({ peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })

const handlers = {
  async dial (c) { await node.dial(multiaddr(c.addr)); return {} },
  async subscribe (c) { pubsub.subscribe(c.topic); return {} },
  async publish (c) {
    const r = await pubsub.publish(c.topic, new TextEncoder().encode(c.data))
    return { recipients: r.recipients.length }
  },
  async raw (c) {
    const stream = await node.dialProtocol(peerIdFromString(c.peer), c.protocol)
    stream.send(Uint8Array.from(Buffer.from(c.hex, 'hex')))
    return {}
  },
  async state (c) {
    return {
      mesh: pubsub.getMeshPeers(c.topic),
      subscribers: pubsub.getSubscribers(c.topic).map(String),
      connections: node.getConnections().map((x) => x.remotePeer.toString())
    }
  }
}

const rl = readline.createInterface({ input: process.stdin })
let queue = Promise.resolve()
rl.on('line', (line) => {
  queue = queue.then(async () => {
    let c
    try {
      c = JSON.parse(line)
      print({ ok: c.cmd, ...(await handlers[c.cmd](c)) })
    } catch (err) {
      print({ ok: c?.cmd ?? null, error: String(err?.message ?? err) })
    }
  })
})
rl.on('close', async () => {
  await queue
  await node.stop()
  process.exit(0)
})
