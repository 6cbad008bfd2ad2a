/** NFKD, accents (combining marks) dropped, lower case: the comparison form shared by every catalogue lookup. */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Folded text split on anything that is not a letter or digit. */
export function foldTokens(s: string): string[] {
  return foldText(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}
