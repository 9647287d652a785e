// Transport-neutral domain errors: DomainError carries an ErrorKind (common/errors.ts) and a registered message; adapters map kinds to their protocol (HTTP: main/server/errors.ts).
import { ErrorKind } from '../../common/errors';
import { englishOf, msg, type ServerMessage } from '../../common/messages';
import { fieldError, type FieldError } from '../../common/schema';

export interface DomainErrorOptions {
  /** English text for logs and API clients; default: the message's English template filled in. */
  message?: string;
  fields?: FieldError[];
}

/** Constructs an error of some DomainError class (the static helpers build instances of the class they are called on). */
type DomainErrorCtor<E> = new (kind: ErrorKind, m: ServerMessage, opts?: DomainErrorOptions) => E;

function validationOptions(fields: FieldError[], message?: string): DomainErrorOptions {
  const summary = fields.map((f) => (f.path ? `${f.path} ${f.message}` : f.message)).join('; ');
  return { fields, message: message ?? `invalid body: ${summary}` };
}

export class DomainError extends Error {
  readonly fields?: FieldError[];

  constructor(
    readonly kind: ErrorKind,
    /** The registered code and params the console words in its language (ErrorBody code/params). */
    readonly msg: ServerMessage,
    opts: DomainErrorOptions = {},
  ) {
    super(opts.message ?? englishOf(msg));
    this.name = 'DomainError';
    this.fields = opts.fields;
  }

  get code(): ServerMessage['code'] {
    return this.msg.code;
  }

  /** Validation with per-field problems (each with its code); the error's own code is 'request.invalid'. */
  static validation<E>(this: DomainErrorCtor<E>, fields: FieldError[], message?: string): E {
    return new this(ErrorKind.Validation, msg('request.invalid'), validationOptions(fields, message));
  }

  /** Validation of one field. */
  static field<E>(this: DomainErrorCtor<E>, path: string, m: ServerMessage, message?: string): E {
    return new this(ErrorKind.Validation, msg('request.invalid'), validationOptions([fieldError(path, m)], message));
  }

  static notFound<E>(this: DomainErrorCtor<E>, m: ServerMessage, message?: string): E {
    return new this(ErrorKind.NotFound, m, { message });
  }

  /** A conflict on a field (e.g. a duplicate name): the field carries the same code. */
  static conflict<E>(this: DomainErrorCtor<E>, field: string, m: ServerMessage, message?: string): E {
    return new this(ErrorKind.Conflict, m, { message, fields: [fieldError(field, m, message)] });
  }
}
