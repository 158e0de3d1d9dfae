import { createTransport } from 'nodemailer';
import type { Db } from '@codetrack/db';

export type MailInput = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The workspace the mail is about, kept with development mailbox messages. */
  workspaceId?: string | null;
};

/** The one way the API sends mail. */
export interface Mailer {
  readonly transport: 'smtp' | 'mailbox';
  send(mail: MailInput): Promise<void>;
}

export type MailSettings = { smtpUrl: string | undefined; from: string };

/** SMTP when a server is configured, else the development mailbox (MailMessage rows). */
export function createMailer(settings: MailSettings, db: Db): Mailer {
  return settings.smtpUrl ? createSmtpMailer(settings.smtpUrl, settings.from) : createMailboxMailer(db);
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transporter = createTransport(smtpUrl);
  return {
    transport: 'smtp',
    async send(mail) {
      await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
    },
  };
}

/** Stores every message so each mail flow can be followed without a mail server. */
export function createMailboxMailer(db: Db): Mailer {
  return {
    transport: 'mailbox',
    async send(mail) {
      await db.mailMessage.create({
        data: { to: mail.to.toLowerCase(), subject: mail.subject, text: mail.text, html: mail.html ?? null, workspaceId: mail.workspaceId ?? null },
      });
    },
  };
}
