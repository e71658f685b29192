import { type Browser, type LaunchOptions, chromium } from 'playwright-core';

/** Flags for Debian's Chromium here: headless as root, and nothing that reaches for the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH) driven by playwright-core; never a downloaded browser. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
