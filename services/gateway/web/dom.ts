/** A tiny element builder: text is always set as text (never parsed as HTML), so nothing a service says can inject markup. */
type Child = Node | string | number | false | null | undefined;
type Attributes = Record<string, string | boolean | ((event: Event) => void) | undefined>;

export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(typeof child === 'object' ? child : String(child));
  }
  return element;
}

export function mount(target: HTMLElement, ...children: Child[]): void {
  target.replaceChildren(
    ...children
      .filter((c): c is Node | string | number => c !== false && c !== null && c !== undefined)
      .map((c) => (typeof c === 'object' ? c : String(c))),
  );
}

export const won = (amount: number | undefined) => (amount === undefined ? '' : `₩${amount.toLocaleString('ko-KR')}`);
export const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString() : '');

/** The three states every list has besides "here it is". */
export const loading = (what: string) => h('p', { class: 'state', role: 'status' }, `Loading ${what}…`);
export const empty = (text: string) => h('p', { class: 'state' }, text);
export const failure = (error: unknown, retry?: () => void) =>
  h(
    'div',
    { class: 'state error', role: 'alert' },
    error instanceof Error ? error.message : String(error),
    retry ? h('button', { onclick: retry }, 'Try again') : null,
  );
