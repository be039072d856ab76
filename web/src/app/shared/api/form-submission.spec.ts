import { ApiError } from './api-envelope';
import { fakeSignal } from './fake-state';
import { createFormSubmission, describeError } from './form-submission';

function form(invalid: boolean) {
  return { invalid, markAllAsTouched: jest.fn() };
}

describe('createFormSubmission', () => {
  it('marks the form touched and does not run the action while it is invalid', async () => {
    const submission = createFormSubmission(fakeSignal);
    const invalid = form(true);
    const action = jest.fn(async () => undefined);
    await submission.run(invalid, action);
    expect(invalid.markAllAsTouched).toHaveBeenCalled();
    expect(action).not.toHaveBeenCalled();
    expect(submission.busy()).toBe(false);
  });

  it('is busy while the action runs, clears the previous error, and ignores a second submit', async () => {
    const submission = createFormSubmission(fakeSignal);
    submission.error.set('old');
    let finish!: () => void;
    const action = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const running = submission.run(form(false), action);
    expect(submission.busy()).toBe(true);
    expect(submission.error()).toBe('');
    await submission.run(form(false), action);
    expect(action).toHaveBeenCalledTimes(1);
    finish();
    await running;
    expect(submission.busy()).toBe(false);
  });

  it('shows an API error message, anything else as text, and a custom description when given', async () => {
    const submission = createFormSubmission(fakeSignal);
    await submission.run(null, async () => {
      throw new ApiError('name taken', 409, 40900);
    });
    expect(submission.error()).toBe('name taken');
    expect(submission.busy()).toBe(false);
    await submission.run(null, async () => {
      throw 'boom';
    });
    expect(submission.error()).toBe('boom');

    const login = createFormSubmission(fakeSignal, { describeError: () => 'sign-in failed' });
    await login.run(form(false), async () => {
      throw new TypeError('network');
    });
    expect(login.error()).toBe('sign-in failed');
  });

  it('describeError keeps ApiError messages and stringifies the rest', () => {
    expect(describeError(new ApiError('denied', 403, 40300))).toBe('denied');
    expect(describeError(new Error('x'))).toBe('Error: x');
  });
});
