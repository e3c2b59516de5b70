import { decodeBookmarks, encodeBookmarks, RequestBookmarks } from '../../../src/db/request-bookmarks';

describe('request bookmarks', () => {
  it('round-trips bookmarks through the opaque token', () => {
    const token = encodeBookmarks(['FB:abc', 'FB:def']);
    expect(decodeBookmarks(token)).toEqual(['FB:abc', 'FB:def']);
    expect(decodeBookmarks(undefined)).toEqual([]);
  });

  it('refuses tokens that are not a list of bookmarks', () => {
    for (const token of ['%%%', encodeBookmarks([]).slice(0, 1), Buffer.from('{"a":1}').toString('base64url'), encodeBookmarks(['x'.repeat(600)])]) {
      expect(() => decodeBookmarks(token)).toThrow(/x-affinity-bookmark/);
    }
  });

  it('hands back only what this request wrote, its latest write superseding the earlier', () => {
    const request = new RequestBookmarks(['FB:client']);
    expect(request.token()).toBeNull();
    request.noteWrite(['FB:one']);
    expect(request.current).toEqual(['FB:client', 'FB:one']);
    request.noteWrite(['FB:two']);
    expect(decodeBookmarks(request.token()!)).toEqual(['FB:two']);
  });
});
