// Drives socksbridge with the npm `socks` client library (a client this project did not write):
//   - BIND over SOCKS5 and over SOCKS4, with a peer connecting to the address the proxy announced,
//   - UDP ASSOCIATE round trips to a UDP echo server with an IPv4 and a domain ("localhost") header.
// Usage: node socks-client.mjs PROXY_PORT UDP_ECHO_PORT
// Prints ONE line of flat JSON (keys like "bind5.peerGot") that NodeSocksClientIT asserts; on failure
// prints {"error": "..."} and exits 1. Every wait is bounded.
import net from 'node:net';
import dgram from 'node:dgram';
import socks from 'socks';

const { SocksClient } = socks;
const proxyPort = Number(process.argv[2]);
const echoPort = Number(process.argv[3]);
const LIMIT_MS = 30000;
const RESEND_MS = 1000;
const MAX_SENDS = 20;

const proxy = (type) => ({ host: '127.0.0.1', port: proxyPort, type });

function bounded(promise, what) {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${LIMIT_MS} ms`)), LIMIT_MS);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

function event(emitter, name) {
  return new Promise((resolve, reject) => {
    emitter.once(name, resolve);
    emitter.once('error', reject);
  });
}

function readExactly(socket, length, what) {
  return bounded(new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (text.length >= length) resolve(text);
    });
    socket.once('error', reject);
    socket.once('end', () => reject(new Error(`${what}: end of stream after "${text}"`)));
  }), what);
}

async function bind(type) {
  const client = new SocksClient({
    proxy: proxy(type), command: 'bind', destination: { host: '127.0.0.1', port: 0 }, timeout: LIMIT_MS,
  });
  const bound = event(client, 'bound');
  const established = event(client, 'established');
  client.connect();
  const listening = (await bounded(bound, `SOCKS${type} BIND first reply`)).remoteHost;
  const peer = net.connect(listening.port, listening.host);
  await bounded(event(peer, 'connect'), 'peer connect');
  const info = await bounded(established, `SOCKS${type} BIND second reply`);
  const peerGets = readExactly(peer, 'from the client'.length, 'peer read');
  const clientGets = readExactly(info.socket, 'from the peer'.length, 'client read');
  info.socket.write('from the client');
  peer.write('from the peer');
  const [peerGot, clientGot] = await Promise.all([peerGets, clientGets]);
  const result = {
    listeningHost: listening.host, listeningPort: listening.port,
    announcedPeerPort: info.remoteHost.port, peerLocalPort: peer.localPort, peerGot, clientGot,
  };
  peer.destroy();
  info.socket.destroy();
  return result;
}

/** Sends one framed datagram (again every second, at most MAX_SENDS times) until its echo comes back. */
function roundTrip(udp, relay, host, payload) {
  const frame = SocksClient.createUDPFrame({ remoteHost: { host, port: echoPort }, data: Buffer.from(payload) });
  return bounded(new Promise((resolve, reject) => {
    let sends = 0;
    const send = () => {
      if (sends++ >= MAX_SENDS) { clearInterval(timer); reject(new Error(`no echo for "${payload}"`)); return; }
      udp.send(frame, relay.port, relay.host);
    };
    const onMessage = (message) => {
      const parsed = SocksClient.parseUDPFrame(message);
      if (parsed.data.toString('utf8') === payload) {
        clearInterval(timer);
        udp.off('message', onMessage);
        resolve(parsed);
      }
    };
    udp.on('message', onMessage);
    const timer = setInterval(send, RESEND_MS);
    send();
  }), `UDP round trip "${payload}"`);
}

async function udpAssociate() {
  const udp = dgram.createSocket('udp4');
  await new Promise((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const client = new SocksClient({
    proxy: proxy(5), command: 'associate', destination: { host: '0.0.0.0', port: 0 }, timeout: LIMIT_MS,
  });
  const established = event(client, 'established');
  client.connect();
  const info = await bounded(established, 'UDP ASSOCIATE reply');
  const relay = info.remoteHost;
  const ipv4 = await roundTrip(udp, relay, '127.0.0.1', 'udp with an ipv4 header');
  const domain = await roundTrip(udp, relay, 'localhost', 'udp with a domain header');
  const result = {
    relayHost: relay.host, relayPort: relay.port, clientPort: udp.address().port,
    ipv4From: `${ipv4.remoteHost.host}:${ipv4.remoteHost.port}`, ipv4Data: ipv4.data.toString('utf8'),
    domainFrom: `${domain.remoteHost.host}:${domain.remoteHost.port}`, domainData: domain.data.toString('utf8'),
  };
  info.socket.destroy();
  udp.close();
  return result;
}

function flatten(prefix, object, into) {
  for (const [key, value] of Object.entries(object)) into[`${prefix}.${key}`] = value;
  return into;
}

async function main() {
  const which = process.argv.slice(4);
  const runAll = which.length === 0;
  const out = {};
  if (runAll || which.includes('bind5')) flatten('bind5', await bind(5), out);
  if (runAll || which.includes('bind4')) flatten('bind4', await bind(4), out);
  if (runAll || which.includes('udp')) flatten('udp', await udpAssociate(), out);
  console.log(JSON.stringify(out));
}

main().then(() => process.exit(0), (error) => {
  console.log(JSON.stringify({ error: String(error && error.stack || error) }));
  process.exit(1);
});
