/**
 * Links members from a CSV file (`userId,memberRef,consentAt,scopes`; a header row; scopes separated
 * by ";"; consentAt ISO-8601, empty = now) in batches of the link limit, reporting progress.
 */
import * as fs from 'node:fs';
import { parse } from 'csv-parse';
import type { LinkResult, MemberLinkInput, PartnerService } from '../services/partner/partner.service';

export interface LinkFileOutcome {
  linked: number;
  rejected: { memberRef: string; reason: string }[];
}

export async function linkMembersFromCsv(args: {
  partners: PartnerService;
  partnerId: string;
  file: string;
  batchSize: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<LinkFileOutcome> {
  const rows: MemberLinkInput[] = [];
  const parser = fs.createReadStream(args.file).pipe(parse({ columns: true, skip_empty_lines: true, trim: true }));
  for await (const record of parser as AsyncIterable<Record<string, string | undefined>>) {
    if (!record.userId || !record.memberRef) throw new Error(`${args.file}: every row needs userId and memberRef (row ${rows.length + 2})`);
    const consentAt = record.consentAt ? new Date(record.consentAt) : new Date();
    if (Number.isNaN(consentAt.getTime())) throw new Error(`${args.file}: consentAt "${record.consentAt}" is not a date (row ${rows.length + 2})`);
    rows.push({ userId: record.userId, memberRef: record.memberRef, consentAt, scopes: (record.scopes ?? '').split(';').filter((s) => s !== '') });
  }
  const outcome: LinkFileOutcome = { linked: 0, rejected: [] };
  args.onProgress?.(0, rows.length);
  for (let i = 0; i < rows.length; i += args.batchSize) {
    const results: LinkResult[] = await args.partners.link(args.partnerId, rows.slice(i, i + args.batchSize));
    for (const r of results) {
      if (r.status === 'LINKED') outcome.linked += 1;
      else outcome.rejected.push({ memberRef: r.memberRef, reason: r.reason ?? 'rejected' });
    }
    args.onProgress?.(Math.min(rows.length, i + args.batchSize), rows.length);
  }
  return outcome;
}
