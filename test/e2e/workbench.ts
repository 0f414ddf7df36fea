/**
 * A person at the keyboard of a real VS Code (code-server in Chromium): open a file, go to a
 * line, hover a word and read the hover, run a palette command, read an editor, take a
 * screenshot. Selectors are those of VS Code 1.100 (see ../shared/e2e-recipe.md).
 *
 * Every check that fails says what was on screen and where its screenshot is.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

export class Workbench {
  private shots = 0;

  constructor(
    readonly page: Page,
    private readonly screenshots: string,
  ) {
    mkdirSync(screenshots, { recursive: true });
  }

  /** Loads the workbench and waits until it is usable and themed (no half-drawn screenshots). */
  async load(url: string): Promise<void> {
    // tsx compiles these tests with esbuild's keepNames, which wraps named functions inside
    // page.evaluate callbacks in a `__name(…)` helper the page does not have.
    await this.page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Reloads the window (Developer: Reload Window), as after an update: open editors and panels come back. */
  async reload(): Promise<void> {
    // Through the command, so the workbench shuts down properly and saves its state first.
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame(), timeout: 60_000 });
    await this.runCommand('Developer: Reload Window');
    await navigated;
    await this.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Saves a screenshot named after the step; returns its path. */
  async screenshot(step: string): Promise<string> {
    const path = join(this.screenshots, `${String(++this.shots).padStart(2, '0')}-${step}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Fails with what was seen and a screenshot of it. */
  async fail(step: string, message: string, seen: string): Promise<never> {
    const shot = await this.screenshot(`FAILED-${step}`);
    throw new Error(`${message}\n--- seen on screen ---\n${seen}\n--- screenshot: ${shot}`);
  }

  /**
   * Quick Open (Ctrl+P), as a user opens a file by name. The file must exist when VS Code
   * starts: Quick Open searches an index of the workspace's files taken on first use.
   */
  async openFile(name: string): Promise<void> {
    await this.quickInput('Control+P', name, name);
    try {
      await this.page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 10_000 });
    } catch {
      await this.fail('open-file', `${name} did not open in the active editor`, await this.visibleText());
    }
    await this.editorLines(name); // the text is drawn
  }

  /** Closes every editor (View: Close All Editors), so each step starts from one group. */
  async closeAllEditors(): Promise<void> {
    await this.runCommand('View: Close All Editors');
    // A step that failed may leave unsaved changes: discard them rather than hang on the dialog.
    const dontSave = this.page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
    const closed = this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    if (await Promise.race([closed.then(() => false), dontSave.waitFor().then(() => true)])) await dontSave.click();
    await closed;
  }

  /** Saves the active editor (Ctrl+S) once it has unsaved changes, and waits until it is saved. */
  async save(): Promise<void> {
    const active = this.page.locator('.tabs-container .tab.active');
    await active.and(this.page.locator('.dirty')).waitFor({ timeout: 10_000 });
    await this.page.keyboard.press('Control+S');
    await active.and(this.page.locator('.dirty')).waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** Go to Line (Ctrl+G): puts the line in view, with the cursor on it (at `column`, 1-based). */
  async goToLine(line: number, column?: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(column === undefined ? `:${line}` : `:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Answers an open input box (e.g. "Set Input Shape…") with `text` and Enter. */
  async answerInputBox(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(text);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * The rows of the Problems panel (Ctrl+Shift+M) once `until` accepts them (or after 10 s;
   * diagnostics follow the text after a short pause in typing).
   */
  async problems(until: (rows: string[]) => boolean): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    const rows = panel.locator('.monaco-list-row');
    let seen: string[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await this.page.waitForTimeout(250)) {
      seen = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      if (until(seen)) break;
    }
    return seen;
  }

  /** Opens the quick fix menu (Ctrl+.) at the cursor and picks the action titled `title`. */
  async quickFix(title: string): Promise<void> {
    await this.page.keyboard.press('Control+.');
    const row = this.page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 10_000 });
    } catch {
      await this.fail('quick-fix', `the quick fix menu offered no '${title}'`, (await this.page.locator('.action-widget').innerText().catch(() => '')) || '(no menu)');
    }
    // The menu is keyboard-driven (a pointer block covers it): move the focus to the row, then Enter.
    for (let i = 0; i < 10 && !((await row.getAttribute('class')) ?? '').includes('focused'); i++) await this.page.keyboard.press('ArrowDown');
    await this.screenshot('quick-fix-menu');
    await this.page.keyboard.press('Enter');
    await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
  }

  /** Runs a command by its palette title; fails when the palette does not offer it. */
  async runCommand(title: string): Promise<void> {
    await this.quickInput('F1', `>${title}`, title);
  }

  /** "Preferences: Color Theme" (Ctrl+K Ctrl+T), as a user picks a theme by its label, e.g. "Light Modern" (the workbench switches at once). */
  async colorTheme(name: string): Promise<void> {
    // Its keyboard shortcut, from the first editor (the palette ranks "Browse Color Themes in
    // Marketplace" first for this title).
    await this.page.keyboard.press('Control+1');
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+T');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(name);
    // The list keeps "Browse Additional Color Themes…" first and focused: click the theme's row.
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasNotText: 'Browse' }).first();
    try {
      await row.click({ timeout: 10_000 });
    } catch {
      await this.fail('color-theme', `no theme named '${name}' was offered`, await this.page.locator('.quick-input-list').innerText().catch(() => ''));
    }
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The titles the palette offers for a filter text, without its "similar commands" guesses. */
  async paletteTitles(filter: string, step: string): Promise<string[]> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${filter}`);
    await this.page.waitForTimeout(500); // the list filters as one types
    const titles = await this.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    await this.screenshot(step); // with the palette open: what the user sees offered
    await this.page.keyboard.press('Escape');
    return titles.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '' && !t.startsWith('No matching') && !t.endsWith('similar commands'));
  }

  /**
   * Hovers `token` on `line` of the active editor (1-based) and returns the hover's text from
   * the line that starts with the token (the layer's own hover).
   * The mouse leaves and comes back, as a person's would, until a hover with text appears.
   */
  async hover(line: number, token: string): Promise<string> {
    const text = await this.hoverAll(line, token);
    // A problem on the same range shows above the extension's hover: keep the extension's part.
    const ours = text.split('\n').findIndex((l) => l.startsWith(`${token} →`) || l.startsWith(`${token}:`));
    return ours === -1 ? text : text.split('\n').slice(ours).join('\n');
  }

  /** Everything the hover shows over `token` on `line`: problems and every provider's part. */
  async hoverAll(line: number, token: string): Promise<string> {
    await this.goToLine(line);
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .hover-contents');
    let seen = '';
    for (let attempt = 0; attempt < 10; attempt++) {
      const box = await this.tokenBox(line, token);
      if (box) {
        await this.page.mouse.move(box.x + box.width / 2, box.y - 60);
        await this.page.waitForTimeout(100);
        await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        try {
          await hover.first().waitFor({ timeout: 2_000 });
          seen = (await hover.allInnerTexts()).join('\n').trim();
          if (seen !== '' && !seen.startsWith('Loading')) {
            await this.page.waitForTimeout(300); // the hover fades in: let a screenshot show it whole
            return seen;
          }
        } catch {
          // the extension may still be activating: move away and try again
        }
      }
      await this.page.waitForTimeout(500);
    }
    return this.fail('hover', `no hover appeared over '${token}' on line ${line}`, seen || (await this.visibleText()));
  }

  /**
   * The text of the editor whose tab is labelled `title`, line by line as drawn. With
   * `withHints`, inlay hints are included where they are drawn (VS Code draws them as CSS
   * generated content, which textContent does not hold).
   */
  async editorLines(title: string, withHints = false): Promise<string[]> {
    const group = this.page.locator('.editor-group-container').filter({ has: this.page.locator(`.tab.active[aria-label*="${title}"]`) });
    await group.locator('.view-lines .view-line').first().waitFor();
    return group.locator('.view-lines').first().evaluate((el, hints) => {
      const generated = (e: Element, pseudo: '::before' | '::after'): string => {
        const content = getComputedStyle(e, pseudo).content;
        return content && content !== 'none' && content !== 'normal' ? content.replace(/^"|"$/g, '') : '';
      };
      const text = (node: Node): string => {
        if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
        if (!(node instanceof Element)) return '';
        const inner = [...node.childNodes].map(text).join('');
        return hints ? generated(node, '::before') + inner + generated(node, '::after') : inner;
      };
      return [...el.querySelectorAll<HTMLElement>('.view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((l) => text(l).replace(/[\u00a0\u2000-\u200b]/g, ' '));
    }, withHints);
  }

  /** The visualization panel's page: a webview is an iframe holding the extension's iframe. */
  panel(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** The panel's text once `accept` holds (it redraws as messages arrive); fails with what it showed. */
  async panelText(accept: (text: string) => boolean, step: string): Promise<string> {
    const app = this.panel().locator('main#app');
    let seen = '';
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        seen = (await app.innerText({ timeout: 2_000 })).trim();
        if (accept(seen)) return seen;
      } catch {
        // the webview is still loading
      }
      await this.page.waitForTimeout(250);
    }
    return this.fail(step, 'the panel did not show what was expected', seen || (await this.visibleText()));
  }

  /** Everything readable in the window, for failure messages. */
  visibleText(): Promise<string> {
    return this.page.locator('.monaco-workbench').innerText();
  }

  private async quickInput(key: string, text: string, expectRow: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    // A key press can land while a widget (hover, menu) holds the focus: dismiss it and retry.
    for (let attempt = 0; ; attempt++) {
      await this.page.keyboard.press('Escape');
      await this.page.locator('.editor-group-container').first().click({ position: { x: 5, y: 5 } }).catch(() => undefined);
      await this.page.keyboard.press(key);
      try {
        await input.fill(text, { timeout: 5_000 });
        break;
      } catch {
        if (attempt === 2) return this.fail('quick-input', `${key} did not open the quick input`, await this.visibleText());
      }
    }
    // Wait for the focused row, which Enter picks: the unfiltered list (recent files) shows
    // first, and Enter on it would open whatever was most recent.
    const row = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: expectRow }).first();
    try {
      await row.waitFor({ timeout: 10_000 });
    } catch {
      const rows = (await this.page.locator('.quick-input-list').innerText().catch(() => '')).trim();
      await this.page.keyboard.press('Escape');
      await this.fail('quick-input', `'${text}' offered no '${expectRow}'`, rows || '(an empty list)');
    }
    await this.page.keyboard.press('Enter');
    // The pick is taken once the widget stops showing what was typed: it hides, or (a command
    // that asks for input, "Set Input Shape…") the same widget shows the command's own box at
    // once, and may never be seen hidden in between.
    await this.page.waitForFunction((typed) => {
      const widget = document.querySelector<HTMLElement>('.quick-input-widget');
      const box = widget?.querySelector<HTMLInputElement>('.quick-input-box input');
      return !widget || getComputedStyle(widget).display === 'none' || box?.value !== typed;
    }, text);
  }

  /** The on-screen box of `token` on the drawn `line` (tokens are separate text nodes). */
  private tokenBox(line: number, token: string): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
    return this.page.evaluate(
      ({ line, token }) => {
        // The line number gutter and the text share their vertical position.
        const numbers = [...document.querySelectorAll<HTMLElement>('.editor-instance .margin-view-overlays .line-numbers')];
        const number = numbers.find((n) => n.textContent?.trim() === String(line));
        if (!number) return undefined;
        const top = number.getBoundingClientRect().top;
        const lines = [...document.querySelectorAll<HTMLElement>('.editor-instance .view-lines .view-line')];
        const view = lines.find((l) => Math.abs(l.getBoundingClientRect().top - top) < 2);
        if (!view) return undefined;
        const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = (node.textContent ?? '').indexOf(token);
          if (at === -1) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + token.length);
          const r = range.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        }
        return undefined;
      },
      { line, token },
    );
  }
}
