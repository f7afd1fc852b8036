// The HyperJ network dashboard: plain DOM, hand-written SVG charts, Server-Sent Events for live
// updates. Every text from the chain goes in through textContent, never as HTML.
'use strict';

const CLASSES = ['Validator', 'Included', 'Idle', 'Registered'];
const COLORS = { Registered: '#64748b', Idle: '#fbbf24', Included: '#22d3ee', Validator: '#7c5cff' };
const PALETTE = ['#7c5cff', '#22d3ee', '#34d399', '#fbbf24', '#f472b6', '#60a5fa', '#f87171', '#a3e635'];
const SVGNS = 'http://www.w3.org/2000/svg';
const main = document.getElementById('main');
let route = parseRoute();
let seenEpochs = new Set();

function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v; else if (k === 'style') e.style.cssText = v; else e.setAttribute(k, v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false) e.append(k instanceof Node ? k : String(k));
  return e;
}
function s(tag, attrs, ...kids) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}
const fmt = (n, d = 2) => (n === null || n === undefined || Number.isNaN(n)) ? '–'
  : Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
const pct = (r) => (r === null || r === undefined) ? '–' : (100 * r).toFixed(r >= .999 || r === 0 ? 0 : 1) + '%';
const short = (id) => id && id.length > 16 ? id.slice(0, 8) + '…' + id.slice(-6) : id;
const meter = (r) => h('span', {}, h('span', { class: 'meter' }, h('span', { style: `width:${Math.max(0, Math.min(1, r)) * 100}%` })), h('span', { class: 'num' }, ' ' + pct(r)));
const cls = (c) => h('span', { class: 'cls', 'data-class': c }, h('i', { style: `background:${COLORS[c] || '#888'}` }), c);
const pill = (text, kind) => h('span', { class: 'pill ' + kind }, text);

