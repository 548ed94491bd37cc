import type { Redis } from 'ioredis';

export interface CaptchaToken {
  captchaId: string;
  answer: string;
}

/**
 * Solved captcha pairs shared by every robot of the farm. sudrf accepts a solved
 * `captcha` + `captchaid` pair for about 30 minutes per court (TARGETS.md §1.5), so one solve
 * serves many lookups; a pair the site stops accepting is dropped and solved again.
 */
export class CaptchaTokenCache {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly ttlSecs = 25 * 60) {}

  async get(host: string): Promise<CaptchaToken | null> {
    const raw = await this.redis.get(this.key(host));
    return raw ? (JSON.parse(raw) as CaptchaToken) : null;
  }

  async put(host: string, token: CaptchaToken): Promise<void> {
    await this.redis.set(this.key(host), JSON.stringify(token), 'EX', this.ttlSecs);
  }

  /** Drops `token` unless another robot already replaced it. */
  async drop(host: string, token: CaptchaToken): Promise<void> {
    const current = await this.get(host);
    if (current?.captchaId === token.captchaId) await this.redis.del(this.key(host));
  }

  private key(host: string): string {
    return `${this.prefix}:captcha-token:${host}`;
  }
}
