/**
 * Calls waiting for a person's approval: the list, the answer, and the list kept live (the server sends it
 * again whenever a call starts or stops waiting; polled instead when the stream is held back on the way, as
 * the log's tail is in data/logs.ts).
 */
import { api, ApiError, apiUrl } from './api';
import type {
  ApprovalDecisionAnswer,
  ApprovalDecisionBody,
  ApprovalEvents,
  ApprovalsAnswer,
} from '../../../server/src/admin/contract';
import { FIRST_EVENT_MS, POLL_MS } from './logs';

export type { ApprovalRow, ApprovalsAnswer } from '../../../server/src/admin/contract';

export const fetchApprovals = () => api<ApprovalsAnswer>('/approvals');

export const decideApproval = (id: string, allow: boolean) =>
  api<ApprovalDecisionAnswer>(`/approvals/${encodeURIComponent(id)}`, {
    json: { allow } satisfies ApprovalDecisionBody,
  });

/**
 * The list as it changes, until the returned function is called. Without the stream's `ready` within
 * FIRST_EVENT_MS, the stream is closed and the list asked for every POLL_MS.
 */
export function followApprovals(on: (answer: ApprovalsAnswer) => void): () => void {
  let stopped = false;
  let poll: number | undefined;
  const source = new EventSource(apiUrl('/approvals/stream'));
  const tick = async () => {
    try {
      const answer = await fetchApprovals();
      if (!stopped) on(answer);
    } catch (err) {
      // A viewer Home Assistant named no user for has nothing here (403): asking again would not change that.
      if (err instanceof ApiError && err.status === 403) return;
      // Otherwise the next tick tries again; the list keeps what it last had meanwhile.
    }
    if (!stopped) poll = window.setTimeout(() => void tick(), POLL_MS);
  };
  const heldBack = window.setTimeout(() => {
    source.close();
    void tick();
  }, FIRST_EVENT_MS);
  source.addEventListener('ready', () => window.clearTimeout(heldBack));
  source.addEventListener('approvals', (event) =>
    on(JSON.parse((event as MessageEvent<string>).data) as ApprovalEvents['approvals'])
  );
  return () => {
    stopped = true;
    window.clearTimeout(heldBack);
    window.clearTimeout(poll);
    source.close();
  };
}
