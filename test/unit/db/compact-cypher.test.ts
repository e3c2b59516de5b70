import { compactCypher } from '../../../src/db/compact-cypher';

describe('compactCypher', () => {
  it('joins indented lines with single spaces', () => {
    const cypher = `MATCH (u:User {id: $userId})
           WITH u, COUNT { (u)-->() } AS n
             RETURN n   `;
    expect(compactCypher(cypher)).toBe('MATCH (u:User {id: $userId}) WITH u, COUNT { (u)-->() } AS n RETURN n');
  });

  it('leaves spaces inside a line alone, string literals included', () => {
    expect(compactCypher("RETURN 'a  b' AS s,\n  1 AS x")).toBe("RETURN 'a  b' AS s, 1 AS x");
  });

  it('sends a statement with a line comment as written', () => {
    const cypher = 'MATCH (n)\n// keep the rest\nRETURN n';
    expect(compactCypher(cypher)).toBe(cypher);
  });
});
