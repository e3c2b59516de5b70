// User embeddings projected to 2-D (PCA on the server), one dot per user, coloured by segment.
import { paletteColor, swatch } from './colors.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

export function drawScatter(svg, legend, scatter) {
  svg.replaceChildren();
  legend.replaceChildren();
  const rect = svg.getBoundingClientRect();
  const width = rect.width || 800;
  const height = rect.height || 600;
  const pad = 24;
  const points = scatter.points;
  if (points.length === 0) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = scatter.modelVersion ? 'No user of this model version has an embedding.' : 'No model version is active yet: train and publish one first.';
    legend.append(p);
    return;
  }
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
  const [minY, maxY] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x) => pad + ((x - minX) / (maxX - minX || 1)) * (width - 2 * pad);
  const sy = (y) => height - pad - ((y - minY) / (maxY - minY || 1)) * (height - 2 * pad);

  const segments = new Map();
  for (const p of points) {
    const key = p.segmentId ?? '';
    if (!segments.has(key)) segments.set(key, { label: p.segmentLabel ?? (p.segmentId ? p.segmentId : 'no segment'), count: 0, color: '' });
    segments.get(key).count++;
  }
  // With no segmentation every user is one colour.
  [...segments.keys()].sort().forEach((key, i) => (segments.get(key).color = key === '' ? '#6b7a8f' : paletteColor(i)));

  const axes = document.createElementNS(SVG_NS, 'g');
  for (const [x1, y1, x2, y2] of [[sx(0), pad, sx(0), height - pad], [pad, sy(0), width - pad, sy(0)]]) {
    const line = document.createElementNS(SVG_NS, 'line');
    Object.entries({ x1, y1, x2, y2, class: 'axis' }).forEach(([k, v]) => line.setAttribute(k, String(v)));
    axes.append(line);
  }
  svg.append(axes);
  const dots = document.createElementNS(SVG_NS, 'g');
  for (const p of points) {
    const dot = document.createElementNS(SVG_NS, 'circle');
    dot.setAttribute('class', 'point');
    dot.setAttribute('cx', sx(p.x).toFixed(1));
    dot.setAttribute('cy', sy(p.y).toFixed(1));
    dot.setAttribute('r', points.length > 2000 ? '2' : '3');
    dot.setAttribute('fill', segments.get(p.segmentId ?? '').color);
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = `user ${p.userId}${p.segmentLabel ? ` · ${p.segmentLabel}` : ''}`;
    dot.append(title);
    dots.append(dot);
  }
  svg.append(dots);

  const heading = document.createElement('h2');
  heading.textContent = `Segments (${segments.size})`;
  const list = document.createElement('ul');
  for (const s of [...segments.values()].sort((a, b) => b.count - a.count)) {
    const item = document.createElement('li');
    item.append(swatch(s.color, `${s.label} · ${s.count}`));
    list.append(item);
  }
  legend.append(heading, list);
}
