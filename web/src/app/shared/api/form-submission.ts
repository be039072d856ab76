import { ApiError } from './api-envelope';
import { State, StateFactory } from './state';

/** What a reactive form (FormGroup) offers that submitting needs. */
export interface SubmittableForm {
  readonly invalid: boolean;
  markAllAsTouched(): void;
}

export interface FormSubmission {
  readonly busy: State<boolean>;
  /** the message shown under the form; '' when there is none */
  readonly error: State<string>;
  /**
   * Runs `action` unless the form is invalid or a submission is already running: busy while it runs, its
   * failure shown as `error`. The form is marked touched first, so a submit shows what is missing (the submit
   * button stays enabled rather than silently dead).
   */
  run(form: SubmittableForm | null, action: () => Promise<void>): Promise<void>;
}

/** ApiError messages are written for the user; anything else is shown as it is. */
export function describeError(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

export function createFormSubmission(
  signal: StateFactory,
  options: { describeError?: (error: unknown) => string } = {},
): FormSubmission {
  const busy = signal(false);
  const error = signal('');
  const describe = options.describeError ?? describeError;
  return {
    busy,
    error,
    async run(form, action) {
      form?.markAllAsTouched();
      if (form?.invalid || busy()) return;
      busy.set(true);
      error.set('');
      try {
        await action();
      } catch (failure) {
        error.set(describe(failure));
      } finally {
        busy.set(false);
      }
    },
  };
}
