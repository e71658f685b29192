/** @jsxImportSource hono/jsx */
import { type ModerateMessages, moderateLanguages } from '@stammtisch/widget';

// The moderators' page as HTML. No inline script or style anywhere: the page's code comes from /moderate/app.js.

/** Links to the page in every other language. */
function LanguageSwitch(props: { lang: string; t: ModerateMessages }) {
  return (
    <nav class="lang" aria-label={props.t.language}>
      {Object.entries(moderateLanguages)
        .filter(([tag]) => tag !== props.lang)
        .map(([tag, messages]) => (
          <a href={`/moderate?lang=${tag}`} hreflang={tag} lang={tag}>
            {messages.languageName}
          </a>
        ))}
    </nav>
  );
}

/** The HTML document around every view; the CSRF token sits in a meta tag for the script. */
function Layout(props: { title: string; lang: string; children: unknown; csrf?: string }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {props.csrf && <meta name="csrf-token" content={props.csrf} />}
        <title>{props.title}</title>
        <link rel="stylesheet" href="/moderate/app.css" />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** The sign-in form, shown without a session (and again, with the error, after an unknown key). */
/** A labelled toolbar choice: one option per value, named in the page's language. */
function Choice<Value extends string>(props: {
  id: string;
  label: string;
  values: readonly Value[];
  names: Record<Value, string>;
}) {
  return (
    <label>
      {props.label}{' '}
      <select id={props.id}>
        {props.values.map((value) => (
          <option value={value}>{props.names[value]}</option>
        ))}
      </select>
    </label>
  );
}

export function SignInPage(props: { lang: string; t: ModerateMessages; error?: string }) {
  const { t } = props;
  return (
    <Layout title={t.signInTitle} lang={props.lang}>
      <main class="signin">
        <form method="post" action="/moderate/session">
          <h1>{t.signInHeading}</h1>
          <label for="key">{t.keyLabel}</label>
          <input id="key" name="key" type="password" autocomplete="current-password" required autofocus />
          {props.error && (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          <button type="submit">{t.signIn}</button>
        </form>
        <LanguageSwitch lang={props.lang} t={t} />
      </main>
    </Layout>
  );
}

/** The signed-in page: the queue and stats views, filled in by /moderate/app.js. */
export function QueuePage(props: { lang: string; t: ModerateMessages; csrf: string; who: string }) {
  const { t } = props;
  return (
    <Layout title={t.pageTitle} lang={props.lang} csrf={props.csrf}>
      <header>
        <h1>{t.heading}</h1>
        <nav class="views" aria-label={t.views}>
          <button type="button" data-view="queue" aria-pressed="true">
            {t.viewQueue}
          </button>
          <button type="button" data-view="stats" aria-pressed="false">
            {t.viewStats}
          </button>
        </nav>
        <span>{props.who}</span>
        <LanguageSwitch lang={props.lang} t={t} />
        <form method="post" action="/moderate/signout">
          <input type="hidden" name="csrf" value={props.csrf} />
          <button type="submit">{t.signOut}</button>
        </form>
      </header>
      <p id="status" role="status" aria-live="polite">
        {t.hint}
      </p>
      <main>
        <div id="queue-view">
          <div class="toolbar">
            <Choice
              id="queue"
              label={t.queue}
              values={['pending', 'spam', 'reported', 'rejected', 'approved'] as const}
              names={t.queues}
            />
            <Choice id="sort" label={t.sort} values={['oldest', 'newest', 'priority'] as const} names={t.sorts} />
            <label>
              {t.site}{' '}
              <select id="site">
                <option value="">{t.allSites}</option>
              </select>
            </label>
            <label>
              <span class="visually-hidden">{t.search}</span>
              <input id="q" type="search" placeholder={t.searchPlaceholder} />
            </label>
            <span id="count" />
          </div>
          <fieldset class="toolbar">
            <legend class="visually-hidden">{t.bulk}</legend>
            {(['approve', 'reject', 'spam'] as const).map((a) => (
              <button type="button" data-bulk={a}>
                {t.bulkAction[a]}
              </button>
            ))}
            <button type="button" data-toolbar="undo">
              {t.undo}
            </button>
            <button type="button" data-toolbar="help">
              {t.help}
            </button>
          </fieldset>
          <ol id="items" aria-label={t.items} />
        </div>
        <section id="stats-view" hidden aria-labelledby="stats-heading">
          <h2 id="stats-heading">{t.stats.heading}</h2>
          <div class="controls">
            <label>
              {t.stats.site} <select id="stats-site" />
            </label>
            <label>
              {t.stats.range}{' '}
              <select id="stats-range">
                {[1, 7, 30, 90].map((days) => (
                  <option value={String(days)} selected={days === 30}>
                    {t.stats.days(days)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div id="stats-body" />
        </section>
      </main>
      <section id="help" hidden aria-label={t.helpHeading}>
        <h2>{t.helpHeading}</h2>
        <dl>
          {t.shortcuts.map(([keys, what]) => (
            <>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </>
          ))}
        </dl>
        <button id="help-close" type="button" data-toolbar="help-close">
          {t.close}
        </button>
      </section>
      <script src="/moderate/app.js" defer />
    </Layout>
  );
}
