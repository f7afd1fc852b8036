// What every js-libp2p peer script driven by HyperJ's tests shares (Java side: JsProcess).
//
// The protocol is JSON lines: the driver writes one command per stdin line, {"id":n,"cmd":"...",...};
// the script answers each with one stdout line repeating the id, {"id":n,"ok":true,...} or
// {"id":n,"ok":false,"error":"..."}. Any stdout line without an id is an event, e.g. the first one,
// {"event":"ready","peerId":..,"addrs":[..]}. When stdin ends the script stops (no orphans after a
// crashed test).
import { createInterface } from 'node:readline'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'

/** The value after `name` on the command line, else `fallback`. */
export function arg (name, fallback) {
  const i = process.argv.indexOf(name)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback
}

/** Prints one JSON line (an event, or an answer). */
export function out (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}
// The driving process went away: nobody reads us any more.
process.stdout.on('error', () => process.exit(0))

/**
 * The libp2p options every peer script uses: TCP on loopback (`--listen`, default an ephemeral
 * port), Noise, Yamux (with `yamuxOptions`), and the agent string; merge services etc. into it.
 */
export function baseConfig ({ userAgent, yamuxOptions } = {}) {
  return {
    addresses: { listen: [arg('--listen', '/ip4/127.0.0.1/tcp/0')] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux(yamuxOptions ?? {})],
    ...(userAgent != null ? { nodeInfo: { userAgent } } : {})
  }
}

/** Announces a started node: {"event":"ready","peerId","addrs",...extra}. */
export function ready (node, extra = {}) {
  out({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String), ...extra })
}

/**
 * Answers commands from stdin with `commands[cmd](msg)` until stdin ends, then stops `node` (if
 * any) and exits. Adds `dial` (to a multiaddr, 15 s) and `quit` unless `commands` has its own.
 */
export function serve (commands, node) {
  const stop = async () => {
    await node?.stop().catch(() => {})
    process.exit(0)
  }
  const all = {
    async dial ({ addr }) {
      const conn = await node.dial(multiaddr(addr), { signal: AbortSignal.timeout(15_000) })
      return { peer: conn.remotePeer.toString(), muxer: conn.multiplexer, encryption: conn.encryption }
    },
    async quit () {
      setImmediate(stop)
      return {}
    },
    ...commands
  }
  const rl = createInterface({ input: process.stdin })
  rl.on('line', (line) => {
    if (line.trim() === '') return
    let msg
    try { msg = JSON.parse(line) } catch (err) { out({ ok: false, error: `bad JSON: ${err.message}` }); return }
    const fn = all[msg.cmd]
    if (fn == null) { out({ id: msg.id, ok: false, error: `unknown command ${msg.cmd}` }); return }
    Promise.resolve().then(() => fn(msg)).then(
      (res) => out({ id: msg.id, ok: true, ...res }),
      (err) => out({ id: msg.id, ok: false, error: `${err.name}: ${err.message}` }))
  })
  rl.on('close', stop)
  process.on('SIGTERM', stop)
}
