export interface Health {
  status: string;
  version: string;
}

/** Relative URL: the panel lives under the ingress path. */
export async function fetchHealth(): Promise<Health> {
  const res = await fetch('./healthz', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as Health;
}
