import { assertSha256, type BlobBackend, type BlobInfo, type S3ObjectClient } from './blob-backend.ts';

export type { S3ObjectClient } from './blob-backend.ts';

/** Bodies as objects `<prefix><sha256>` in one bucket. */
export class S3BlobBackend implements BlobBackend {
  readonly kind = 's3';
  constructor(
    private readonly client: S3ObjectClient,
    private readonly bucket: string,
    private readonly prefix = 'evidence/',
  ) {}

  private key(sha256: string): string {
    assertSha256(sha256);
    return `${this.prefix}${sha256}`;
  }

  async put(sha256: string, body: Buffer, contentType: string): Promise<void> {
    const Key = this.key(sha256);
    if (await this.client.headObject({ Bucket: this.bucket, Key })) return;
    await this.client.putObject({ Bucket: this.bucket, Key, Body: body, ContentType: contentType });
  }

  get(sha256: string): Promise<Buffer | null> {
    return this.client.getObject({ Bucket: this.bucket, Key: this.key(sha256) });
  }

  delete(sha256: string): Promise<void> {
    return this.client.deleteObject({ Bucket: this.bucket, Key: this.key(sha256) });
  }

  async *list(): AsyncIterable<BlobInfo> {
    for await (const o of this.client.listObjects({ Bucket: this.bucket, Prefix: this.prefix })) {
      const sha256 = o.Key.slice(this.prefix.length);
      if (/^[0-9a-f]{64}$/.test(sha256)) yield { sha256, size: o.Size, createdAt: o.LastModified };
    }
  }
}
