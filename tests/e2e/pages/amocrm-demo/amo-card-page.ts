/**
 * Page object for the amoCRM-like demo card (`card.html`), served for every card address by
 * {@link startAmoDemoServer}: the extension's content script marks the card's number, and the card
 * moves to another record the way amoCRM does (history.pushState, then the card renders).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { LOOPBACK } from '../../harness/process.ts';
import { DetectorPage } from '../crm-demo/detector-page.ts';

/** A running demo server; `port` is the one to put after any host name mapped to loopback. */
export interface AmoDemoServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** Serves `card.html` for every path (an SPA's server does the same), over plain HTTP on loopback. */
export async function startAmoDemoServer(): Promise<AmoDemoServer> {
  const html = await readFile(path.resolve('tests/e2e/pages/amocrm-demo/card.html'));
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export class AmoCardPage {
  readonly card: DetectorPage;

  private constructor(card: DetectorPage) {
    this.card = card;
  }

  /** Opens `url` (e.g. `http://test.amocrm.ru:<port>/leads/detail/123`) in a new tab. */
  static async open(browser: Browser, url: string): Promise<AmoCardPage> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('#card-phone');
    return new AmoCardPage(DetectorPage.wrap(page));
  }

  /** Hovers the card's number and clicks our Call button like a user. */
  async callCardPhone(): Promise<void> {
    await this.card.page.bringToFront();
    await this.card.hoverText('#card-phone', '123-45-67');
    await this.card.clickUi('call');
  }

  /** Moves to another card as amoCRM does: pushState, then the card renders. Resolves once it shows. */
  async openCard(cardPath: string): Promise<void> {
    await this.card.page.evaluate((target) => (window as unknown as { openCard(p: string): void }).openCard(target), cardPath);
    await this.card.page.waitForSelector('#card-phone');
  }

  /**
   * What one check of the content script's page watcher costs on this page, in microseconds: the
   * same DOM work (the address, one `querySelectorAll` of amoCRM's phone inputs and their values),
   * timed over many rounds in the page.
   */
  checkCostMicros(rounds = 2000): Promise<number> {
    return this.card.page.evaluate((n) => {
      let sink = 0;
      const started = performance.now();
      for (let i = 0; i < n; i += 1) {
        sink += location.href.length;
        for (const input of document.querySelectorAll<HTMLInputElement>('input.control-phone__formatted')) {
          sink += input.value.trim().length;
        }
      }
      const micros = ((performance.now() - started) * 1000) / n;
      // Uses the result, so the engine cannot drop the loop.
      if (sink < 0) throw new Error('unreachable');
      return micros;
    }, rounds);
  }
}
