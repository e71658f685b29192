import { describe, expect, it } from 'vitest';
import { isAllowedLinkTarget, renderCommentHtml, sanitizeCommentHtml } from './render.js';

describe('links in comments: only absolute http(s) and mailto targets', () => {
  it.each([
    ['[b](/wp-admin/options.php)', '/wp-admin/options.php'],
    ['[b](../logout)', '../logout'],
    ['[b](?action=delete)', '?action=delete'],
    ['[b](#top)', '#top'],
    ['[b](//evil.example/x)', '//evil.example/x'],
    ['[b](wp-login.php)', 'wp-login.php'],
    ['[b](https:/evil.example)', 'https:/evil.example'],
  ])('leaves %s as text, no link', (markdown, target) => {
    const html = renderCommentHtml(markdown);
    expect(html).not.toContain('<a');
    expect(html).not.toContain('href');
    // What the writer typed is still there to read.
    expect(html).toContain(target);
  });

  it('keeps absolute http, https and mailto links, marked nofollow ugc', () => {
    expect(renderCommentHtml('[Blog](https://anna.example/a?b=1)')).toBe(
      '<p><a href="https://anna.example/a?b=1" rel="nofollow ugc noopener">Blog</a></p>',
    );
    expect(renderCommentHtml('[alt](http://anna.example)')).toContain('href="http://anna.example"');
    expect(renderCommentHtml('[Mail](mailto:anna@example.org)')).toContain('href="mailto:anna@example.org"');
    expect(renderCommentHtml('siehe https://anna.example/x und anna@example.org')).toMatch(
      /href="https:\/\/anna\.example\/x".*href="mailto:anna@example\.org"/,
    );
  });

  it('drops relative targets from imported HTML but keeps the text', () => {
    expect(
      sanitizeCommentHtml('<p>Zum <a href="/wp-admin/options.php">Admin</a> und <a href="../logout">weg</a></p>'),
    ).toBe('<p>Zum Admin und weg</p>');
    expect(sanitizeCommentHtml('<a href="?action=delete">x</a>')).toBe('x');
    expect(sanitizeCommentHtml('<a href="https://anna.example">Anna</a>')).toBe(
      '<a href="https://anna.example" rel="nofollow ugc noopener">Anna</a>',
    );
  });

  it('decides by the target alone', () => {
    for (const ok of ['https://a.example', 'HTTP://A.EXAMPLE/x', 'mailto:a@b.example', '  https://a.example  '])
      expect(isAllowedLinkTarget(ok)).toBe(true);
    for (const bad of [
      '/x',
      './x',
      '../x',
      '?a=b',
      '#x',
      '//a.example',
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://a.example',
      'https://',
      'mailto:',
      'x.html',
    ])
      expect(isAllowedLinkTarget(bad)).toBe(false);
  });
});

describe('renderCommentHtml', () => {
  it('renders emphasis, code, lists and quotes', () => {
    const html = renderCommentHtml('*kursiv* und **fett** mit `code`\n\n- eins\n- zwei\n\n> Zitat');
    expect(html).toContain('<em>kursiv</em>');
    expect(html).toContain('<strong>fett</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>eins</li>');
    expect(html).toContain('<blockquote>');
  });

  it('marks every link nofollow ugc noopener and keeps only http(s) targets', () => {
    expect(renderCommentHtml('[Blog](https://anna.example)')).toBe(
      '<p><a href="https://anna.example" rel="nofollow ugc noopener">Blog</a></p>',
    );
    expect(renderCommentHtml('siehe https://anna.example/x')).toContain('rel="nofollow ugc noopener"');
    expect(renderCommentHtml('[klick](javascript:alert(1))')).not.toContain('href="javascript');
    expect(renderCommentHtml('[klick](data:text/html;base64,PHNjcmlwdD4=)')).not.toContain('href="data');
  });

  it('shows raw HTML as text instead of markup', () => {
    const html = renderCommentHtml('<script>alert(1)</script><img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps umlauts, ß and emoji as they are', () => {
    expect(renderCommentHtml('Grüße aus Köln, schön groß 🙂')).toBe('<p>Grüße aus Köln, schön groß 🙂</p>');
  });

  it('drops images and headings that the subset does not allow', () => {
    const html = renderCommentHtml('# Titel\n\n![bild](https://x.example/a.png)');
    expect(html).not.toContain('<h1');
    expect(html).not.toContain('<img');
  });
});
