export const LABEL_COLORS = { User: '#3b6fd8', Product: '#e0782f', Category: '#3f9e5d', Segment: '#9b4dca' };

const PALETTE = ['#3b6fd8', '#e0782f', '#3f9e5d', '#9b4dca', '#d4a017', '#d6456f', '#1aa3a3', '#7a5c3e', '#6b7a8f', '#a6c33c', '#ff7f7f', '#5a3fd6'];

export function paletteColor(index) {
  return PALETTE[index % PALETTE.length];
}

export function swatch(color, text) {
  const span = document.createElement('span');
  const dot = document.createElement('span');
  dot.className = 'swatch';
  dot.style.background = color;
  span.append(dot, text);
  return span;
}
