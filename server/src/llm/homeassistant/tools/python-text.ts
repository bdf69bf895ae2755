/**
 * Python's string semantics where HA's tools rely on them and JavaScript's differ: `str.casefold()` (which
 * folds `ß` to `ss`, where `toLowerCase()` keeps it), `str.strip()` and `str.split()` (Python's whitespace,
 * which includes the separators U+001C to U+001F), `len()` (code points, not UTF-16 units), and `str()` /
 * `repr()` of the values HA's messages print.
 */

/**
 * Where full case folding (Unicode's CaseFolding.txt, statuses C and F, as Python 3.14 applies them) differs
 * from lower-casing, keyed by the lower-case character: every character folds as its lower-case form does.
 */
// prettier-ignore
const FOLDS = new Map<string, string>(
  Object.entries({
    '\u00b5': '\u03bc', '\u00df': 'ss', '\u0149': '\u02bcn', '\u017f': 's', '\u01f0': 'j\u030c',
    '\u0345': '\u03b9', '\u0390': '\u03b9\u0308\u0301', '\u03b0': '\u03c5\u0308\u0301', '\u03c2': '\u03c3',
    '\u03d0': '\u03b2', '\u03d1': '\u03b8', '\u03d5': '\u03c6', '\u03d6': '\u03c0', '\u03f0': '\u03ba',
    '\u03f1': '\u03c1', '\u03f5': '\u03b5', '\u0587': '\u0565\u0582', '\u1c80': '\u0432', '\u1c81': '\u0434',
    '\u1c82': '\u043e', '\u1c83': '\u0441', '\u1c84': '\u0442', '\u1c85': '\u0442', '\u1c86': '\u044a',
    '\u1c87': '\u0463', '\u1c88': '\ua64b', '\u1e96': 'h\u0331', '\u1e97': 't\u0308', '\u1e98': 'w\u030a',
    '\u1e99': 'y\u030a', '\u1e9a': 'a\u02be', '\u1e9b': '\u1e61', '\u1f50': '\u03c5\u0313',
    '\u1f52': '\u03c5\u0313\u0300', '\u1f54': '\u03c5\u0313\u0301', '\u1f56': '\u03c5\u0313\u0342',
    '\u1fb2': '\u1f70\u03b9', '\u1fb3': '\u03b1\u03b9', '\u1fb4': '\u03ac\u03b9', '\u1fb6': '\u03b1\u0342',
    '\u1fb7': '\u03b1\u0342\u03b9', '\u1fbe': '\u03b9', '\u1fc2': '\u1f74\u03b9', '\u1fc3': '\u03b7\u03b9',
    '\u1fc4': '\u03ae\u03b9', '\u1fc6': '\u03b7\u0342', '\u1fc7': '\u03b7\u0342\u03b9',
    '\u1fd2': '\u03b9\u0308\u0300', '\u1fd3': '\u03b9\u0308\u0301', '\u1fd6': '\u03b9\u0342',
    '\u1fd7': '\u03b9\u0308\u0342', '\u1fe2': '\u03c5\u0308\u0300', '\u1fe3': '\u03c5\u0308\u0301',
    '\u1fe4': '\u03c1\u0313', '\u1fe6': '\u03c5\u0342', '\u1fe7': '\u03c5\u0308\u0342',
    '\u1ff2': '\u1f7c\u03b9', '\u1ff3': '\u03c9\u03b9', '\u1ff4': '\u03ce\u03b9', '\u1ff6': '\u03c9\u0342',
    '\u1ff7': '\u03c9\u0342\u03b9', '\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi',
    '\ufb04': 'ffl', '\ufb05': 'st', '\ufb06': 'st', '\ufb13': '\u0574\u0576', '\ufb14': '\u0574\u0565',
    '\ufb15': '\u0574\u056b', '\ufb16': '\u057e\u0576', '\ufb17': '\u0574\u056d',
  })
);

/**
 * Also folded by rule: Greek letters with a subscript iota (ᾀ..ᾇ, ᾐ..ᾗ, ᾠ..ᾧ) split into the letter and ι;
 * Cherokee folds to its capitals (lower-casing goes the other way).
 */
const FOLDABLE = new RegExp(
  `[${[...FOLDS.keys()].join('')}\\u1f80-\\u1f87\\u1f90-\\u1f97\\u1fa0-\\u1fa7\\u13f8-\\u13fd\\uab70-\\uabbf]`,
  'gu'
);

function foldOne(char: string): string {
  const folded = FOLDS.get(char);
  if (folded !== undefined) return folded;
  const code = char.codePointAt(0)!;
  if (code >= 0xab70) return String.fromCodePoint(code - 0xab70 + 0x13a0);
  if (code <= 0x13fd) return String.fromCodePoint(code - 8);
  // ᾀ -> ἀι, ᾐ -> ἠι, ᾠ -> ὠι
  const base = code < 0x1f90 ? 0x1f00 : code < 0x1fa0 ? 0x1f20 : 0x1f60;
  return String.fromCodePoint(base + (code & 7)) + '\u03b9';
}

const ASCII = /^[\x00-\x7f]*$/;

/** Python's `str.casefold()`, for caseless matching (characters Unicode added after 16.0 aside). */
export function casefold(text: string): string {
  const lower = text.toLowerCase();
  return ASCII.test(lower) ? lower : lower.replace(FOLDABLE, foldOne);
}

/** The characters Python's `str.isspace()` accepts, which differ from JavaScript's `\s`. */
const PY_SPACE =
  '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g');
const PY_SPACES = new RegExp(`${PY_SPACE}+`);

/** Python's `str.strip()`. */
export const pythonStrip = (text: string): string => text.replace(PY_STRIP, '');

/** Python's `str.split()`: the words between runs of whitespace. */
export const pythonSplit = (text: string): string[] => {
  const stripped = pythonStrip(text);
  return stripped ? stripped.split(PY_SPACES) : [];
};

/** Python's `len()` of a string: code points. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Python's `text.split(separator, 1)` where the separator occurs: what comes before and after its first place. */
export function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * Python's `str()` of a JSON number or boolean. A whole number that JSON could carry exactly is taken to
 * have been an int (`5`); other numbers print as Python floats do (`1.5`, `1e-05`, `1e+16`).
 */
export function pythonStr(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value !== 'number') return String(value);
  if (Number.isSafeInteger(value)) return String(value);
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const point = Number(exponent) + 1; // digits before the decimal point
  const sign = value < 0 ? '-' : '';
  if (point <= -4 || point > 16) {
    const exp = point - 1;
    const expText = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${expText}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Python's `repr()` of a string: single quotes unless it holds only single quotes, escapes for the rest. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char !== ' ' && NOT_PRINTABLE.test(char)) {
      out +=
        code <= 0xff
          ? `\\x${code.toString(16).padStart(2, '0')}`
          : code <= 0xffff
            ? `\\u${code.toString(16).padStart(4, '0')}`
            : `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += char;
  }
  return quote + out + quote;
}

/** `str.isprintable()` is false for these categories (space excepted). */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