function parseRoute() {
  const m = location.hash.match(/^#\/subnet\/(\d+)/);
  return m ? { page: 'subnet', id: +m[1] } : { page: 'overview' };
}
async function get(path) {
  const r = await fetch(path, { cache: 'no-store' });
  if (!r.ok) throw new Error(path + ': ' + r.status);
  return r.json();
}

// ------------------------------------------------------------------ charts
function chartFrame(w, hgt, pad, yMax, yFmt) {
  const g = s('g');
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + (hgt - pad.t - pad.b) * (1 - i / 4);
    g.append(s('line', { x1: pad.l, x2: w - pad.r, y1: y, y2: y, class: 'grid' }));
    g.append(s('text', { x: pad.l - 8, y: y + 4, 'text-anchor': 'end' }, yFmt(yMax * i / 4)));
  }
  return g;
}
function attestationChart(epochs) {
  const w = 600, H = 220, pad = { l: 44, r: 10, t: 12, b: 26 };
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${w} ${H}`, preserveAspectRatio: 'none', id: 'attestation-chart' });
  svg.append(chartFrame(w, H, pad, 1, (v) => Math.round(v * 100) + '%'));
  const data = epochs.slice(-40);
  if (!data.length) { svg.append(s('text', { x: w / 2, y: H / 2, 'text-anchor': 'middle' }, 'no finished epoch yet')); return svg; }
  const iw = (w - pad.l - pad.r) / data.length, ih = H - pad.t - pad.b;
  data.forEach((e, i) => {
    const bw = Math.min(28, Math.max(2, iw * .7)), r = e.attestationRatio, bh = Math.max(2, ih * r), x = pad.l + i * iw + (iw - bw) / 2;
    const color = e.consensus ? '#34d399' : e.submitted ? '#f87171' : '#475569';
    const bar = s('rect', { x, y: pad.t + ih - bh, width: bw, height: bh, rx: 3, fill: color, opacity: .9 });
    bar.append(s('title', {}, `epoch ${e.epoch}: ${e.attestations}/${e.validatorSetSize} attested` + (e.consensus ? ', consensus' : '')));
    svg.append(bar);
    if (data.length <= 20 || i % Math.ceil(data.length / 10) === 0)
      svg.append(s('text', { x: x + bw / 2, y: H - 8, 'text-anchor': 'middle' }, e.epoch));
  });
  const ty = pad.t + ih * (1 - .66);
  svg.append(s('line', { x1: pad.l, x2: w - pad.r, y1: ty, y2: ty, class: 'threshold' }));
  svg.append(s('rect', { x: pad.l + 4, y: ty - 15, width: 92, height: 14, rx: 3, fill: '#121826', opacity: .9 }));
  svg.append(s('text', { x: pad.l + 8, y: ty - 4, fill: '#fbbf24' }, '66% consensus'));
  return svg;
}
function lineChart(series, id, yFmt, domain) {
  const w = 600, H = 220, pad = { l: 54, r: 10, t: 12, b: 26 };
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${w} ${H}`, preserveAspectRatio: 'none', id });
  const pts = series.flatMap((x) => x.points);
  if (pts.length < 2) { svg.append(chartFrame(w, H, pad, 1, yFmt)); svg.append(s('text', { x: w / 2, y: H / 2, 'text-anchor': 'middle' }, 'collecting epochs…')); return svg; }
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  let y0 = domain ? domain[0] : Math.min(...ys), y1 = domain ? domain[1] : Math.max(...ys);
  if (y1 - y0 < 1e-9) { y0 = y0 * .98; y1 = y1 * 1.02 + 1e-9; }
  const ih = H - pad.t - pad.b, iw = w - pad.l - pad.r;
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + ih * (1 - i / 4);
    svg.append(s('line', { x1: pad.l, x2: w - pad.r, y1: y, y2: y, class: 'grid' }));
    svg.append(s('text', { x: pad.l - 8, y: y + 4, 'text-anchor': 'end' }, yFmt(y0 + (y1 - y0) * i / 4)));
  }
  const X = (v) => pad.l + (x1 === x0 ? iw / 2 : iw * (v - x0) / (x1 - x0));
  const Y = (v) => pad.t + ih * (1 - (v - y0) / (y1 - y0));
  series.forEach((ser, k) => {
    if (!ser.points.length) return;
    const d = ser.points.map((p, i) => (i ? 'L' : 'M') + X(p[0]).toFixed(1) + ',' + Y(p[1]).toFixed(1)).join(' ');
    svg.append(s('path', { d, fill: 'none', stroke: PALETTE[k % PALETTE.length], 'stroke-width': 2.2, 'stroke-linejoin': 'round' }));
    const last = ser.points[ser.points.length - 1];
    svg.append(s('circle', { cx: X(last[0]), cy: Y(last[1]), r: 3.5, fill: PALETTE[k % PALETTE.length] }));
  });
  svg.append(s('text', { x: pad.l, y: H - 8 }, 'epoch ' + x0));
  svg.append(s('text', { x: w - pad.r, y: H - 8, 'text-anchor': 'end' }, 'epoch ' + x1));
  return svg;
}
function spark(points) {
  const w = 120, H = 28, svg = s('svg', { class: 'spark', viewBox: `0 0 ${w} ${H}` });
  if (points.length === 1) svg.append(s('circle', { cx: w / 2, cy: H - 3 - (H - 6) * points[0][1], r: 2.5, fill: '#22d3ee' }));
  if (points.length < 2) return svg;
  const xs = points.map((p) => p[0]), x0 = Math.min(...xs), x1 = Math.max(...xs);
  const d = points.map((p, i) => (i ? 'L' : 'M') + (2 + (w - 4) * (p[0] - x0) / Math.max(1, x1 - x0)).toFixed(1) + ',' + (H - 3 - (H - 6) * p[1]).toFixed(1)).join(' ');
  svg.append(s('path', { d, fill: 'none', stroke: '#22d3ee', 'stroke-width': 1.8 }));
  return svg;
}
const legend = (names) => h('div', { class: 'legend' }, names.map((n, k) => h('span', { class: 'cls' }, h('i', { style: `background:${PALETTE[k % PALETTE.length]}` }), n)));

