import { checkPasswordPolicy, isPasswordAcceptable, PASSWORD_MAX_LENGTH } from './password-policy';

describe('checkPasswordPolicy', () => {
  it.each([
    ['Tr0ub4dor&3x', 'alice'],
    ['correct-horse-Battery', 'alice'],
    ['ABCDEFGH12!!', 'bob'],
    ['lowercase-and-42', 'carol'],
  ])('accepts %s', (password, username) => {
    expect(checkPasswordPolicy(password, { username })).toEqual([]);
    expect(isPasswordAcceptable(password, { username })).toBe(true);
  });

  it.each([
    ['Sh0rt!pw', ['too_short']],
    ['alllowercaseletters', ['too_few_character_classes']],
    ['ONLYUPPER123', ['too_few_character_classes']],
    ['abc', ['too_short', 'too_few_character_classes']],
    ['Password123', ['common_password']],
    ['P@ssw0rd123', ['common_password']],
    ['ADMINISTRATOR1', ['too_few_character_classes', 'common_password']],
    ['Aa1!' + 'x'.repeat(PASSWORD_MAX_LENGTH), ['too_long']],
  ])('rejects %s with %j', (password, codes) => {
    expect(checkPasswordPolicy(password, { username: 'someone' })).toEqual(codes);
  });

  it('rejects a password containing the username, case-insensitively', () => {
    expect(checkPasswordPolicy('xx-AcMe-Owner-2026!', { username: 'acme-owner' })).toEqual(['contains_username']);
    expect(checkPasswordPolicy('Alice-Secret-42', { username: 'ALICE' })).toEqual(['contains_username']);
  });

  it('skips the username rule without a username', () => {
    expect(checkPasswordPolicy('Alice-Secret-42')).toEqual([]);
    expect(checkPasswordPolicy('Alice-Secret-42', { username: '  ' })).toEqual([]);
  });
});
