// The analyst page: an API key, a node lookup drawn as a graph that grows on click, and a segment scatter.
import { ApiError, EXPERIMENT_REPORT, EXPERIMENTS, gql, NEIGHBORHOOD, SCATTER, saveKey, savedKey } from './api.js';
import { LABEL_COLORS, swatch } from './colors.js';
import { GraphView } from './graph-view.js';
import { drawScatter } from './scatter-view.js';
import { drawExperiment } from './experiments-view.js';

const $ = (id) => document.getElementById(id);

function status(text, error = false) {
  const footer = $('status');
  footer.textContent = text;
  footer.classList.toggle('error', error);
}

function fail(error) {
  const code = error instanceof ApiError && error.code ? ` (${error.code})` : '';
  status(`${error.message}${code}`, true);
}

function showKeyState() {
  $('key-state').textContent = savedKey() ? 'key set for this tab' : 'no key';
}

function showDetails(node, degree) {
  const aside = $('details');
  aside.replaceChildren();
  const h = document.createElement('h2');
  h.append(swatch(LABEL_COLORS[node.label] ?? '#888', node.title ?? node.domainId));
  const dl = document.createElement('dl');
  const rows = [['kind', node.label], ['id', node.domainId], ['address', node.id], ['edges drawn', degree], ...Object.entries(node.properties ?? {})];
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = String(v);
    dl.append(dt, dd);
  }
  aside.append(h, dl);
}

const graph = new GraphView($('graph'), {
  onSelect: showDetails,
  onExpand: (node) => expand(node.id, 1),
});

let pending = 0;
async function expand(nodeId, depth) {
  pending++;
  $('graph').setAttribute('aria-busy', 'true');
  status(`Loading ${nodeId}…`);
  try {
    const { neighborhood } = await gql(NEIGHBORHOOD, { nodeId, depth, limit: 200 });
    const added = graph.merge(neighborhood);
    status(`${nodeId}: ${neighborhood.nodes.length} nodes, ${neighborhood.edges.length} edges (${added} new; ${graph.size} drawn)` +
      (neighborhood.truncated ? ' — truncated: the heaviest neighbours are shown' : ''));
  } catch (error) {
    fail(error);
  } finally {
    pending--;
    if (pending === 0) $('graph').removeAttribute('aria-busy');
  }
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  saveKey($('api-key').value.trim());
  $('api-key').value = '';
  showKeyState();
  status(savedKey() ? 'Key saved for this tab.' : 'Key cleared.');
});

$('lookup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $('lookup-id').value.trim();
  if (!id) return status('Enter an id to look up.', true);
  graph.clear();
  $('details').replaceChildren();
  expand(`${$('lookup-kind').value}:${id}`, Number($('lookup-depth').value));
});

$('graph-clear').addEventListener('click', () => {
  graph.clear();
  status('Cleared.');
});

$('scatter-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  status('Projecting user embeddings…');
  try {
    const { segmentScatter } = await gql(SCATTER, { limit: Number($('scatter-limit').value) || 2000 });
    drawScatter($('scatter'), $('scatter-legend'), segmentScatter);
    const variance = segmentScatter.explainedVariance.map((v) => `${(v * 100).toFixed(1)}%`).join(' / ');
    $('scatter-info').textContent = segmentScatter.modelVersion
      ? `model ${segmentScatter.modelVersion} · ${segmentScatter.points.length} users · variance explained ${variance}`
      : 'no active model version';
    status('Segments drawn.');
  } catch (error) {
    fail(error);
  }
});

$('experiment-list').addEventListener('click', async () => {
  status('Listing experiments…');
  try {
    const { experiments } = await gql(EXPERIMENTS);
    $('experiment-id').replaceChildren(...experiments.map((e) => Object.assign(document.createElement('option'), { value: e.id, textContent: `${e.name} (${e.status.toLowerCase()})` })));
    status(`${experiments.length} experiments.`);
  } catch (error) {
    fail(error);
  }
});

$('experiment-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = $('experiment-id').value;
  if (!id) return status('List the experiments and pick one first.', true);
  status(`Loading ${id}…`);
  try {
    const { experimentReport } = await gql(EXPERIMENT_REPORT, { id });
    drawExperiment($('experiment-chart'), $('experiment-summary'), experimentReport);
    const days = experimentReport.series[0]?.points.length ?? 0;
    $('experiment-info').textContent = `${experimentReport.variants.length} variants · ${days} days · counted until ${experimentReport.until.slice(0, 16).replace('T', ' ')}`;
    status('Experiment drawn.');
  } catch (error) {
    fail(error);
  }
});

for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => {
    for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t === tab);
    for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== `view-${tab.dataset.view}`;
  });
}

const legend = $('graph-legend');
for (const [label, color] of Object.entries(LABEL_COLORS)) legend.append(swatch(color, label));
showKeyState();
status('Ready.');
