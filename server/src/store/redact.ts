/**
 * Arguments as the request log keeps them: JSON text with the values of secret-looking keys replaced, at
 * any depth, and cut to a bound so one huge call cannot fill the disk. Clients send whatever they like, so
 * this accepts anything (cycles, getters that throw, bigints) and never throws.
 */

/** Keys whose values are never kept: credentials by any usual name, and the codes locks and alarms take. */
const SECRET_KEY =
  /token|secret|passw(or)?d|passphrase|authori[sz]ation|cookie|session|api[-_ ]?key|private[-_ ]?key|credential|code_verifier|^(code|pin|otp)$/i;

export const REDACTED = '[redacted]';
/** The longest arguments text kept per request. */
export const MAX_ARGUMENTS_CHARS = 4096;
const MAX_DEPTH = 32;
const CUT = '…';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactArguments(value: unknown, maxChars = MAX_ARGUMENTS_CHARS): string | null {
  if (value === undefined) return null;
  try {
    // Copying stops once about maxChars have been taken, so a megabyte of arguments costs no more than 4 KiB.
    let budget = maxChars;
    const ancestors = new Set<object>();
    const copy = (node: unknown, depth: number): unknown => {
      if (budget <= 0) return CUT;
      if (node === null || typeof node === 'boolean' || typeof node === 'number') {
        budget -= 6;
        return node;
      }
      if (typeof node === 'string') {
        budget -= node.length + 2;
        return node.length > maxChars ? node.slice(0, maxChars) + CUT : node;
      }
      if (typeof node === 'bigint') return copy(node.toString(), depth);
      if (typeof node !== 'object') return undefined; // functions, symbols: JSON has no such thing
      if (ancestors.has(node)) return '[circular]';
      if (depth >= MAX_DEPTH) return CUT;
      const json = (node as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') return copy(json.call(node), depth + 1);
      ancestors.add(node);
      try {
        if (Array.isArray(node)) {
          const out: unknown[] = [];
          for (const item of node) {
            if (budget <= 0) {
              out.push(CUT);
              break;
            }
            out.push(copy(item, depth + 1));
          }
          return out;
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(node)) {
          if (budget <= 0) {
            out[CUT] = CUT;
            break;
          }
          budget -= key.length + 3;
          out[key] = isSecretKey(key) ? REDACTED : copy((node as Record<string, unknown>)[key], depth + 1);
        }
        return out;
      } finally {
        ancestors.delete(node);
      }
    };
    const text = JSON.stringify(copy(value, 0));
    if (text === undefined) return null;
    return text.length <= maxChars ? text : text.slice(0, maxChars - CUT.length) + CUT;
  } catch {
    return JSON.stringify('[unreadable arguments]');
  }
}
