// An experiment's variants over time: cumulative conversion rate per day with its 95% band, drawn in
// SVG like the other tabs; beside it the sample-ratio check and each variant's lift over the control.
import { paletteColor, swatch } from './colors.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

const pct = (v) => `${(v * 100).toFixed(1)}%`;
const signedPct = (v) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}%`;

export function drawExperiment(svg, aside, report) {
  svg.replaceChildren();
  aside.replaceChildren();
  const rect = svg.getBoundingClientRect();
  const width = rect.width || 800;
  const height = rect.height || 500;
  const pad = { left: 52, right: 16, top: 16, bottom: 32 };
  const series = report.series;
  const times = series[0]?.points.map((p) => Date.parse(p.at)) ?? [];
  const top = Math.max(0.01, ...series.flatMap((s) => s.points.map((p) => p.conversionRate.high)));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const sx = (t) => pad.left + (t1 > t0 ? (t - t0) / (t1 - t0) : 0.5) * (width - pad.left - pad.right);
  const sy = (v) => height - pad.bottom - (v / top) * (height - pad.top - pad.bottom);

  const axes = el('g');
  axes.append(el('line', { x1: pad.left, y1: sy(0), x2: width - pad.right, y2: sy(0), class: 'axis' }));
  axes.append(el('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: sy(0), class: 'axis' }));
  for (const v of [0, top / 2, top]) {
    const label = el('text', { x: pad.left - 6, y: sy(v) + 4, 'text-anchor': 'end', class: 'tick' });
    label.textContent = pct(v);
    axes.append(label);
  }
  times.forEach((t, i) => {
    if (times.length > 8 && i % Math.ceil(times.length / 8) !== 0 && i !== times.length - 1) return;
    const label = el('text', { x: sx(t), y: height - pad.bottom + 16, 'text-anchor': 'middle', class: 'tick' });
    label.textContent = new Date(t).toISOString().slice(5, 10);
    axes.append(label);
  });
  svg.append(axes);

  series.forEach((s, i) => {
    const color = paletteColor(i);
    const xs = s.points.map((p) => sx(Date.parse(p.at)));
    const upper = s.points.map((p, j) => `${xs[j].toFixed(1)},${sy(p.conversionRate.high).toFixed(1)}`);
    const lower = s.points.map((p, j) => `${xs[j].toFixed(1)},${sy(p.conversionRate.low).toFixed(1)}`).reverse();
    svg.append(el('polygon', { points: [...upper, ...lower].join(' '), fill: color, class: 'band', 'data-variant': s.variant }));
    const line = el('polyline', { points: s.points.map((p, j) => `${xs[j].toFixed(1)},${sy(p.conversionRate.estimate).toFixed(1)}`).join(' '), stroke: color, class: 'series', 'data-variant': s.variant });
    svg.append(line);
    s.points.forEach((p, j) => {
      const dot = el('circle', { cx: xs[j].toFixed(1), cy: sy(p.conversionRate.estimate).toFixed(1), r: 3, fill: color });
      const title = el('title');
      title.textContent = `${s.variant} · ${p.at.slice(0, 10)}: ${pct(p.conversionRate.estimate)} [${pct(p.conversionRate.low)}, ${pct(p.conversionRate.high)}] of ${p.users} users`;
      dot.append(title);
      svg.append(dot);
    });
  });

  const h = document.createElement('h2');
  h.textContent = `${report.experiment.name} · ${report.experiment.status.toLowerCase()}`;
  const srm = document.createElement('p');
  srm.id = 'srm-status';
  srm.className = report.sampleRatio.mismatch ? 'srm mismatch' : 'srm ok';
  srm.textContent = report.sampleRatio.mismatch
    ? `Sample ratio mismatch (p = ${report.sampleRatio.pValue.toExponential(1)}): assignment is broken, do not read the lift.`
    : `Sample ratio OK (p = ${report.sampleRatio.pValue.toFixed(3)}).`;
  const table = document.createElement('table');
  table.id = 'variant-table';
  const head = table.insertRow();
  for (const text of ['variant', 'users', 'conversion', 'lift vs control']) head.append(Object.assign(document.createElement('th'), { textContent: text }));
  report.variants.forEach((v, i) => {
    const row = table.insertRow();
    row.dataset.variant = v.name;
    const lift = v.versusControl?.conversionLift;
    const cells = [
      swatch(paletteColor(i), v.name),
      String(v.users),
      `${pct(v.conversionRate.estimate)} [${pct(v.conversionRate.low)}, ${pct(v.conversionRate.high)}]`,
      i === 0 ? 'control' : lift ? `${signedPct(lift.estimate)} [${signedPct(lift.low)}, ${signedPct(lift.high)}]` : 'n/a (control has no conversions)',
    ];
    for (const c of cells) row.insertCell().append(c);
    row.cells[3].className = 'lift';
  });
  aside.append(h, srm, table);
}
