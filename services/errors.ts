/** Typed service errors; one handler maps them to HTTP (see middleware/errors.ts). */
export class AppError extends Error {
  constructor(
    readonly error: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 422 | 429 | 500 | 503,
    message: string,
  ) {
    super(message);
    this.name = error;
  }
}

/** Bad input; the message starts with the field it is about (`ports[0]: …`). */
export class InvalidInput extends AppError {
  constructor(message: string) {
    super("InvalidInput", 400, message);
  }

  /** The field named at the start of the message, if any. */
  get field(): string | undefined {
    return /^([A-Za-z][\w.\[\]]*): /.exec(this.message)?.[1];
  }

  /** The message without its field prefix, for showing under the field. */
  get detail(): string {
    const field = this.field;
    return field ? this.message.slice(field.length + 2) : this.message;
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
  constructor(message: string) {
    super("Conflict", 409, message);
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
  constructor(message: string) {
    super("LimitExceeded", 422, message);
  }
}

/** Refused by a rule (not a limit): e.g. adopting the container DockerMate runs in. */
export class Refused extends AppError {
  constructor(message: string) {
    super("Refused", 422, message);
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
