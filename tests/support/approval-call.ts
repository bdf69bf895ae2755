/** A call that waits for approval, as the engine's tests and the panel's API tests start one. */
import type { ApprovalCall } from '../../server/src/approvals/engine.js';

/** A client of `user` asking to unlock the front door. */
export const unlockCall = (
  user: { userId: string; userName: string },
  over: Partial<ApprovalCall> = {}
): ApprovalCall => ({
  ...user,
  clientKey: 'client-1',
  clientName: 'Claude',
  tool: 'HassTurnOff',
  args: { name: 'Front Door' },
  verb: 'unlock',
  entities: [{ entityId: 'lock.front_door', name: 'Front Door' }],
  ...over,
});
