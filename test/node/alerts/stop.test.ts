/**
 * A stopping node must not hang: a sink or the Telegram bot closed while its service asked it to
 * wait 30 s leaves no timer behind (checked in a child process, where nothing else runs).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs the fixture and returns the timers it reports still active once everything is closed. */
function timersLeft(mode: 'channel' | 'bot'): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/node/alerts/fixtures/stop-while-waiting.ts', mode], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('['));
      if (line === undefined) return;
      // The report is in: whatever the child would still wait for is not worth waiting here.
      child.kill();
      resolve(JSON.parse(line) as string[]);
    });
    child.on('exit', (code) => (out.includes('[') ? undefined : reject(new Error(`fixture exited ${String(code)}: ${err}`))));
  });
}

describe('closed sinks hold no timer', () => {
  it('an AlertChannel closed during a 30 s Retry-After wait', async () => {
    expect(await timersLeft('channel')).toEqual([]);
  });

  it('a TelegramBot closed during a 30 s retry_after wait between polls', async () => {
    expect(await timersLeft('bot')).toEqual([]);
  });
});
