/** Roles decide which operations a key may call (design §6). */
export const ROLES = ['frontend', 'partner', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Who is calling: resolved from the API key once per request. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Set for partner keys: the partner whose shared members the key may see. */
  partnerId: string | null;
}
