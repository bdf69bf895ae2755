/**
 * Home Assistant's users, to tell whether the person at the panel is an administrator. The Supervisor says
 * who it is (`X-Remote-User-Id`) but not what they may do, and it lets every HA user open every ingress
 * panel; so changes are checked here, against `config/auth/list` (an admin command the add-on's credential
 * may send). The list is kept for a short while: one lookup serves a burst of requests, and a user demoted
 * in HA loses the right to change things within that time.
 */
import * as z from 'zod';
import { listUsers, type Send } from '../ha/commands.js';

const HaUserSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  username: z.string().nullish(),
  is_owner: z.boolean().default(false),
  is_active: z.boolean().default(true),
  group_ids: z.array(z.string()).default([]),
});
const HaUserListSchema = z.array(HaUserSchema);

export type HaUser = z.infer<typeof HaUserSchema>;

/** HA's administrators group. */
export const ADMIN_GROUP = 'system-admin';

export function isAdminUser(user: HaUser | undefined): boolean {
  return !!user && user.is_active && (user.is_owner || user.group_ids.includes(ADMIN_GROUP));
}

export interface HaUsersOptions {
  /** How long one answer from HA is trusted. */
  ttlMs?: number;
  now?: () => number;
}

export class HaUsers {
  private cached: { users: Map<string, HaUser>; expires: number } | undefined;
  private pending: Promise<Map<string, HaUser>> | undefined;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Lookups that reached HA (for the tests). */
  lookups = 0;

  constructor(
    private readonly command: Send,
    options: HaUsersOptions = {}
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async find(userId: string): Promise<HaUser | undefined> {
    return (await this.list()).get(userId);
  }

  async isAdmin(userId: string): Promise<boolean> {
    return isAdminUser(await this.find(userId));
  }

  private async list(): Promise<Map<string, HaUser>> {
    if (this.cached && this.cached.expires > this.now()) return this.cached.users;
    // Requests that arrive together share one lookup; a failed lookup is not remembered.
    this.pending ??= (async () => {
      try {
        this.lookups++;
        const raw = await listUsers(this.command);
        const users = new Map(HaUserListSchema.parse(raw).map((user) => [user.id, user]));
        this.cached = { users, expires: this.now() + this.ttlMs };
        return users;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }
}
