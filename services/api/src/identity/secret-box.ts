import { createHash } from 'node:crypto';
import { openAesGcm, sealAesGcm } from '../shared/aes-gcm.js';

/**
 * AES-256-GCM for the providers' client secrets at rest. The key is derived
 * from IDENTITY_SECRET_KEY by SHA-256, so any long passphrase works.
 * Format: "v1.<iv>.<tag>.<ciphertext>", each part base64url.
 */
export function createSecretBox(passphrase: string) {
  const key = createHash('sha256').update(passphrase).digest();
  return {
    seal(plain: string): string {
      const { iv, tag, data } = sealAesGcm(key, plain);
      return ['v1', iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed: string): string {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
      return openAesGcm(key, {
        iv: Buffer.from(iv, 'base64url'),
        tag: Buffer.from(tag, 'base64url'),
        data: Buffer.from(data, 'base64url'),
      });
    },
  };
}
export type SecretBox = ReturnType<typeof createSecretBox>;
