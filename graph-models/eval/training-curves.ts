/**
 * The training-curve plot written beside a model artifact: loss and validation NDCG@20 by epoch,
 * as a self-contained SVG (no plotting dependency; any browser or image viewer opens it).
 */
export interface CurvePoint {
  epoch: number;
  loss: number;
  validationNdcg20?: number;
}

const W = 720;
const H = 300;
const PAD = 48;

function polyline(points: [number, number][], colour: string): string {
  return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`;
}

function panel(title: string, xs: number[], ys: number[], colour: string, offsetX: number): string {
  const width = W / 2 - PAD;
  if (xs.length === 0) return `<text x="${offsetX + PAD}" y="${H / 2}" font-size="12">${title}: no data</text>`;
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  const ySpan = yMax - yMin || Math.abs(yMax) || 1;
  const px = (x: number): number => offsetX + PAD + ((x - xMin) / (xMax - xMin)) * (width - PAD / 2);
  const py = (y: number): number => H - PAD - ((y - yMin) / ySpan) * (H - 2 * PAD);
  const axis =
    `<line x1="${offsetX + PAD}" y1="${H - PAD}" x2="${offsetX + width}" y2="${H - PAD}" stroke="#444"/>` +
    `<line x1="${offsetX + PAD}" y1="${PAD}" x2="${offsetX + PAD}" y2="${H - PAD}" stroke="#444"/>`;
  const labels =
    `<text x="${offsetX + PAD}" y="${PAD - 16}" font-size="14" font-weight="bold">${title}</text>` +
    `<text x="${offsetX + PAD - 4}" y="${PAD + 4}" font-size="10" text-anchor="end">${yMax.toFixed(4)}</text>` +
    `<text x="${offsetX + PAD - 4}" y="${H - PAD}" font-size="10" text-anchor="end">${yMin.toFixed(4)}</text>` +
    `<text x="${offsetX + PAD}" y="${H - PAD + 16}" font-size="10">epoch ${xMin}</text>` +
    `<text x="${offsetX + width}" y="${H - PAD + 16}" font-size="10" text-anchor="end">${xMax}</text>`;
  return axis + labels + polyline(xs.map((x, i) => [px(x), py(ys[i])]), colour);
}

export function trainingCurvesSvg(name: string, points: CurvePoint[]): string {
  const validated = points.filter((p) => p.validationNdcg20 !== undefined);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 20}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W / 2}" y="${H + 12}" font-size="12" text-anchor="middle">${name}: training loss and validation NDCG@20 by epoch</text>`,
    panel('training loss', points.map((p) => p.epoch), points.map((p) => p.loss), '#c0392b', 0),
    panel('validation NDCG@20', validated.map((p) => p.epoch), validated.map((p) => p.validationNdcg20 as number), '#2471a3', W / 2),
    '</svg>',
  ].join('\n');
}
