/**
 * The CSV HA's history tool writes: Python's `csv.writer(lineterminator="\n")` (minimal quoting) over rows
 * whose numbers are written with `f"{value:.6g}"`.
 */

/** Python's `csv.writer` with `lineterminator="\n"`: one line per row, a field quoted only when it must be. */
export function pythonCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => csvLine(row) + '\n').join('');
}

function csvLine(row: readonly string[]): string {
  // A row of one empty field would be an empty line, which reads back as no row: Python quotes it.
  if (row.length === 1 && row[0] === '') return '""';
  return row.map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(',');
}

/**
 * Python's `f"{value:.6g}"`, and `""` for a missing value: six significant digits, trailing zeros dropped,
 * exponent form below 1e-4 and from 1e6 (`1.23457e+06`). Exact ties round to even, as Python rounds the
 * exact binary value (`1234565` → `1.23456e+06`), where JavaScript's toPrecision rounds them up.
 */
export function formatG6(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const [mantissa, exponentText] = abs.toExponential(5).split('e') as [string, string];
  let digits = BigInt(mantissa.replace('.', ''));
  const exponent = Number(exponentText);
  if (digits % 2n === 1n && isTieBelow(abs, digits, exponent)) digits -= 1n;
  const text = String(digits);
  if (exponent < -4 || exponent >= 6) {
    const fraction = text.slice(1).replace(/0+$/, '');
    const exp = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${text[0]}${fraction ? `.${fraction}` : ''}e${exp}`;
  }
  const point = exponent + 1;
  const whole = point > 0 ? text.slice(0, point) : '0';
  const fraction = (point > 0 ? text.slice(point) : '0'.repeat(-point) + text).replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Whether `value` lies exactly halfway between `digits - 1` and `digits` (six digits, scaled by
 * 10^(exponent-5)), i.e. value * 10^(5-exponent) * 2 == 2 * digits - 1, computed on the exact binary value.
 */
function isTieBelow(value: number, digits: bigint, exponent: number): boolean {
  const [significand, power] = binary(value);
  // value = significand * 2^power; compare significand * 2^(power+1) * 10^(5-exponent) with 2*digits - 1.
  let left = significand;
  let right = 2n * digits - 1n;
  const twos = power + 1;
  if (twos >= 0) left <<= BigInt(twos);
  else right <<= BigInt(-twos);
  const tens = 5 - exponent;
  if (tens >= 0) left *= 10n ** BigInt(tens);
  else right *= 10n ** BigInt(-tens);
  return left === right;
}

/** A positive finite double as significand * 2^power, exactly. */
function binary(value: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  return biased === 0 ? [fraction, -1074] : [fraction | (1n << 52n), biased - 1075];
}
