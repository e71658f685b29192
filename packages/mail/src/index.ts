// The one way the services send mail (SMTP through nodemailer).
export * from './mailer.js';
