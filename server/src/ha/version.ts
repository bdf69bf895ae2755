/**
 * Home Assistant's release, as its WebSocket link gives it (`2026.11.0`, `2026.12.0b1`, `2026.12.0.dev0`):
 * what the add-on decides by it (tool naming, the Assist API's name) asks here. An unreadable version counts
 * as the oldest.
 */
export function haVersionAtLeast(version: string, year: number, month: number): boolean {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return major > year || (major === year && minor >= month);
}
