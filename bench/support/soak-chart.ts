/**
 * The soak's plot: RSS of the server and of Neo4j, and p99 latency, per minute, as an SVG drawn by
 * Vega headless (no browser, no canvas). Vega is an ES module with top-level await and this code
 * base compiles to CommonJS, where TypeScript would turn `import()` into `require()`: the import is
 * built at run time so Node's own dynamic import loads it. (vega-lite would shorten the spec but
 * asks for Node 22, and the project supports 20.)
 */
import type * as Vega from 'vega';

export interface SoakMinute {
  minute: number;
  serverRssMiB: number;
  neo4jRssMiB: number;
  p99Ms: number;
}

const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<typeof Vega>;

const WIDTH = 640;
const HEIGHT = 200;

/** One panel: lines of `series` (name -> field) against minutes, at vertical offset `top`. */
function panel(name: string, top: number, title: string, fields: Record<string, keyof SoakMinute>): Vega.GroupMark {
  const data = `${name}-long`;
  return {
    type: 'group',
    encode: { enter: { x: { value: 0 }, y: { value: top }, width: { value: WIDTH }, height: { value: HEIGHT } } },
    data: [
      {
        name: data,
        source: 'minutes',
        transform: [
          { type: 'fold', fields: Object.values(fields), as: ['field', 'value'] },
          { type: 'formula', as: 'series', expr: `${JSON.stringify(Object.fromEntries(Object.entries(fields).map(([k, v]) => [v, k])))}[datum.field]` },
        ],
      },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: { data, field: 'minute' }, range: 'width' },
      { name: 'y', type: 'linear', domain: { data, field: 'value' }, range: 'height', zero: true, nice: true },
      { name: 'color', type: 'ordinal', domain: { data, field: 'series' }, range: 'category' },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'minute' },
      { orient: 'left', scale: 'y', title },
    ],
    legends: [{ fill: 'color', orient: 'top-right' }],
    marks: [
      {
        type: 'group',
        from: { facet: { name: `${name}-series`, data, groupby: 'series' } },
        marks: [
          {
            type: 'line',
            from: { data: `${name}-series` },
            encode: {
              enter: {
                x: { scale: 'x', field: 'minute' },
                y: { scale: 'y', field: 'value' },
                stroke: { scale: 'color', field: 'series' },
                strokeWidth: { value: 2 },
              },
            },
          },
        ],
      },
    ],
  };
}

export async function soakChartSvg(minutes: SoakMinute[], heading: string): Promise<string> {
  const vega = await importEsm('vega');
  const spec: Vega.Spec = {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: WIDTH,
    height: 2 * HEIGHT + 60,
    padding: 10,
    title: { text: heading },
    data: [{ name: 'minutes', values: minutes }],
    marks: [
      panel('rss', 0, 'RSS (MiB)', { server: 'serverRssMiB', Neo4j: 'neo4jRssMiB' }),
      panel('p99', HEIGHT + 60, 'p99 (ms)', { p99: 'p99Ms' }),
    ],
  };
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
}
