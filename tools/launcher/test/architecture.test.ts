import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppId, Topic } from '@burger/contracts';
import { ARCHITECTURE_FILE, architectureMarkdown } from '../src/architecture.js';

describe('ARCHITECTURE.md is drawn from the single sources', () => {
  it('the committed file is what `npm run architecture` makes (regenerate after changing an app, a topic, a grant or a component)', () => {
    expect(readFileSync(ARCHITECTURE_FILE, 'utf8')).toBe(architectureMarkdown());
  });

  it('shows every app-id and every topic', () => {
    const text = architectureMarkdown();
    for (const name of [...Object.values(AppId), ...Object.values(Topic)]) expect(text).toContain(`"${name}"`);
  });
});
