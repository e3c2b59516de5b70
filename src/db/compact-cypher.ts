/**
 * The statement as sent: indentation and line breaks collapsed, so long queries take fewer of the
 * driver's 1400-byte socket writes (see docs/experiments.md). String literals in our
 * statements never span lines, so only whitespace around line breaks is touched; a statement with
 * a `//` comment is sent as written, since joining lines would comment out what follows.
 */
const sent = new Map<string, string>();
export function compactCypher(cypher: string): string {
  let text = sent.get(cypher);
  if (text === undefined) {
    text = cypher.includes('//') ? cypher : cypher.replace(/[ \t]*\r?\n\s*/g, ' ').trim();
    // Statements are built from a fixed set of templates; the bound only guards against a caller that is not.
    if (sent.size >= 1000) sent.clear();
    sent.set(cypher, text);
  }
  return text;
}
