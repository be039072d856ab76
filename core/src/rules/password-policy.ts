// Password strength policy (DESIGN §4): applied when a password is set or changed, never at login.

export const PASSWORD_MIN_LENGTH = 10;
/** argon2 hashes any length, but an upper bound keeps hashing cost per request bounded. */
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_CLASSES = 3;

export type PasswordRuleCode =
  'too_short' | 'too_long' | 'too_few_character_classes' | 'contains_username' | 'common_password';

/** Frequently leaked passwords long enough to pass the length rule (compared case-insensitively). */
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '12345678910',
  '0123456789',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'qwertyuiop',
  'qwerty1234',
  'qwerty123456',
  'asdfghjkl1',
  'password12',
  'password123',
  'password1234',
  'password123!',
  'password@123',
  'passw0rd123',
  'p@ssw0rd123',
  'p@ssword123',
  'p@$$w0rd123',
  'abcd123456',
  'abc1234567',
  'admin12345',
  'admin123456',
  'admin@1234',
  'admin@12345',
  'administrator',
  'administrator1',
  'iloveyou123',
  'welcome123',
  'welcome@123',
  'changeme123',
  'letmein1234',
  'football123',
  'sunshine123',
  'princess123',
  'baseball123',
  'superman123',
  'qazwsxedc123',
  'zaq12wsxcde3',
]);

function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
}

/** The codes of every rule the password breaks; empty = acceptable. */
export function checkPasswordPolicy(password: string, context: { username?: string } = {}): PasswordRuleCode[] {
  const violations: PasswordRuleCode[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) violations.push('too_short');
  if (password.length > PASSWORD_MAX_LENGTH) violations.push('too_long');
  if (characterClasses(password) < PASSWORD_MIN_CLASSES) violations.push('too_few_character_classes');
  const username = context.username?.trim().toLowerCase();
  if (username && password.toLowerCase().includes(username)) violations.push('contains_username');
  if (COMMON_PASSWORDS.has(password.toLowerCase())) violations.push('common_password');
  return violations;
}

export function isPasswordAcceptable(password: string, context: { username?: string } = {}): boolean {
  return checkPasswordPolicy(password, context).length === 0;
}
