// A js-libp2p node with @libp2p/gossipsub (TCP, Noise, Yamux, identify) on loopback, driven by
// GossipSubJsInteropTest through JsProcess (protocol: driver.mjs). Commands, besides dial and quit:
//   {"id","cmd":"subscribe","topic"}           -> {"id","ok":true}
//   {"id","cmd":"publish","topic","data"}      -> {"id","ok":true,"recipients":n}   (data: UTF-8 text)
//   {"id","cmd":"raw","peer","protocol","hex"} -> {"id","ok":true}  writes the bytes on a new stream of that protocol
//   {"id","cmd":"state","topic"}               -> {"id","ok":true,"mesh":[..],"subscribers":[..],"connections":[..]}
// Events: {"event":"ready","peerId","addrs"}, then {"event":"message","topic","data","from"} per message.
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { peerIdFromString } from '@libp2p/peer-id'
import { createLibp2p } from 'libp2p'
import { baseConfig, out, ready, serve } from './driver.mjs'

const node = await createLibp2p({
  ...baseConfig(),
  services: {
    identify: identify(),
    pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, emitSelf: false, heartbeatInterval: 200 })
  }
})
const pubsub = node.services.pubsub
pubsub.addEventListener('message', (evt) => {
  const m = evt.detail
  out({ event: 'message', topic: m.topic, data: new TextDecoder().decode(m.data), from: m.from?.toString() ?? null })
})

ready(node)
serve({
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
}, node)
