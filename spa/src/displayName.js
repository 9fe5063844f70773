/**
 * Display-name rules, from the same file the server checks them with (service-kit's DisplayName): one limit and one
 * wording, so the browser refuses what the server would refuse and says it the same way, before anything is sent.
 */
import rules from '../../service-kit/src/main/resources/dev/suite/names/display-name-rules.json' with { type: 'json' };

export const DISPLAY_NAME_MAX = rules.maxLength;

function codePointSet(ranges) {
  const set = new Set();
  for (const range of ranges) {
    const [from, to = from] = range.split('-').map((hex) => parseInt(hex, 16));
    for (let c = from; c <= to; c++) set.add(c);
  }
  return set;
}

const DIRECTION_CONTROLS = codePointSet(rules.directionControls);
const INVISIBLE_LETTERS = codePointSet(rules.invisibleLetters);
// The Java side's categories: controls, line and paragraph separators, lone surrogates, unassigned.
const BREAKS_THE_LINE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}\p{Cn}]/u;
// Not ink: white space, format characters (zero-width ones), marks on their own.
const NOT_INK = /^[\s\p{Z}\p{Cf}\p{Mn}\p{Me}]$/u;
// Java's String.strip(): Unicode white space at either end.
const SURROUNDING_SPACE = /^[\s\p{Z}]+|[\s\p{Z}]+$/gu;

/** { name } as the server will store it (NFC, trimmed), or { error } in the server's words. */
export function checkDisplayName(raw) {
  const name = (raw ?? '').normalize('NFC').replace(SURROUNDING_SPACE, '');
  const chars = [...name];
  const codes = chars.map((c) => c.codePointAt(0));
  if (name === '') return { error: rules.messages.required };
  if (codes.some((c) => DIRECTION_CONTROLS.has(c))) return { error: rules.messages.direction };
  if (chars.some((c) => BREAKS_THE_LINE.test(c))) return { error: rules.messages.control };
  if (chars.every((c) => NOT_INK.test(c) || INVISIBLE_LETTERS.has(c.codePointAt(0)))) return { error: rules.messages.invisible };
  if (chars.length > DISPLAY_NAME_MAX) {
    return { error: rules.messages.tooLong.replace('{max}', DISPLAY_NAME_MAX).replace('{length}', chars.length) };
  }
  return { name };
}
