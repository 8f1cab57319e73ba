// bittorrent-dht nodes on 127.0.0.1, commanded by restfs's interoperability test (DhtInteropTest) over a line
// protocol: one JSON object per line on stdin, one JSON answer per line on stdout, in order. Every answer carries
// "ok"; failures carry "error". Nodes are numbered from 0 in the order they were started.
//
//   {"cmd":"start","bootstrap":["127.0.0.1:6881"]}      -> {"ok":true,"node":0,"id":"<hex>","port":40000}
//   {"cmd":"addNode","node":0,"id":"<hex>","port":p}    -> {"ok":true}          (adds a contact, no ping)
//   {"cmd":"table","node":0}                            -> {"ok":true,"nodes":[{"id","port"}]}
//   {"cmd":"ping","node":0,"port":p}                    -> {"ok":true,"id":"<hex>"}
//   {"cmd":"find_node","node":0,"port":p,"target":hex}  -> {"ok":true,"id":"<responder>","nodes":[{"id","port"}]}
//   {"cmd":"lookup","node":0,"target":hex}              -> {"ok":true,"responders":[{"id","port"}]}
//   {"cmd":"put","node":0,"v":"text"}                   -> {"ok":true,"target":hex,"stored":n}
//   {"cmd":"put","node":0,"v":"text","seed":hex,"seq":n[,"salt":"s"]}
//                                                       -> {"ok":true,"target":hex,"stored":n,"k":hex}
//   {"cmd":"get","node":0,"target":hex[,"salt":"s"]}    -> {"ok":true,"found":b,"v":"text","seq":n,"from":[port]}
//   {"cmd":"quit"}                                      -> {"ok":true}, then exits
//
// Values travel as UTF-8 text: bittorrent-dht bencodes a Buffer v as a byte string, so "abc" is stored as 3:abc.
import DHT from 'bittorrent-dht'
import crypto from 'crypto'
import readline from 'readline'

const HOST = '127.0.0.1'
// Ed25519 keys in DER: RFC 8410's SubjectPublicKeyInfo and PKCS#8 headers, followed by the raw 32 bytes.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

const nodes = []

function verify (signature, message, publicKey) {
  try {
    const key = crypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
    return crypto.verify(null, message, key, signature)
  } catch (e) {
    return false
  }
}

function keyFromSeed (seedHex) {
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seedHex, 'hex')]), format: 'der', type: 'pkcs8'
  })
  const publicKey = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length)
  return { publicKey, sign: message => crypto.sign(null, message, privateKey) }
}

function node (msg) {
  const dht = nodes[msg.node]
  if (!dht) throw new Error('no node ' + msg.node)
  return dht
}

function contact (n) {
  return { id: Buffer.from(n.id).toString('hex'), port: n.port }
}

function parseCompactNodes (buf) {
  const out = []
  for (let i = 0; buf && i + 26 <= buf.length; i += 26) {
    out.push({ id: buf.subarray(i, i + 20).toString('hex'), host: buf.subarray(i + 20, i + 24).join('.'), port: buf.readUInt16BE(i + 24) })
  }
  return out
}

function start (msg) {
  return new Promise((resolve, reject) => {
    const bootstrap = msg.bootstrap && msg.bootstrap.length ? msg.bootstrap : false
    // bootstrap: false keeps the node off the public routers; host is the address it announces itself at.
    const dht = new DHT({ bootstrap, host: HOST, verify })
    dht.on('error', err => process.stderr.write('peer.js node error: ' + err.message + '\n'))
    dht.on('warning', () => {})
    // Bind before the first query goes out: an unbound socket would bind to 0.0.0.0 on its own.
    dht.listen(0, HOST)
    let listening = false
    let ready = false
    const done = () => {
      if (listening && ready) {
        nodes.push(dht)
        resolve({ ok: true, node: nodes.length - 1, id: dht.nodeId.toString('hex'), port: dht.address().port })
      }
    }
    dht.once('listening', () => { listening = true; done() })
    dht.once('ready', () => { ready = true; done() })
    setTimeout(() => reject(new Error('node did not start within 10 s')), 10000).unref()
  })
}