// ------------------------------------------------------------------ pages
function classBar(byClass) {
  const total = Object.values(byClass).reduce((a, b) => a + b, 0) || 1;
  return h('div', {},
    h('div', { class: 'bar' }, CLASSES.filter((c) => byClass[c]).map((c) => h('span', { style: `width:${100 * byClass[c] / total}%;background:${COLORS[c]}`, title: `${byClass[c]} ${c}` }))),
    h('div', { class: 'legend' }, CLASSES.map((c) => h('span', {}, cls(c), ' ', h('b', {}, byClass[c] || 0)))));
}
function renderOverview(o) {
  const nodes = o.subnets.reduce((a, x) => a + x.totalNodes, 0);
  const stake = o.subnets.reduce((a, x) => a + x.nodeStake + x.delegateStake, 0);
  document.getElementById('crumbs').replaceChildren(h('span', {}, 'Overview'));
  const view = h('div', { id: 'overview' },
    h('h1', {}, 'Network overview'),
    h('p', { class: 'sub' }, `${o.subnets.length} subnet${o.subnets.length === 1 ? '' : 's'} on chain ${o.chainId}, ${o.epochLength}-block epochs`),
    h('div', { class: 'cards' },
      card('Subnets', o.subnets.length, o.subnets.filter((x) => x.state === 'Active').length + ' active'),
      card('Subnet nodes', nodes, 'across all subnets'),
      card('Validators', o.validators.length, o.overwatch.length + ' overwatch nodes'),
      card('Staked', fmt(stake, 0), 'TENSOR in nodes and delegations'),
      card('Block', '#' + fmt(o.block, 0), 'chain epoch ' + o.epoch)),
    h('h2', {}, 'Subnets'),
    o.subnets.length ? h('div', { class: 'subnets', id: 'subnets' }, o.subnets.map(subnetCard)) : h('div', { class: 'panel empty' }, 'No subnet registered yet.'),
    h('h2', {}, 'Validators and delegations'),
    h('div', { class: 'panel' }, o.validators.length ? h('table', { id: 'validators' },
      h('thead', {}, h('tr', {}, h('th', {}, 'ID'), h('th', {}, 'Name'), h('th', {}, 'Hotkey'), h('th', {}, 'Reputation'), h('th', { class: 'num' }, 'Nodes'), h('th', { class: 'num' }, 'Node stake'), h('th', { class: 'num' }, 'Delegated'), h('th', { class: 'num' }, 'Delegate share'))),
      h('tbody', {}, o.validators.map((v) => h('tr', {}, h('td', {}, v.id), h('td', {}, v.name || '–'), h('td', { class: 'mono', title: v.hotkey }, short(v.hotkey)), h('td', {}, meter(v.reputation)), h('td', { class: 'num' }, v.nodes), h('td', { class: 'num' }, fmt(v.nodeStake)), h('td', { class: 'num' }, fmt(v.delegatePool)), h('td', { class: 'num' }, pct(v.delegateRewardRate)))))) : h('div', { class: 'empty' }, 'No validator yet.')),
    h('h2', {}, 'Signed telemetry'),
    h('div', { class: 'panel', id: 'telemetry' }, h('div', { class: 'empty' }, 'No event yet: start nodes with --telemetry ' + location.origin + '/api/telemetry')),
    h('h2', {}, 'Overwatch nodes'),
    h('div', { class: 'panel' }, o.overwatch.length ? h('table', { id: 'overwatch' },
      h('thead', {}, h('tr', {}, h('th', {}, 'ID'), h('th', {}, 'Validator'), h('th', {}, 'Hotkey'), h('th', { class: 'num' }, 'Stake'), h('th', {}, 'Watching'))),
      h('tbody', {}, o.overwatch.map((w) => h('tr', {}, h('td', {}, w.id), h('td', {}, w.validatorId), h('td', { class: 'mono' }, short(w.hotkey)), h('td', { class: 'num' }, fmt(w.stake)), h('td', {}, Object.keys(w.subnets).map((k) => 'subnet ' + k).join(', ') || '–'))))) : h('div', { class: 'empty' }, 'No overwatch node registered.')));
  main.replaceChildren(view);
}
function card(label, value, hint) {
  return h('div', { class: 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), h('div', { class: 'hint' }, hint));
}
function subnetCard(x) {
  const last = x.lastEpoch;
  const verdict = !last ? pill('no epoch yet', 'none') : last.consensus ? pill('consensus', 'yes') : last.submitted ? pill('no consensus', 'no') : pill('no proposal', 'none');
  return h('a', { class: 'panel subnet', href: '#/subnet/' + x.id, 'data-subnet': x.id },
    h('div', { class: 'head' }, h('div', { class: 'name' }, x.name, h('small', {}, '#' + x.id)), pill(x.state, x.state)),
    h('div', { class: 'stats' },
      h('div', {}, h('b', {}, x.totalNodes), 'nodes'),
      h('div', {}, h('b', {}, fmt(x.nodeStake, 0)), 'node stake'),
      h('div', {}, h('b', {}, fmt(x.delegateStake, 0)), 'delegated'),
      h('div', {}, h('b', {}, pct(x.emissionWeight)), 'emission weight'),
      h('div', {}, h('b', {}, x.subnetEpoch), 'subnet epoch'),
      h('div', {}, h('b', {}, x.epochsSeen ? `${x.consensusEpochs}/${x.epochsSeen}` : '–'), 'epochs in consensus')),
    classBar(x.nodesByClass),
    h('div', { class: 'legend' }, 'last epoch ', verdict));
}
function epochTable(rows, fresh) {
  const outcome = (e) => e.consensus ? pill('consensus', 'yes')
    : e.submitted ? pill('no consensus', 'no')
    : pill(e.electedNodeId === null ? 'no validator' : 'no proposal', 'none');
  const row = (e) => h('tr', { class: 'epoch-row' + (fresh.has(e.epoch) ? ' fresh' : ''), 'data-epoch': e.epoch },
    h('td', {}, e.epoch),
    h('td', {}, e.electedNodeId === null ? '–' : 'node ' + e.electedNodeId),
    h('td', { class: 'num' }, e.submitted ? `${e.attestations}/${e.validatorSetSize}` : '–'),
    h('td', {}, meter(e.attestationRatio)),
    h('td', {}, outcome(e)));
  return h('table', { id: 'epochs' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Epoch'), h('th', {}, 'Elected'), h('th', { class: 'num' }, 'Attested'), h('th', {}, 'Ratio'), h('th', {}, 'Outcome'))),
    h('tbody', {}, rows.map(row)));
}
function renderSubnet(d) {
  document.getElementById('crumbs').replaceChildren(h('a', { href: '#/' }, 'Overview'), ' / ', h('span', {}, d.name));
  const epochs = d.epochs;
  const names = d.nodes.map((n) => 'node ' + n.id);
  const stakeSeries = d.nodes.map((n) => ({ points: epochs.filter((e) => e.nodes[n.id]).map((e) => [e.epoch, e.nodes[n.id].stake]) }));
  const repSeries = d.nodes.map((n) => ({ points: epochs.filter((e) => e.nodes[n.id]).map((e) => [e.epoch, e.nodes[n.id].reputation]) }));
  const rows = epochs.slice().reverse();
  const fresh = new Set(rows.map((e) => e.epoch).filter((e) => seenEpochs.size && !seenEpochs.has(e)));
  seenEpochs = new Set(rows.map((e) => e.epoch));
  const counted = epochs.filter((e) => e.electedNodeId !== null);
  const view = h('div', { id: 'subnet', 'data-subnet': d.id },
    h('h1', {}, d.name, ' ', pill(d.state, d.state)),
    h('p', { class: 'sub' }, (d.description || d.repo || '') + ` · subnet #${d.id} · epoch ${d.subnetEpoch} · slot ${d.slot}`),
    h('div', { class: 'cards' },
      card('Nodes', d.nodes.length, d.nodes.filter((n) => n.class === 'Validator').length + ' validator class'),
      card('Node stake', fmt(d.nodeStake, 0), 'TENSOR, min ' + fmt(d.minStake, 0) + ' per node'),
      card('Delegated', fmt(d.delegateStake, 0), 'TENSOR in the subnet pool'),
      card('Emission weight', pct(d.emissionWeight), 'reputation ' + pct(d.reputation)),
      card('Consensus', counted.length ? `${counted.filter((e) => e.consensus).length}/${counted.length}` : '–', counted.length ? 'epochs with an elected validator' : 'waiting for an elected validator')),
    h('div', { class: 'grid2', style: 'margin-top:16px' },
      h('div', { class: 'panel' }, h('h3', {}, 'Attestation per epoch', h('small', {}, 'green: consensus')), attestationChart(epochs)),
      h('div', { class: 'panel' }, h('h3', {}, 'Stake per node', h('small', {}, 'TENSOR; rewards compound')), lineChart(stakeSeries, 'stake-chart', (v) => fmt(v, 1)), legend(names))),
    h('h2', {}, 'Nodes'),
    h('div', { class: 'panel' }, h('table', { id: 'nodes' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Node'), h('th', {}, 'Peer'), h('th', {}, 'Class'), h('th', {}, 'Reputation'), h('th', { class: 'num' }, 'Stake'), h('th', { class: 'num' }, 'Rewards'), h('th', {}, 'Score history'), h('th', {}, 'Validator'))),
      h('tbody', {}, d.nodes.map((n) => h('tr', { class: 'node-row', 'data-node': n.id },
        h('td', {}, 'node ' + n.id), h('td', { class: 'mono', title: n.peerId }, short(n.peerId)), h('td', {}, cls(n.class)),
        h('td', {}, meter(n.reputation)), h('td', { class: 'num' }, fmt(n.stake)),
        h('td', { class: 'num ' + (n.rewards > 0 ? 'pos' : n.rewards < 0 ? 'neg' : '') }, (n.rewards > 0 ? '+' : '') + fmt(n.rewards, 3)),
        h('td', {}, spark(n.scores.slice(-30))), h('td', {}, n.validatorId)))))),
    h('div', { class: 'grid2', style: 'margin-top:16px' },
      h('div', { class: 'panel' }, h('h3', {}, 'Reputation per node'), lineChart(repSeries, 'reputation-chart', (v) => pct(v), [0, 1]), legend(names)),
      h('div', { class: 'panel' }, h('h3', {}, 'Epochs', h('small', {}, 'newest first')), epochTable(rows.slice(0, 14), fresh))));
  main.replaceChildren(view);
}

function renderTelemetry(t) {
  const box = document.getElementById('telemetry');
  if (!box || !t.events.length) return;
  const refused = Object.entries(t.refused).map(([k, v]) => `${v} ${k.toLowerCase()}`).join(', ') || 'none';
  box.replaceChildren(
    h('h3', {}, 'Verified events', h('small', {}, `${t.accepted} accepted; refused: ${refused}`)),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Event'), h('th', {}, 'Node'), h('th', {}, 'Subnet'), h('th', {}, 'Data'))),
      h('tbody', {}, t.events.slice(0, 12).map((e) => h('tr', { class: 'telemetry-row' },
        h('td', {}, new Date(e.tsMillis).toLocaleTimeString()), h('td', {}, e.type),
        h('td', { class: 'mono', title: e.peerId }, short(e.peerId)), h('td', {}, e.subnetId),
        h('td', { class: 'mono' }, JSON.stringify(e.data)))))));
}

// ------------------------------------------------------------------ refresh and live updates
let busy = false, again = false;
async function refresh() {
  if (busy) { again = true; return; }
  busy = true;
  try {
    const o = await get('/api/overview');
    document.getElementById('chain-id').textContent = o.chainId;
    document.getElementById('block').textContent = '#' + fmt(o.block, 0);
    document.getElementById('epoch').textContent = o.epoch;
    if (route.page === 'subnet') renderSubnet(await get('/api/subnets/' + route.id));
    else { renderOverview(o); renderTelemetry(await get('/api/telemetry')); }
  } catch (e) {
    main.replaceChildren(h('div', { class: 'panel empty' }, 'Cannot read the network: ' + e.message));
  } finally {
    busy = false;
    if (again) { again = false; refresh(); }
  }
}
function connect() {
  const live = document.getElementById('live');
  const es = new EventSource('/events');
  es.onopen = () => { live.classList.add('on'); live.lastChild.textContent = 'live'; };
  es.onmessage = () => refresh();
  es.onerror = () => { live.classList.remove('on'); live.lastChild.textContent = 'reconnecting'; };
}
window.addEventListener('hashchange', () => { route = parseRoute(); seenEpochs = new Set(); window.scrollTo(0, 0); refresh(); });
refresh();
connect();
