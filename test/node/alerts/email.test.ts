import { afterEach, describe, expect, it } from 'vitest';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { fakeSmtp } from '../../support/fake-alerting/smtp.ts';
import { buyer } from '../small-node.ts';
import { alertNodeConfig, FAULTY, memoryLogger, TRIP } from './support.ts';

const PASSWORD = 'smtp-pass-Wd9!x';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const emailSink = (port: number, more: Record<string, unknown> = {}) => ({
  type: 'email',
  host: '127.0.0.1',
  port,
  secure: false,
  starttls: 'optional',
  from: 'warden@example.com',
  to: ['ops@example.com', 'risk@example.com'],
  codes: ['BREAKER_TRIPPED'],
  ...more,
});

describe('alerts.sinks email: nodemailer over SMTP to a real SMTP server (smtp-server)', () => {
  it('with AUTH (in the clear only as asked, starttls: off: the fake has no certificate): the tripped breaker is mailed from/to the configured addresses, subject [Warden] [CRITICAL] BREAKER_TRIPPED, the message in the body; the password never logged', async () => {
    const smtp = await fakeSmtp({ auth: { user: 'warden', pass: PASSWORD } });
    closers.push(smtp.close);
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [emailSink(smtp.port, { user: 'warden', password: '${SMTP_PASSWORD}', starttls: 'off' })] } }, { SMTP_PASSWORD: PASSWORD });
    expect(secrets.has(PASSWORD)).toBe(true);
    const { logger, lines } = memoryLogger(secrets);
    const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(3) });
    await node.run();
    expect(smtp.logins).toEqual([{ user: 'warden', ok: true }]);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('warden@example.com');
    expect(mail.to).toEqual(['ops@example.com', 'risk@example.com']);
    expect(mail.user).toBe('warden');
    expect(mail.headers.subject).toBe('[Warden] [CRITICAL] BREAKER_TRIPPED');
    expect(mail.headers['x-warden-alert']).toBe('BREAKER_TRIPPED');
    expect(mail.headers['x-warden-severity']).toBe('critical');
    expect(mail.headers['content-type']).toMatch(/^text\/plain/);
    expect(mail.body).toContain('breaker=errors');
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });

  it('without AUTH (no user, no password) the mail is sent all the same', async () => {
    const smtp = await fakeSmtp();
    closers.push(smtp.close);
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [emailSink(smtp.port)] } }, {});
    const node = await TradingNode.start(config, { secrets, strategies: buyer(3) });
    await node.run();
    expect(smtp.logins).toEqual([]);
    expect(smtp.mails.map((m) => m.headers.subject)).toEqual(['[Warden] [CRITICAL] BREAKER_TRIPPED']);
  });

  it('a wrong password (535) is given up on and logged with the SMTP code, never the password', async () => {
    const smtp = await fakeSmtp({ auth: { user: 'warden', pass: 'the-right-one' } });
    closers.push(smtp.close);
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [emailSink(smtp.port, { user: 'warden', password: '${SMTP_PASSWORD}', starttls: 'off' })] } }, { SMTP_PASSWORD: PASSWORD });
    const { logger, lines } = memoryLogger(secrets);
    const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(3) });
    await node.run();
    expect(smtp.mails).toEqual([]);
    expect(smtp.logins.length).toBe(1);
    const failure = lines.find((l) => l.includes('alert undeliverable'));
    expect(failure).toContain('smtp EAUTH 535');
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });

  it('with a password, starttls: optional against a server that offers no STARTTLS (as when a man in the middle strips it): no AUTH in the clear, nothing sent', async () => {
    const smtp = await fakeSmtp({ auth: { user: 'warden', pass: PASSWORD } });
    closers.push(smtp.close);
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [emailSink(smtp.port, { user: 'warden', password: '${SMTP_PASSWORD}', starttls: 'optional' })] } }, { SMTP_PASSWORD: PASSWORD });
    const { logger, lines } = memoryLogger(secrets);
    const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(3) });
    await node.run();
    expect(smtp.logins).toEqual([]);
    expect(smtp.mails).toEqual([]);
    expect(lines.some((l) => l.includes('alert undeliverable'))).toBe(true);
  });

  it('starttls: required against a server that offers no STARTTLS: refused, nothing sent in the clear', async () => {
    const smtp = await fakeSmtp();
    closers.push(smtp.close);
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [emailSink(smtp.port, { starttls: 'required' })] } }, {});
    const { logger, lines } = memoryLogger(secrets);
    const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(3) });
    await node.run();
    expect(smtp.mails).toEqual([]);
    expect(lines.some((l) => l.includes('alert undeliverable'))).toBe(true);
  });
});