function query (dht, port, message) {
  return new Promise((resolve, reject) => {
    dht._rpc.query({ host: HOST, port }, message, (err, res) => err ? reject(err) : resolve(res))
  })
}

async function handle (msg) {
  switch (msg.cmd) {
    case 'start':
      return start(msg)
    case 'addNode':
      node(msg).addNode({ id: Buffer.from(msg.id, 'hex'), host: HOST, port: msg.port })
      return { ok: true }
    case 'table':
      return { ok: true, nodes: node(msg).nodes.toArray().map(contact) }
    case 'ping': {
      const dht = node(msg)
      const res = await query(dht, msg.port, { q: 'ping', a: { id: dht.nodeId } })
      return { ok: true, id: res.r.id.toString('hex') }
    }
    case 'find_node': {
      const dht = node(msg)
      const res = await query(dht, msg.port, { q: 'find_node', a: { id: dht.nodeId, target: Buffer.from(msg.target, 'hex') } })
      return { ok: true, id: res.r.id.toString('hex'), nodes: parseCompactNodes(res.r.nodes) }
    }
    case 'lookup': {
      const dht = node(msg)
      const target = Buffer.from(msg.target, 'hex')
      const responders = []
      await new Promise((resolve, reject) => {
        dht._rpc.closest(target, { q: 'find_node', a: { id: dht.nodeId, target } }, (res, peer) => {
          if (res && res.r && Buffer.isBuffer(res.r.id)) responders.push({ id: res.r.id.toString('hex'), port: peer.port })
          return true
        }, err => err ? reject(err) : resolve())
      })
      return { ok: true, responders }
    }
    case 'put': {
      const dht = node(msg)
      const opts = { v: Buffer.from(msg.v, 'utf8') }
      let publicKey = null
      if (msg.seed) {
        const key = keyFromSeed(msg.seed)
        publicKey = key.publicKey
        Object.assign(opts, { k: key.publicKey, seq: msg.seq, sign: key.sign })
        if (msg.salt) opts.salt = Buffer.from(msg.salt, 'utf8')
      }
      const { target, stored } = await new Promise((resolve, reject) => {
        dht.put(opts, (err, hash, n) => err ? reject(err) : resolve({ target: hash, stored: n }))
      })
      const out = { ok: true, target: Buffer.from(target).toString('hex'), stored }
      if (publicKey) out.k = publicKey.toString('hex')
      return out
    }
    case 'get': {
      const dht = node(msg)
      // Which peers answered with a value: the test checks the value came from the other implementation.
      const from = []
      const onResponse = (reply, peer) => {
        if (reply && reply.r && reply.r.v && !from.includes(peer.port)) from.push(peer.port)
      }
      dht._rpc.socket.on('response', onResponse)
      try {
        const opts = { cache: false }
        if (msg.salt) opts.salt = Buffer.from(msg.salt, 'utf8')
        const value = await new Promise((resolve, reject) => {
          dht.get(Buffer.from(msg.target, 'hex'), opts, (err, res) => err ? reject(err) : resolve(res))
        })
        if (!value) return { ok: true, found: false, from }
        const out = { ok: true, found: true, v: Buffer.from(value.v).toString('utf8'), from }
        if (typeof value.seq === 'number') out.seq = value.seq
        return out
      } finally {
        dht._rpc.socket.removeListener('response', onResponse)
      }
    }
    case 'quit':
      return { ok: true }
    default:
      throw new Error('unknown command ' + msg.cmd)
  }
}

function stopAll () {
  for (const dht of nodes) dht.destroy()
}

const lines = readline.createInterface({ input: process.stdin })
let queue = Promise.resolve()
lines.on('line', line => {
  // Commands run one after another, so answers come back in the order the commands were sent.
  queue = queue.then(async () => {
    let answer
    let msg = null
    try {
      msg = JSON.parse(line)
      answer = await handle(msg)
    } catch (e) {
      answer = { ok: false, error: String(e && e.message ? e.message : e) }
    }
    process.stdout.write(JSON.stringify(answer) + '\n')
    if (msg && msg.cmd === 'quit') {
      stopAll()
      process.exit(0)
    }
  })
})
// The test closing our stdin (or dying) ends us too.
lines.on('close', () => {
  stopAll()
  process.exit(0)
})
