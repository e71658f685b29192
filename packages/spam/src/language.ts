// Which language a comment reads as, from short function words: enough to know when the
// text classifier (trained mostly on English) may be trusted, not a language detector.

/** Splits a space-separated word list, so the lists below stay readable. */
function wordSet(...lists: string[]): ReadonlySet<string> {
  return new Set(lists.flatMap((list) => list.split(' ')));
}

// Frequent in English and rare in the other languages.
const ENGLISH = wordSet(
  'the and is are you your this that to of my it for on with i we be have if please',
  'what out me just get was do not can will love like',
);
// German function words both lists below share.
const GERMAN_CORE = [
  'der die das und ist nicht ich ein eine mit fuer auf sie du zu den dem',
  'auch es sich wir ihr aber noch wie von bei nach mal schon sehr',
];
const GERMAN = wordSet(...GERMAN_CORE, 'danke wenn dass oder mir mich sind war hat habe nur');
/** Words that mark a text as not English: German plus a few French, Spanish and Dutch ones. */
const NOT_ENGLISH = wordSet(...GERMAN_CORE, 'le la les et el los que de een het');

/** How many of the words are in `first`, and how many of the others are in `second`. */
function countIn(words: readonly string[], first: ReadonlySet<string>, second: ReadonlySet<string>): [number, number] {
  let inFirst = 0;
  let inSecond = 0;
  for (const w of words) {
    if (first.has(w)) inFirst++;
    else if (second.has(w)) inSecond++;
  }
  return [inFirst, inSecond];
}

/** Whether a text reads as German: a German function word, and at least as many as English ones. */
export function looksGerman(words: readonly string[]): boolean {
  const [german, english] = countIn(words, GERMAN, ENGLISH);
  return german >= 1 && german >= english;
}

/** Whether a text reads as English: several English function words and hardly any German (or other) ones. */
export function looksEnglish(words: readonly string[]): boolean {
  const [english, other] = countIn(words, ENGLISH, NOT_ENGLISH);
  return english >= 2 && english >= 4 * other;
}
