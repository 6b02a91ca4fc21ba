import { describe, expect, it } from 'vitest';
import { html, trusted } from './html.ts';

describe('pages built with html``', () => {
  it('escape every interpolated value', () => {
    expect(String(html`<p>${`<script>alert("x&y's")</script>`}</p>`)).toBe(
      '<p>&lt;script&gt;alert(&quot;x&amp;y&#39;s&quot;)&lt;/script&gt;</p>',
    );
  });

  it('escape values inside attributes', () => {
    expect(String(html`<a title="${'" onmouseover="evil()'}">x</a>`)).toBe(
      '<a title="&quot; onmouseover=&quot;evil()">x</a>',
    );
  });

  it('keep nested html`` as it is', () => {
    expect(String(html`<ul>${[html`<li>${'a<b'}</li>`, html`<li>c</li>`]}</ul>`)).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>',
    );
  });

  it('leave out null, undefined and false', () => {
    expect(String(html`<p>${null}${undefined}${false}</p>`)).toBe('<p></p>');
  });

  it('pass trusted markup through untouched', () => {
    expect(String(html`${trusted('<svg></svg>')}`)).toBe('<svg></svg>');
  });
});
