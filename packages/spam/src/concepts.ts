// Concept tokens: a handful of hand-written English and German phrase families that name
// what a comment *does* (asks you to click, promotes its author, offers money, praises
// nothing in particular) rather than which words it uses. They let evidence learned from
// English data carry over to German ("check out my channel" and "schau dir meinen Kanal
// an" both yield `c:cta` and `c:promo`), and to sources whose vocabulary the model has
// never seen. Their weights are learned like any other token; the lists are written from
// general knowledge of comment spam, not fitted to a data file.
//
// Patterns run on folded text (lower case, ü = ue, ß = ss, accents dropped).

const CTA = new RegExp(
  [
    // English
    String.raw`\bcheck (?:it |this |them |me |us )?out\b`,
    String.raw`\b(?:take|have) a (?:look|peek) at\b`,
    String.raw`\bsub(?:scribe|scribed|scribing|s)? (?:to|for|me)\b`,
    String.raw`\bsubscribe\b`,
    String.raw`\bvisit (?:my|our|us|the|this|www|http)`,
    String.raw`\bclick (?:here|on|the|this|my|below)\b`,
    String.raw`\bgo to (?:my|our|www|http)`,
    String.raw`\bfollow (?:me|us|my)\b`,
    String.raw`\bsign up\b`,
    String.raw`\bjoin (?:now|us|today|my|our)\b`,
    String.raw`\b(?:dm|message|contact|email|text|whatsapp) (?:me|us)\b`,
    String.raw`\bplease (?:like|share|sub|watch|visit|check|help)\b`,
    String.raw`\b(?:like|thumbs up|share) (?:this|my|if)\b`,
    String.raw`\bgive (?:it|me|us|this) a (?:like|thumbs|try|chance)\b`,
    String.raw`\b(?:watch|listen to|hear) my\b`,
    // German
    String.raw`\bschau(?:t|en sie)? (?:dir|euch|sich|mal|doch|unbedingt)\b[^.!?]{0,60}\ban\b`,
    String.raw`\bschau(?:t|en sie)? (?:mal |doch |gerne |gern )?(?:bei|auf|unter|vorbei)\b`,
    String.raw`\babonnier`,
    String.raw`\b(?:besuch(?:t|en sie)?|klick(?:t|en sie)?) (?:mein|meine|meinen|unser|unsere|unseren|uns|die|den|hier|auf)\b`,
    String.raw`\bhier (?:klicken|lesen|entlang|gehts|geht es)\b`,
    String.raw`\bfolg(?:t|en sie)? (?:mir|uns)\b`,
    String.raw`\b(?:jetzt|hier|einfach|sofort|gleich) (?:anmelden|registrieren|bestellen|kaufen|sichern|testen|starten|investieren|beantragen|informieren|zugreifen)\b`,
    String.raw`\b(?:melde dich|meldet euch|melden sie sich) (?:jetzt |hier |einfach )?an\b`,
    String.raw`\bmehr (?:infos?|informationen|details) (?:unter|auf|bei|hier|im profil)\b`,
    String.raw`\b(?:schreib|schreibt|kontaktier|kontaktiert|ruf|ruft) (?:mir|mich|uns)\b`,
    String.raw`\b(?:kontaktieren|schreiben) sie (?:mich|uns)\b`,
  ].join('|'),
);

const PROMO = new RegExp(
  [
    String.raw`\bmy (?:new |own |little )?(?:channel|video|videos|vlog|music|song|songs|track|tracks|album|mix|remix|beats?|art|cover|page|site|website|blog|shop|store|profile|account|business|company|app|book|ebook|course|mixtape|playlist)\b`,
    String.raw`\bour (?:channel|shop|store|company|website|service|services|agency|team|product|products|app|offer)\b`,
    String.raw`\bmein(?:en|em|e|er)? (?:neue[nmsr]? |eigene[nmsr]? |kleine[nmsr]? )?(?:kanal|shop|onlineshop|blog|webseite|website|homepage|seite|profil|video|videos|buch|ebook|kurs|angebot|unternehmen|firma|agentur|podcast)\b`,
    String.raw`\bunser(?:en|em|e|er)? (?:neue[nmsr]? )?(?:kanal|shop|onlineshop|webseite|website|homepage|seite|angebot|angebote|service|team|agentur|firma|unternehmen|produkt|produkte|plattform|portal)\b`,
  ].join('|'),
);

