// A js-libp2p 3.x node running @libp2p/kad-dht 16 in server mode, for HyperJ's DHT interop test.
//
// Usage: node kad-peer.mjs [--listen MADDR] [--protocol /ipfs/kad/1.0.0]
//
// It listens (default /ip4/127.0.0.1/tcp/0) and prints one JSON line
//   {"event":"ready","peerId":"12D3...","addrs":["/ip4/127.0.0.1/tcp/4001/p2p/12D3..."]}
// then reads JSON commands from stdin, one per line, each with an "id" that its answer repeats.
// Keys and values travel as base64 ("key", "value"); peer ids as base58 strings.
//   {"id":1,"cmd":"dial","addr":"/ip4/.../p2p/..."}      -> {"id":1,"ok":true,"peer":"..."}
//   {"id":2,"cmd":"table"}                               -> {"id":2,"ok":true,"peers":["..."]}  routing table
//   {"id":3,"cmd":"closest","key":"<b64>"}               -> {"ok":true,"peers":[{"id":..,"addrs":[..]}]}  getClosestPeers
//   {"id":4,"cmd":"findPeer","peer":"..."}               -> {"ok":true,"found":{"id":..,"addrs":[..]}|null}
//   {"id":5,"cmd":"put","key":"<b64>","value":"<b64>"}   -> {"ok":true,"acks":["peer",..]}  peers that confirmed PUT_VALUE
//   {"id":6,"cmd":"get","key":"<b64>"}                   -> {"ok":true,"value":"<b64>"|null,"from":["peer",..]}
//   {"id":7,"cmd":"provide","multihash":"<b64>"}         -> {"ok":true}  (CIDv1 raw of that multihash)
//   {"id":8,"cmd":"findProviders","multihash":"<b64>"}   -> {"ok":true,"providers":[{"id":..,"addrs":[..]}]}
//   {"id":9,"cmd":"quit"}                                -> exits 0
// Failures answer {"id":..,"ok":false,"error":"..."}. Routing table changes are printed as events
//   {"event":"tableAdd"|"tableRemove","peer":"..."}.
//
// Records: besides the built-in "pk" namespace it validates "/hyperj/<name>" keys, whose values
// must be UTF-8 text starting with "hyperj:" (the Java side registers the same rule); the first
// of several valid records wins.
import { identify } from '@libp2p/identify'
import { EventTypes, MessageType, kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { arg, baseConfig, out, ready, serve } from './driver.mjs'

const RAW_CODEC = 0x55
const VALUE_PREFIX = 'hyperj:'
const QUERY_TIMEOUT_MS = 30_000

function validateHyperj (key, value) {
  const text = Buffer.from(value).toString('utf8')
  if (!text.startsWith(VALUE_PREFIX)) {
    throw new Error(`/hyperj/ record value must start with "${VALUE_PREFIX}"`)
  }
}

const node = await createLibp2p({
  ...baseConfig({ userAgent: 'hyperj-interop-js-kad/1.0.0' }),
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({
      protocol: arg('--protocol', '/ipfs/kad/1.0.0'),
      clientMode: false,
      // the default mapper drops private and loopback addresses: everything here is on 127.0.0.1
      peerInfoMapper: passthroughMapper,
      validators: { hyperj: validateHyperj },
      selectors: { hyperj: () => 0 }
    })
  }
})
const dht = node.services.dht

dht.routingTable.addEventListener('peer:add', (evt) => out({ event: 'tableAdd', peer: evt.detail.toString() }))
dht.routingTable.addEventListener('peer:remove', (evt) => out({ event: 'tableRemove', peer: evt.detail.toString() }))

const b64 = (bytes) => Buffer.from(bytes).toString('base64')
const bytes = (text) => new Uint8Array(Buffer.from(text, 'base64'))
const peerJson = (p) => ({ id: p.id.toString(), addrs: p.multiaddrs.map(a => a.toString()) })
const querySignal = () => AbortSignal.timeout(QUERY_TIMEOUT_MS)
const cidOf = (multihash) => CID.createV1(RAW_CODEC, Digest.decode(bytes(multihash)))

const commands = {
  async table () {
    const peers = []
    for (const p of dht.routingTable.kb.toIterable()) peers.push(p.peerId.toString())
    return { peers }
  },
  async closest ({ key }) {
    const peers = []
    for await (const e of dht.getClosestPeers(bytes(key), { signal: querySignal() })) {
      if (e.type === EventTypes.FINAL_PEER) peers.push(peerJson(e.peer))
    }
    return { peers }
  },
  async findPeer ({ peer }) {
    const id = peerIdFromString(peer)
    for await (const e of dht.findPeer(id, { signal: querySignal() })) {
      if (e.type === EventTypes.FINAL_PEER && e.peer.id.equals(id)) return { found: peerJson(e.peer) }
    }
    return { found: null }
  },
  async put ({ key, value }) {
    const acks = []
    const errors = []
    for await (const e of dht.put(bytes(key), bytes(value), { signal: querySignal() })) {
      if (e.type === EventTypes.PEER_RESPONSE && (e.messageName === MessageType.PUT_VALUE || e.messageName === 'PUT_VALUE')) acks.push(e.from.toString())
      if (e.type === EventTypes.QUERY_ERROR) errors.push(`${e.from}: ${e.error?.message}`)
    }
    return { acks, errors }
  },
  async get ({ key }) {
    let value = null
    const from = []
    for await (const e of dht.get(bytes(key), { signal: querySignal() })) {
      if (e.type === EventTypes.VALUE) {
        value = b64(e.value) // the final VALUE event carries the best record
        from.push(e.from.toString())
      }
    }
    return { value, from }
  },
  async provide ({ multihash }) {
    for await (const e of dht.provide(cidOf(multihash), { signal: querySignal() })) { void e }
    return {}
  },
  async findProviders ({ multihash }) {
    const providers = new Map()
    for await (const e of dht.findProviders(cidOf(multihash), { signal: querySignal() })) {
      if (e.type === EventTypes.PROVIDER) {
        for (const p of e.providers) providers.set(p.id.toString(), peerJson(p))
      }
    }
    return { providers: [...providers.values()] }
  }
}

ready(node)
serve(commands, node)
