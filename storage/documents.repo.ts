import type { Connection } from 'mongoose';
import { DOCUMENT_SCHEMA_VERSION, documentModel, type DocumentModel } from './models/document.model.ts';
import type { DocumentDoc, DocumentFields, DocumentStatus, DocumentStore, NewDocument } from './documents.types.ts';

/** MongoDB implementation of DocumentStore (`documents`): insert by natural key, OCR results later. */
export class MongoDocumentStore implements DocumentStore {
  readonly model: DocumentModel;
  constructor(conn: Connection) {
    this.model = documentModel(conn);
  }

  async get(id: string): Promise<DocumentDoc | null> {
    return this.model.findById(id).lean<DocumentDoc>();
  }

  async insert(input: NewDocument): Promise<{ doc: DocumentDoc; created: boolean }> {
    const existing = await this.get(input._id);
    if (existing) return { doc: existing, created: false };
    const now = new Date();
    const doc: DocumentDoc = {
      ...input,
      schemaVersion: DOCUMENT_SCHEMA_VERSION,
      status: 'pending_ocr',
      kind: null,
      text: null,
      confidence: null,
      ocr: null,
      fields: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.model.collection.insertOne(doc as never);
      return { doc, created: true };
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return { doc: (await this.get(input._id))!, created: false };
      throw error;
    }
  }

  /**
   * Sets the status. `ocr_queued` never replaces `done`/`failed`: the inbox marks a document queued
   * after submitting its OCR job, and a fast OCR worker may already have finished it.
   */
  async setStatus(id: string, status: DocumentStatus, error: { code: string; message: string } | null = null): Promise<void> {
    const filter = status === 'ocr_queued' ? { _id: id, status: { $nin: ['done', 'failed'] as DocumentStatus[] } } : { _id: id };
    await this.model.updateOne(filter, { $set: { status, error, updatedAt: new Date() } });
  }

  async saveOcr(id: string, r: { kind: string; text: string; confidence: number; ocr: boolean; fields: DocumentFields }): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'done', kind: r.kind, text: r.text, confidence: r.confidence, ocr: r.ocr, fields: r.fields, error: null, updatedAt: new Date() } });
  }

  async listReceived(range: { from?: Date; to?: Date; origin?: string }): Promise<DocumentDoc[]> {
    const q: Record<string, unknown> = {};
    const when: Record<string, Date> = {};
    if (range.from) when.$gte = range.from;
    if (range.to) when.$lt = range.to;
    if (Object.keys(when).length) q.receivedAt = when;
    if (range.origin) q.origin = range.origin;
    return this.model.find(q).sort({ receivedAt: 1, _id: 1 }).lean<DocumentDoc[]>();
  }
}
