/**
 * Header folding (RFC 3261 §7.3.1): "the field value can be extended over multiple lines by
 * preceding each extra line with at least one space or horizontal tab". Two ways to undo it.
 */

const CR = 0x0d;
const LF = 0x0a;

/** Line breaks of a folded value become spaces: the same length, so offsets still hold. */
export function blankLineBreaks(value: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === CR || c === LF) {
      parts.push(value.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(value.slice(from));
  return parts.join(' ');
}

/**
 * Folding undone for people: each line break and the white space around it become one space.
 * Linear: the pieces between folds are sliced once and joined once (no string rebuilt per fold).
 */
export function collapseFolding(value: string): string {
  const len = value.length;
  let hasBreak = false;
  for (let i = 0; i < len && !hasBreak; i++) {
    const c = value.charCodeAt(i);
    hasBreak = c === CR || c === LF;
  }
  if (!hasBreak) return len > 0 && isWsp(value.charCodeAt(len - 1)) ? value.trimEnd() : value;
  const parts: string[] = [];
  let segStart = 0;
  let i = 0;
  while (i < len) {
    const c = value.charCodeAt(i);
    if (c !== CR && c !== LF) {
      i++;
      continue;
    }
    let segEnd = i;
    while (segEnd > segStart && isWsp(value.charCodeAt(segEnd - 1))) segEnd--;
    if (segEnd > segStart) parts.push(value.slice(segStart, segEnd));
    while (i < len && (isWsp(value.charCodeAt(i)) || value.charCodeAt(i) === CR || value.charCodeAt(i) === LF)) i++;
    segStart = i;
  }
  if (segStart < len) parts.push(value.slice(segStart));
  return parts.join(' ').trim();
}

function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
