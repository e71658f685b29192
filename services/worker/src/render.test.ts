import { describe, expect, it } from 'vitest';
import { renderCommentHtml } from './render.js';

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
    expect(renderCommentHtml('[Blog](https://anna.example)')).toBe('<p><a href="https://anna.example" rel="nofollow ugc noopener">Blog</a></p>');
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