const MONEY = new RegExp(
  [
    String.raw`\b(?:make|making|earn|earning|earned|win|won|free) (?:money|cash|\$|bucks|dollars|gift|iphone|bonus|spins)`,
    String.raw`\b(?:money|cash|income|profit|profits|loan|loans|lender|credit|casino|casinos|betting|jackpot|bonus|bitcoin|btc|crypto|forex|invest|investing|investment|investor|trading|trader|payday|mortgage|refinance|viagra|cialis|pharmacy|pills|rolex|replica|backlinks?|seo|followers)\b`,
    String.raw`\bper (?:day|week|month|hour)\b`,
    String.raw`\bwork(?:ing)? from home\b`,
    // "kredit" also inside compounds (Sofortkredit, Kreditvergleich).
    'kredit',
    String.raw`\b(?:darlehen|schufa|zinsen|zinssatz|geld|bargeld|verdien\w*|nebenverdienst|nebeneinkommen|zuverdienst|einkommen|rendite|gewinn\w*|gratis|kostenlos\w*|rabatt\w*|gutschein\w*|casino\w*|spielothek|freispiele|wett\w*|sportwetten|krypto\w*|bitcoin\w*|trading|anleger|investi\w*|finanzier\w*|potenz\w*|apotheke|rezeptfrei|tabletten|abnehmen|diaet\w*|seo|backlinks?|ranking|rankings|follower)\b`,
    String.raw`\b(?:pro|im|am|jeden) (?:tag|woche|monat|stunde)\b`,
    String.raw`\bvon zu hause\b`,
    String.raw`\d\s?(?:%|prozent|euro|eur|€|\$|usd|dollar)`,
    String.raw`[€$]\s?\d`,
  ].join('|'),
);

const PRAISE = new RegExp(
  [
    String.raw`\b(?:great|nice|good|awesome|amazing|excellent|wonderful|interesting|informative|useful|helpful|fantastic|brilliant|superb|valuable|cool) (?:post|article|blog|site|website|read|write ?up|content|information|info|piece|work|job|share|topic|stuff)\b`,
    String.raw`\bthanks? (?:you )?(?:so much )?for (?:sharing|posting|the (?:post|article|info|information|great))\b`,
    String.raw`\bkeep (?:up the good work|it up|posting|writing)\b`,
    String.raw`\b(?:toll|super|schoen|gut|interessant|klasse|informativ|hilfreich|gelungen|spannend|genial|wunderbar|prima|lesenswert|top)(?:e[nmrs]?)? (?:beitrag|artikel|blog|text|post|seite|webseite|bericht|arbeit|info|infos|informationen|thema|inhalt)\b`,
    String.raw`\b(?:danke|vielen dank|herzlichen dank|dankeschoen) (?:fuer )?(?:den|diesen|das|die|ihren|deinen) ?(?:beitrag|artikel|teilen|post|infos?|informationen|tollen|interessanten|super)\b`,
    String.raw`\bweiter so\b`,
  ].join('|'),
);

// Words in a link's host or path that sell something; a reader's own blog rarely has them.
const COMMERCIAL_URL =
  /shop|store|buy|cheap|billig|kaufen|casino|poker|slots|wetten|loan|kredit|credit|pharma|viagra|crypto|bitcoin|invest|forex|rabatt|discount|outlet|replica|money|geld|cash|finanz|versicher|insurance|dating|escort|followers|likes|(?:^|[^a-z])seo(?:$|[^a-z])/;

/** The concept tokens of a comment (folded body text, link hosts and author url). */
export function conceptsOf(
  folded: string,
  linkTexts: readonly string[],
  authorUrl: string,
  wordsBesideLinks: number,
): string[] {
  const out: string[] = [];
  // A link with hardly a word around it says nothing about the article: it only points away.
  if (linkTexts.length > 0 && wordsBesideLinks <= 3) out.push('c:bare-link');
  const cta = CTA.test(folded);
  const promo = PROMO.test(folded);
  const money = MONEY.test(folded);
  const praise = PRAISE.test(folded);
  const linked = linkTexts.length > 0 || authorUrl.length > 0;
  if (cta) out.push('c:cta');
  if (promo) out.push('c:promo');
  if (money) out.push('c:money');
  if (praise) out.push('c:praise');
  // Pairs naive Bayes cannot see on its own: praise or an offer only sells when it carries a link.
  if (linked && (cta || promo)) out.push('c:cta+link');
  if (linked && money) out.push('c:money+link');
  if (authorUrl && praise) out.push('c:praise+site');
  if (linkTexts.some((l) => COMMERCIAL_URL.test(l.toLowerCase())) || COMMERCIAL_URL.test(authorUrl.toLowerCase()))
    out.push('c:commercial-url');
  return out;
}
