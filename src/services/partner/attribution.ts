/**
 * Which partner click an order is paid on. Last click decides the partner, as most networks do:
 * of the member's partner clicks before the order, each within the window of the program version
 * in force at it, the latest wins. If that partner's program (at that click) is FIRST_CLICK, the
 * order is paid on the member's first click of that partner still within its window instead.
 * The terms are those of the version in force at the chosen click.
 */
import type { PartnerClickRow } from '../../repositories/conversion.repository';
import { Program, programAt } from './program';

const DAY_MS = 86_400_000;

export interface Attribution {
  click: PartnerClickRow;
  program: Program;
}

export function attribute(clicks: PartnerClickRow[], programs: Map<string, Program[]>, orderAt: number): Attribution | null {
  const eligible: Attribution[] = [];
  for (const click of clicks) {
    const program = programAt(programs.get(click.partnerId) ?? [], click.at);
    if (program && click.at <= orderAt && orderAt - click.at <= program.windowDays * DAY_MS) eligible.push({ click, program });
  }
  if (eligible.length === 0) return null;
  const byTime = (a: Attribution, b: Attribution) => a.click.at - b.click.at || a.click.clickId.localeCompare(b.click.clickId);
  eligible.sort(byTime);
  const last = eligible[eligible.length - 1];
  if (last.program.attribution !== 'FIRST_CLICK') return last;
  return eligible.find((e) => e.click.partnerId === last.click.partnerId) ?? last;
}
