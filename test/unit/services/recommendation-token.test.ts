import { RecommendationTokens } from '../../../src/services/recommendation/recommendation-token';

describe('recommendation tokens', () => {
  const tokens = new RecommendationTokens('secret-a');

  it('round-trips the ticket of a token it issued', () => {
    const token = tokens.issue({ userId: 'u1', modelVersion: 'v1' }, 1700000000000);
    expect(tokens.verify(token)).toMatchObject({ userId: 'u1', modelVersion: 'v1', at: 1700000000000 });
  });

  it('refuses altered tokens and tokens signed with another secret', () => {
    const token = tokens.issue({ userId: 'u1', modelVersion: null });
    const [payload, signature] = token.slice(4).split('.');
    const forged = Buffer.from(JSON.stringify({ userId: 'u2', modelVersion: null, at: 0, nonce: 'x' })).toString('base64url');
    expect(tokens.verify(`rec_${forged}.${signature}`)).toBeUndefined();
    expect(new RecommendationTokens('secret-b').verify(token)).toBeUndefined();
    expect(tokens.verify(`rec_${payload}`)).toBeUndefined();
    expect(tokens.verify('garbage')).toBeUndefined();
  });

  it('gives every token its own nonce, also past one draw of random bytes', () => {
    const nonces = Array.from({ length: 3000 }, () => tokens.verify(tokens.issue({ userId: 'u1', modelVersion: 'v1' }, 0))?.nonce);
    expect(nonces.every((n) => typeof n === 'string' && n.length === 8)).toBe(true);
    expect(new Set(nonces).size).toBe(3000);
  });
});
