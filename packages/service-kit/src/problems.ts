import type { ZodError } from 'zod';

/**
 * An error meant for the caller: an HTTP status, a stable machine-readable code
 * and a sentence a person can act on. Anything that is not a Problem becomes
 * a generic 500 without details, so no stack trace ever reaches a user.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.details };
  }
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** 400 naming every offending field by its path, e.g. `lines.0.quantity`. */
export function validationProblem(error: ZodError, where = 'body'): Problem {
  const fields: FieldIssue[] = error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : where,
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new Problem(400, 'validation_failed', `Invalid request ${where}: ${summary}`, { fields });
}
