import { TrackingLinks } from '../../../../src/services/partner/tracking-link';

const links = new TrackingLinks('11'.repeat(32));
const ticket = { partnerId: 'partner-1', userId: 'user-secret-42', productId: 'product-9981', recommendationId: 'rec_abcdef123', expiresAt: 1_900_000_000_000 };

describe('TrackingLinks', () => {
  it('opens what it sealed', () => {
    expect(links.open(links.seal(ticket))).toEqual(ticket);
  });

  it('reveals no id in the token', () => {
    const token = links.seal(ticket);
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    for (const id of Object.values(ticket).map(String)) {
      expect(token).not.toContain(id);
      expect(decoded).not.toContain(id);
    }
  });

  it('refuses every single-character alteration, truncation, another key and garbage', () => {
    const token = links.seal(ticket);
    for (let i = 0; i < token.length; i += 7) {
      const altered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(links.open(altered)).toBeUndefined();
    }
    expect(links.open(token.slice(0, -4))).toBeUndefined();
    expect(new TrackingLinks('22'.repeat(32)).open(token)).toBeUndefined();
    expect(links.open('not a token')).toBeUndefined();
    expect(links.open('')).toBeUndefined();
  });

  it('seals the same ticket differently each time (random IV)', () => {
    expect(links.seal(ticket)).not.toBe(links.seal(ticket));
  });

  it('never uses an IV twice, across refills of its block of random bytes, and opens every token', () => {
    const sealer = new TrackingLinks('33'.repeat(32));
    const tokens = Array.from({ length: 2500 }, () => sealer.seal(ticket));
    const ivs = new Set(tokens.map((t) => Buffer.from(t, 'base64url').subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(tokens.length);
    expect(tokens.every((t) => sealer.open(t)?.userId === ticket.userId)).toBe(true);
  });
});
