import { z } from 'zod';

/**
 * What an identifier may look like anywhere it enters the system (a body, a path, a token):
 * 1–64 ASCII letters, digits, `.`, `_` or `-`, starting with a letter or digit. No spaces,
 * no control or bidi characters, nothing a URL path, a log line, a Redis key or PostgreSQL's
 * JSON would treat specially (a NUL once reached the order store and failed the write after the charge).
 */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const SafeId = z.string().regex(SAFE_ID, { message: "1–64 letters, digits, '.', '_' or '-', starting with a letter or digit" });

/** A customer: the subject of their access token (e.g. `kim`). */
export const CustomerId = SafeId;

/** A branch named where any branch id is accepted (a path, an event); requests that choose one use `BranchId` (catalogue.ts). */
export const StoreRef = SafeId;

/** C0 and C1 controls (tab, newline, NUL …) and the bidirectional overrides and isolates that reorder what a reader sees. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Whether `text` holds a control or bidi-formatting character (see CONTROL_OR_BIDI). */
export const hasControlOrBidi = (text: string) => CONTROL_OR_BIDI.test(text);

/**
 * Text a person typed (a name, a note): normalised to NFC, so the same visible text is the
 * same string everywhere (a decomposed "é" and a composed one compare equal), then refused if it
 * holds control or bidi characters, then bounded to `max` characters.
 */
export const FreeText = (max: number) =>
  z
    .string()
    .transform((text) => text.normalize('NFC'))
    .pipe(
      z
        .string()
        .max(max)
        .refine((text) => !hasControlOrBidi(text), { message: 'must not contain control or bidirectional-formatting characters' }),
    );
