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

  /**
   * RFC 9457 members (`type`, `title`, `detail`) plus ours: `error` (the stable code) and `message`
   * (the sentence, which clients already read), and extensions such as `fields`. No `status` member:
   * some problems carry the order's status there, and the HTTP status is on the response anyway.
   */
  toJSON(): Record<string, unknown> {
    return {
      type: 'about:blank',
      title: STATUS_TITLES[this.status] ?? 'Error',
      detail: this.message,
      error: this.code,
      message: this.message,
      ...this.details,
    };
  }
}

/** The media type of every problem body (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

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

/** The Problem for each refusal of the shared HTTP layer, so every app words them the same. */
export const edgeProblems = {
  malformedJson: () => new Problem(400, 'invalid_json', 'The request body must be a JSON document (it could not be parsed)'),
  bodyRequired: () => new Problem(400, 'body_required', 'This request needs a JSON body'),
  unsupportedMediaType: (expected = 'application/json') =>
    new Problem(415, 'unsupported_media_type', `Send the body as ${expected} (Content-Type header)`, { accepted: [expected] }),
  // Connection: close, because the rest of the body is still on its way: the connection cannot carry another request.
  tooLarge: (maxBytes: number) =>
    new Problem(
      413,
      'payload_too_large',
      `The request body is larger than this route accepts (${maxBytes} bytes)`,
      { maxBytes },
      { connection: 'close' },
    ),
  methodNotAllowed: (method: string, allowed: readonly string[]) =>
    new Problem(
      405,
      'method_not_allowed',
      `${method} is not allowed here; use ${allowed.join(', ')}`,
      { allowed },
      { allow: allowed.join(', ') },
    ),
  notFound: (method: string, path: string) => new Problem(404, 'not_found', `No route for ${method} ${path}`),
};
