import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { AlertSinkConfig } from '../config/alerts.ts';
import { DeliveryError } from './delivery.ts';
import { bodyOf, titleOf, type Outgoing } from './message.ts';
import type { AlertTransport } from './transport.ts';

type EmailConfig = Extract<AlertSinkConfig, { type: 'email' }>;

/**
 * nodemailer's SMTP options from the sink's config: implicit TLS, or STARTTLS required / when
 * offered / never; AUTH only with a user. With a password, `optional` means required: a server
 * (or a man in the middle) not offering STARTTLS would otherwise get the password in the clear.
 * Only `starttls: off` sends it unencrypted, as the config then says in so many words.
 */
export function smtpOptions(c: EmailConfig): SMTPTransport.Options {
  const authenticates = c.user !== undefined && c.password !== undefined;
  return {
    host: c.host,
    port: c.port,
    secure: c.secure,
    requireTLS: !c.secure && (c.starttls === 'required' || (c.starttls === 'optional' && authenticates)),
    ignoreTLS: !c.secure && c.starttls === 'off',
    ...(authenticates ? { auth: { user: c.user, pass: c.password } } : {}),
    connectionTimeout: c.timeout_ms,
    greetingTimeout: c.timeout_ms,
    socketTimeout: c.timeout_ms,
    // nodemailer logs nothing unless asked; never ask (its debug output would show the AUTH exchange).
    logger: false,
    debug: false,
  };
}

/**
 * Mails each alert over SMTP with nodemailer: subject `<prefix> [SEVERITY] CODE`, the text as
 * the body. An SMTP 4xx (or a connection failure) is retried, a 5xx is permanent. The error
 * kept is nodemailer's code and the server's response code, never the password.
 */
export class EmailTransport implements AlertTransport {
  readonly label = 'email';
  private mailer: Promise<Transporter<SMTPTransport.SentMessageInfo>> | undefined;

  constructor(
    private readonly c: EmailConfig,
    private readonly options: Partial<SMTPTransport.Options> = {},
  ) {}

  /** nodemailer is imported on the first mail: a node that never alerts by email never loads it. */
  private transport(): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
    this.mailer ??= import('nodemailer').then((m) => m.createTransport({ ...smtpOptions(this.c), ...this.options }));
    return this.mailer;
  }

  async send(out: Outgoing): Promise<void> {
    try {
      const mailer = await this.transport();
      await mailer.sendMail({
        from: this.c.from,
        to: [...this.c.to],
        subject: `${this.c.subject_prefix} ${titleOf(out)}`.trim(),
        text: bodyOf(out),
        headers: { 'X-Warden-Severity': out.severity, ...(out.kind === 'alert' ? { 'X-Warden-Alert': out.code } : {}) },
      });
    } catch (e) {
      const err = e as { code?: unknown; responseCode?: unknown };
      const status = typeof err.responseCode === 'number' ? err.responseCode : undefined;
      throw new DeliveryError(`smtp ${typeof err.code === 'string' ? err.code : 'error'}${status !== undefined ? ` ${status}` : ''}`, { permanent: status !== undefined && status >= 500 });
    }
  }

  close(): void {
    void this.mailer?.then((m) => m.close(), () => undefined);
  }
}
