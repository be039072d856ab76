import { DICTIONARIES, EN, LANGS, ZH_CN } from './dictionary';

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe('translations', () => {
  const keys = Object.keys(EN).sort();

  it('every language has exactly the keys of the English dictionary', () => {
    for (const lang of LANGS) {
      expect(Object.keys(DICTIONARIES[lang]).sort()).toEqual(keys);
    }
  });

  it('no translation is empty and placeholders match across languages', () => {
    for (const key of keys) {
      for (const lang of LANGS) {
        const text = DICTIONARIES[lang][key as keyof typeof EN];
        expect(`${lang}:${key}:${text.trim().length > 0}`).toBe(`${lang}:${key}:true`);
        expect({ key, lang, p: placeholders(text) }).toEqual({
          key,
          lang,
          p: placeholders(EN[key as keyof typeof EN]),
        });
      }
    }
  });

  it('Chinese texts are actually translated where the English one is prose', () => {
    const untranslated = keys.filter(
      (key) =>
        /[a-z]{4,} [a-z]{3,}/i.test(EN[key as keyof typeof EN]) &&
        ZH_CN[key as keyof typeof EN] === EN[key as keyof typeof EN],
    );
    expect(untranslated).toEqual([]);
  });
});
