// Client-side mirror of the API's password policy (core rules/password-policy: at least 10 characters, 3 of 4
// character classes, not containing the username). The API stays the authority and its msg is shown.

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MIN_CLASSES = 3;

export type PasswordProblem = 'too_short' | 'too_few_character_classes' | 'contains_username';

export function passwordPolicyProblems(password: string, username?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < PASSWORD_MIN_CLASSES) problems.push('too_few_character_classes');
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push('contains_username');
  }
  return problems;
}
