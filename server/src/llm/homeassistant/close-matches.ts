/**
 * Python's `difflib.get_close_matches` and `SequenceMatcher.ratio`, ported line for line, for the
 * "did you mean ...?" hints Home Assistant's validation (probatio) adds to its errors. The hint must name the
 * same candidates HA names, so the scores, the cut-off and the tie order are Python's, and strings are
 * compared by code point as Python does (not by UTF-16 unit).
 */

/** How similar `a` and `b` are, from 0 to 1: `SequenceMatcher(None, a, b).ratio()` (autojunk on). */
export function sequenceRatio(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  const length = left.length + right.length;
  return length ? (2 * matchingCharacters(left, right)) / length : 1;
}

/**
 * The best (at most `n`) of `possibilities` scoring at least `cutoff` against `word`, best first; equal scores
 * put the greater string first, as Python's `heapq.nlargest` over `(score, string)` does.
 */
export function closeMatches(word: string, possibilities: readonly string[], n = 3, cutoff = 0.6): string[] {
  const scored: [number, string][] = [];
  // Python sets seq2 = word and seq1 = each possibility, so the possibility is `a`.
  for (const possibility of possibilities) {
    const score = sequenceRatio(possibility, word);
    if (score >= cutoff) scored.push([score, possibility]);
  }
  scored.sort(([scoreA, a], [scoreB, b]) => scoreB - scoreA || comparePython(b, a));
  return scored.slice(0, n).map(([, possibility]) => possibility);
}

/** Python's string order: by code point. */
export function comparePython(a: string, b: string): number {
  const left = Array.from(a, (c) => c.codePointAt(0)!);
  const right = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! - right[i]!;
  }
  return left.length - right.length;
}

/** The sum of the sizes of `get_matching_blocks()`. */
function matchingCharacters(a: string[], b: string[]): number {
  const b2j = new Map<string, number[]>();
  b.forEach((element, j) => {
    const indices = b2j.get(element);
    if (indices) indices.push(j);
    else b2j.set(element, [j]);
  });
  // autojunk: in a long `b`, elements that make up more than 1% of it are left out of the index.
  if (b.length >= 200) {
    const limit = Math.floor(b.length / 100) + 1;
    for (const [element, indices] of [...b2j]) if (indices.length > limit) b2j.delete(element);
  }

  let total = 0;
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = longestMatch(a, b, b2j, alo, ahi, blo, bhi);
    if (!k) continue;
    total += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return total;
}

/** `find_longest_match` without a junk function (so only the non-junk extension loops can move). */
function longestMatch(
  a: string[],
  b: string[],
  b2j: Map<string, number[]>,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number
): [number, number, number] {
  let [besti, bestj, bestsize] = [alo, blo, 0];
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const newj2len = new Map<number, number>();
    for (const j of b2j.get(a[i]!) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      newj2len.set(j, k);
      if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
    }
    j2len = newj2len;
  }
  while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
    [besti, bestj, bestsize] = [besti - 1, bestj - 1, bestsize + 1];
  }
  while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) {
    bestsize++;
  }
  return [besti, bestj, bestsize];
}
