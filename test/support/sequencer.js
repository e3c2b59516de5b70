/**
 * Jest's own order, except that suites which switch the database's text encoder run last: they
 * rebuild the text vector index every other suite shares (chinese-shop resizes it to 512-d and
 * back), and the serving-cache suite failed when it ran after one (its lists stopped serving).
 */
const Sequencer = require('@jest/test-sequencer').default;

const LAST = [/chinese-shop\.test\.ts$/];

class EncoderSwitchesLast extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const last = (t) => LAST.some((re) => re.test(t.path));
    return [...sorted.filter((t) => !last(t)), ...sorted.filter(last)];
  }
}

module.exports = EncoderSwitchesLast;
