/**
 * Mexican RFC (Registro Federal de Contribuyentes) checked by format, as SAT issues it:
 * - persona moral (a company): 3 letters of the name, date of incorporation YYMMDD, 3-character homoclave;
 * - persona física (a person): 4 letters of the name, date of birth YYMMDD, 3-character homoclave.
 * Letters are A–Z, Ñ and & (SAT keeps & and Ñ from the name). The date must exist in the calendar; with a
 * two-digit year it is accepted when it exists in either 19YY or 20YY (29 February of '00' is 2000's).
 * The check digit is not verified: SAT's algorithm is undocumented for some homoclaves and rejecting a real
 * RFC would be worse than accepting a mistyped one. Spaces and hyphens (as often written) are dropped.
 */

export type RfcKind = 'moral' | 'fisica';

export type RfcResult = { ok: true; kind: RfcKind; rfc: string } | { ok: false; reason: 'format' | 'date' };

const SHAPE = /^([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z0-9]{3})$/u;

export function normalizeRfc(input: string): string {
  return input
    .normalize('NFC')
    .replace(/[\s-]+/g, '')
    .toUpperCase();
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function isCalendarDate(yy: number, mm: number, dd: number): boolean {
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]!;
  if (dd <= days) return true;
  return mm === 2 && dd === 29 && (isLeap(1900 + yy) || isLeap(2000 + yy));
}

export function validateRfc(input: string): RfcResult {
  const rfc = normalizeRfc(input);
  const m = SHAPE.exec(rfc);
  if (!m) return { ok: false, reason: 'format' };
  const [, letters, yy, mm, dd] = m;
  if (!isCalendarDate(Number(yy), Number(mm), Number(dd))) return { ok: false, reason: 'date' };
  return { ok: true, kind: letters!.length === 3 ? 'moral' : 'fisica', rfc };
}
