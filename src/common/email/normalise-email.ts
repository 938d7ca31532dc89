/** U+0307 COMBINING DOT ABOVE after a soft-dotted i or j: a second dot that no one can see. */
const REDUNDANT_DOT = /([ij])\u0307/g;

/**
 * The one form of an e-mail address by which profiles are stored, kept unique, looked up and
 * counted by the sign-in limiter: compatibility forms folded (NFKC: full-width letters, ligatures),
 * surrounding white space trimmed, lower-cased by Unicode's locale-independent rules, and the
 * invisible dot that lower-casing `İ` (U+0130) leaves on an `i` dropped, so `İ` and `I` both become
 * `i`. Lower-casing is done here, not by the database, because PostgreSQL's lower() depends on the
 * database's locale; on an address normalised here it changes nothing, in every locale, so the
 * unique index on lower(email) compares exactly these forms.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase().replace(REDUNDANT_DOT, '$1').normalize('NFC');
}
