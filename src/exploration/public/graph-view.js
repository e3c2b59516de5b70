// A neighbourhood graph in SVG with a small force layout (repulsion, springs, gravity), no library.
import { LABEL_COLORS } from './colors.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const RADIUS = { User: 6, Product: 8, Category: 10, Segment: 11 };

function el(name, attrs = {}) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export class GraphView {
  constructor(svg, { onSelect, onExpand }) {
    this.svg = svg;
    this.onSelect = onSelect;
    this.onExpand = onExpand;
    this.nodes = new Map(); // id -> { data, x, y, vx, vy, expanded, circle, text }
    this.edges = new Map(); // key -> { data, line }
    this.edgeLayer = el('g');
    this.nodeLayer = el('g');
    this.labelLayer = el('g');
    this.svg.append(this.edgeLayer, this.nodeLayer, this.labelLayer);
    this.frame = 0;
    this.selected = null;
  }

  clear() {
    this.nodes.clear();
    this.edges.clear();
    this.edgeLayer.replaceChildren();
    this.nodeLayer.replaceChildren();
    this.labelLayer.replaceChildren();
    this.selected = null;
  }

  get size() {
    return this.nodes.size;
  }

  /** Adds a neighbourhood; new nodes start near the node they were reached from. */
  merge(neighborhood) {
    const { width, height } = this.box();
    const center = neighborhood.center;
    const anchor = this.nodes.get(center.id) ?? { x: width / 2, y: height / 2 };
    const before = this.nodes.size;
    for (const data of neighborhood.nodes) {
      const known = this.nodes.get(data.id);
      if (known) {
        known.data = data;
        continue;
      }
      const angle = Math.random() * Math.PI * 2;
      const distance = data.id === center.id ? 0 : 30 + Math.random() * 40;
      this.addNode(data, anchor.x + Math.cos(angle) * distance, anchor.y + Math.sin(angle) * distance);
    }
    for (const data of neighborhood.edges) {
      const key = `${data.source}|${data.type}|${data.target}`;
      if (this.edges.has(key) || !this.nodes.has(data.source) || !this.nodes.has(data.target)) continue;
      const line = el('line', { class: `edge ${data.type}`, 'stroke-width': Math.min(4, 0.75 + Math.log1p(data.weight) / 2) });
      this.edgeLayer.append(line);
      this.edges.set(key, { data, line });
    }
    const node = this.nodes.get(center.id);
    if (node) {
      node.expanded = true;
      node.circle.classList.add('expanded');
    }
    if (this.selected?.data.id === center.id) this.onSelect(this.selected.data, this.degree(center.id));
    this.start(this.nodes.size > before ? 400 : 120);
    return this.nodes.size - before;
  }

  addNode(data, x, y) {
    const circle = el('circle', { class: `node ${data.label}`, r: RADIUS[data.label] ?? 7, fill: LABEL_COLORS[data.label] ?? '#888', 'data-id': data.id, 'data-label': data.label });
    const title = el('title');
    title.textContent = `${data.label}: ${data.title ?? data.domainId}`;
    circle.append(title);
    const text = el('text', { class: 'node-label', dx: 10, dy: 3 });
    text.textContent = shorten(data.title ?? data.domainId);
    const node = { data, x, y, vx: 0, vy: 0, expanded: false, circle, text };
    circle.addEventListener('click', (event) => {
      event.stopPropagation();
      this.select(node);
      if (!node.expanded) this.onExpand(node.data);
    });
    this.nodeLayer.append(circle);
    this.labelLayer.append(text);
    this.nodes.set(data.id, node);
  }

  select(node) {
    this.selected?.circle.classList.remove('selected');
    this.selected = node;
    node.circle.classList.add('selected');
    this.onSelect(node.data, this.degree(node.data.id));
  }

  degree(id) {
    let n = 0;
    for (const { data } of this.edges.values()) if (data.source === id || data.target === id) n++;
    return n;
  }

  box() {
    const rect = this.svg.getBoundingClientRect();
    return { width: rect.width || 800, height: rect.height || 600 };
  }

  start(ticks) {
    this.remaining = Math.max(this.remaining ?? 0, ticks);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.tick());
  }

  tick() {
    this.frame = 0;
    const steps = this.nodes.size > 300 ? 1 : 3;
    for (let i = 0; i < steps && this.remaining > 0; i++, this.remaining--) this.step(Math.max(0.02, this.remaining / 400));
    this.draw();
    if (this.remaining > 0) this.frame = requestAnimationFrame(() => this.tick());
  }

  /** One step: Coulomb-like repulsion between all pairs, springs on edges, pull toward the middle. */
  step(heat) {
    const nodes = [...this.nodes.values()];
    const { width, height } = this.box();
    const k = Math.min(110, Math.sqrt((width * height) / Math.max(1, nodes.length)) * 0.5);
    for (const a of nodes) {
      a.fx = 0;
      a.fy = 0;
    }
    for (let i = 0; i < nodes.length; i++) {
      const a = nodes[i];
      for (let j = i + 1; j < nodes.length; j++) {
        const b = nodes[j];
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) {
          dx = Math.random() - 0.5;
          dy = Math.random() - 0.5;
          d2 = 0.25;
        }
        const force = (k * k) / d2;
        a.fx += dx * force * 0.02;
        a.fy += dy * force * 0.02;
        b.fx -= dx * force * 0.02;
        b.fy -= dy * force * 0.02;
      }
    }
    for (const { data } of this.edges.values()) {
      const a = this.nodes.get(data.source);
      const b = this.nodes.get(data.target);
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const pull = (d - k * 0.5) * 0.05;
      a.fx += (dx / d) * pull;
      a.fy += (dy / d) * pull;
      b.fx -= (dx / d) * pull;
      b.fy -= (dy / d) * pull;
    }
    for (const n of nodes) {
      n.fx += (width / 2 - n.x) * 0.015;
      n.fy += (height / 2 - n.y) * 0.015;
      const limit = 12 * heat + 0.5;
      n.vx = clamp((n.vx + n.fx) * 0.6, limit);
      n.vy = clamp((n.vy + n.fy) * 0.6, limit);
      n.x = Math.min(width - 12, Math.max(12, n.x + n.vx));
      n.y = Math.min(height - 12, Math.max(12, n.y + n.vy));
    }
  }

  draw() {
    for (const { data, line } of this.edges.values()) {
      const a = this.nodes.get(data.source);
      const b = this.nodes.get(data.target);
      line.setAttribute('x1', a.x.toFixed(1));
      line.setAttribute('y1', a.y.toFixed(1));
      line.setAttribute('x2', b.x.toFixed(1));
      line.setAttribute('y2', b.y.toFixed(1));
    }
    const showLabels = this.nodes.size <= 150;
    for (const n of this.nodes.values()) {
      n.circle.setAttribute('cx', n.x.toFixed(1));
      n.circle.setAttribute('cy', n.y.toFixed(1));
      n.text.setAttribute('x', n.x.toFixed(1));
      n.text.setAttribute('y', n.y.toFixed(1));
      const visible = showLabels || n.expanded || n.data.label !== 'User';
      n.text.setAttribute('visibility', visible ? 'visible' : 'hidden');
    }
  }
}

function clamp(v, limit) {
  return Math.max(-limit, Math.min(limit, v));
}

function shorten(text) {
  return text.length > 28 ? `${text.slice(0, 26)}…` : text;
}
