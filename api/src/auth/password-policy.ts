// Applies the core password policy (rules/password-policy) and turns its violations into a 400
// WEAK_PASSWORD naming the field and each broken rule.
import {
  checkPasswordPolicy,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_CLASSES,
  PASSWORD_MIN_LENGTH,
  type PasswordRuleCode,
} from '@remotegpu/core';
import { AppError } from '../http/errors';

const RULE_MESSAGES: Record<PasswordRuleCode, string> = {
  too_short: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  too_few_character_classes: `must mix at least ${PASSWORD_MIN_CLASSES} of: lower case, upper case, digits, symbols`,
  contains_username: 'must not contain the username',
  common_password: 'is a commonly used password',
};

export function assertPasswordPolicy(password: string, context: { username?: string; field: string }): void {
  const violations = checkPasswordPolicy(password, { username: context.username });
  if (violations.length === 0) return;
  throw new AppError('WEAK_PASSWORD', `password ${violations.map((v) => RULE_MESSAGES[v]).join('; ')}`, {
    fields: violations.map((rule) => ({ field: context.field, rule, message: RULE_MESSAGES[rule] })),
  });
}
