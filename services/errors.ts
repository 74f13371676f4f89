/** An error about one input names it first: `ports[0]: host port 99999 is out of range`. */
const NAMED_FIELD = /^([A-Za-z][\w.\[\]]*): /;

/** Typed service errors; one handler maps them to HTTP (see middleware/errors.ts). */
export class AppError extends Error {
  /**
   * The input the error is about (`ports[0]`), so that a form shows it under that field: given
   * by the thrower, or else the field the message starts with.
   */
  readonly field: string | undefined;

  constructor(
    readonly error: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 422 | 429 | 500 | 503,
    message: string,
    field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
    this.name = error;
    this.field = field ?? NAMED_FIELD.exec(message)?.[1];
  }

  /** The message without its field, for showing under the field. */
  get detail(): string {
    return this.field ? this.message.slice(this.field.length + 2) : this.message;
  }
}

/** Bad input; the message starts with the field it is about (`ports[0]: …`). */
export class InvalidInput extends AppError {
  /** `new InvalidInput("is required", "password")` is `password: is required`. */
  constructor(message: string, field?: string) {
    super("InvalidInput", 400, message, field);
  }
}

export class Unauthorized extends AppError {
  constructor(message = "Authentication required") {
    super("Unauthorized", 401, message);
  }
}

export class Forbidden extends AppError {
  constructor(message: string) {
    super("Forbidden", 403, message);
  }
}

export class NotFound extends AppError {
  constructor(message: string) {
    super("NotFound", 404, message);
  }
}

export class Conflict extends AppError {
  constructor(message: string, field?: string) {
    super("Conflict", 409, message, field);
  }
}

/** A request body over the limit of its route group (middleware/body-limit.ts). */
export class PayloadTooLarge extends AppError {
  constructor(message: string) {
    super("PayloadTooLarge", 413, message);
  }
}

/** A body in a format the route does not read (JSON to a form route, text to the API). */
export class UnsupportedMediaType extends AppError {
  constructor(message: string) {
    super("UnsupportedMediaType", 415, message);
  }
}

/** A request for a host name this server does not answer to (services/auth/host-policy.ts). */
export class Misdirected extends AppError {
  constructor(message: string) {
    super("Misdirected", 421, message);
  }
}

export class LimitExceeded extends AppError {
  constructor(message: string, field?: string) {
    super("LimitExceeded", 422, message, field);
  }
}

/** Refused by a rule (not a limit): e.g. adopting the container DockerMate runs in. */
export class Refused extends AppError {
  constructor(message: string, field?: string) {
    super("Refused", 422, message, field);
  }
}

export class RateLimited extends AppError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super("RateLimited", 429, message);
  }
}

export class DockerUnavailable extends AppError {
  constructor(message: string) {
    super("DockerUnavailable", 503, message);
  }
}
