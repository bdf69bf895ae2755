/** An OAuth sign-in as the panel lists it (a file of plain types: the panel imports it too). */
export interface GrantSummary {
  id: string;
  clientId: string;
  clientName: string | null;
  userId: string;
  userName: string;
  readOnly: boolean;
  created: number;
  lastUsed: number | null;
  /** The owner set it in the panel: every change its client makes waits for a person. Absent: the default. */
  asksEverything?: boolean;
}
