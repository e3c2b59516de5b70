/**
 * Length limits per channel. SMS is 160 characters in the GSM-7 alphabet and 70 otherwise (UCS-2,
 * e.g. any Chinese character); a push notification's title 50; an email subject 78 (RFC 5322's
 * recommended line length).
 */
import type { Channel, CheckResult } from './copy-types';

// GSM 03.38 basic character set plus its extension table (each extension char costs two septets).
const GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENDED = '^{}\\[~]|€\f';

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM7_BASIC.includes(ch) && !GSM7_EXTENDED.includes(ch)) return false;
  return true;
}

/** Length in the channel's unit: GSM-7 septets for a GSM-7 SMS, characters (code points) otherwise. */
function measuredLength(text: string, channel: Channel): number {
  if (channel === 'SMS' && isGsm7(text)) return [...text].reduce((n, ch) => n + (GSM7_EXTENDED.includes(ch) ? 2 : 1), 0);
  return [...text].length;
}

export function maxLength(channel: Channel, text: string): number {
  switch (channel) {
    case 'SMS':
      return isGsm7(text) ? 160 : 70;
    case 'PUSH':
      return 50;
    case 'EMAIL_SUBJECT':
      return 78;
    case 'SOCIAL':
      return 280;
    case 'EMAIL_BODY':
      return 1200;
  }
}

/** `reserved`: characters appended after the check (a tracking link, all GSM-7), counted against the limit. */
export function checkLength(text: string, channel: Channel, reserved = 0): CheckResult {
  const limit = maxLength(channel, text);
  const length = measuredLength(text, channel);
  const empty = text.trim().length === 0;
  const passed = !empty && length + reserved <= limit;
  const measured = reserved > 0 ? `${length} + ${reserved} (link)` : `${length}`;
  return { check: 'LENGTH', passed, detail: passed ? null : empty ? 'empty' : `${measured} > ${limit}${channel === 'SMS' && limit === 70 ? ' (not GSM-7)' : ''}` };
}
