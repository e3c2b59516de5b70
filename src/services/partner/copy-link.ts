/**
 * Where a partner's tracking link goes in generated copy. It is added after the guardrails (its
 * characters are no claim, and its token's digits no ungrounded number), with the length check
 * leaving room for it. SMS, email bodies and social posts carry it at the end of the text; a push
 * title and an email subject do not (the link is the push's target or the email's button), so
 * there it is only given beside the text.
 */
import type { Channel } from '../copy/copy-types';

const IN_TEXT: ReadonlySet<Channel> = new Set<Channel>(['SMS', 'EMAIL_BODY', 'SOCIAL']);

export function linkInText(channel: Channel): boolean {
  return IN_TEXT.has(channel);
}

/** Characters the link adds to the text on this channel: the link and its separating space, or 0. */
export function linkReserve(channel: Channel, link: string): number {
  return linkInText(channel) ? link.length + 1 : 0;
}

/** The text as sent: with the link at its end where the channel carries one. */
export function withLink(text: string, channel: Channel, link: string): string {
  return linkInText(channel) ? `${text} ${link}` : text;
}
