/** Anything `h` accepts as a child; falsy values are skipped so callers can write `cond && h(...)`. */
export type Child = Node | string | false | null | undefined | Child[];

/**
 * Creates an element. Attributes are set with setAttribute (never innerHTML);
 * a function value is an event listener (`onclick` → "click"); `true` is an
 * empty attribute; null, undefined and false are left out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, unknown> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const name in attrs) {
    const value = attrs[name];
    if (typeof value === 'function') el.addEventListener(name.slice(2), value as EventListener);
    else if (value != null && value !== false) el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children as `h` does; falsy ones are skipped. */
export function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(el, child);
    else if (child != null && child !== false) el.append(child);
  }
}
