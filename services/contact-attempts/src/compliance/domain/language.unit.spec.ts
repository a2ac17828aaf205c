import { checkLanguage } from './language';
import { CONFIG } from './testing/builders';
import type { ComplianceConfig, LanguageCategory } from './types';

const found = (text: string, config: Pick<ComplianceConfig, 'language'> = CONFIG) => checkLanguage(text, config).hits.map((hit) => [hit.category, hit.term, hit.index]);

describe('prohibited language', () => {
  it.each<[string, [LanguageCategory, string, number][]]>([
    // English: the threatening word or construction, as a whole word, in any case.
    ['You will go to jail.', [['threat-arrest', 'jail', 15]]],
    ['We will have you ARRESTED.', [['threat-arrest', 'have you ARRESTED', 8]]],
    ['You could face arrest.', [['threat-arrest', 'arrest', 15]]],
    ['The police will come for you.', [['threat-arrest', 'police will', 4]]],
    ['Pay now or we will sue.', [['threat-lawsuit-without-basis', 'we will sue', 11]]],
    ['We\u2019ll sue.', [['threat-lawsuit-without-basis', 'We\u2019ll sue', 0]]],
    ['We are going to sue you.', [['threat-lawsuit-without-basis', 'going to sue you', 7]]],
    ['We will break your legs.', [['threat-violence', 'break your legs', 8]]],
    ['We will come to your house tonight.', [['threat-home-visit', 'come to your house', 8]]],
    ['You are a deadbeat.', [['abuse', 'deadbeat', 10]]],
    ['We will tell your employer.', [['third-party-disclosure', 'tell your employer', 8]]],
    ['Ｙｏｕ ｗｉｌｌ ｇｏ ｔｏ ＪＡＩＬ', [['threat-arrest', 'ＪＡＩＬ', 15]]], // full-width letters fold
    ['\u{1F600} jail', [['threat-arrest', 'jail', 3]]], // the index counts UTF-16 code units, as JavaScript does
    // Chinese: anywhere in the text, simplified and traditional.
    ['再不还钱就让你坐牢', [['threat-arrest', '坐牢', 7]]],
    ['我们会抓你', [['threat-arrest', '抓你', 3]]],
    ['我们要起诉你', [['threat-lawsuit-without-basis', '起诉你', 3]]],
    ['我們要起訴你', [['threat-lawsuit-without-basis', '起訴你', 3]]],
    ['明天上门找你', [['threat-home-visit', '上门', 2]]],
    ['我们会打给你通讯录里的人', [['third-party-disclosure', '通讯录', 6]]],
    ['你这个老赖', [['abuse', '老赖', 3]]],
    ['小心我弄死你', [['threat-violence', '弄死', 3]]],
    [
      'Pay or we will sue, 否则坐牢',
      [
        ['threat-lawsuit-without-basis', 'we will sue', 7],
        ['threat-arrest', '坐牢', 22],
      ],
    ],
  ])('finds it in %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  // Look-alikes, decided on purpose (docs/compliance.md, "Prohibited language").
  it.each([
    ['Arrested Development is on tonight.', 'an inflected "arrested" counts only in "be/get/have (you) arrested"'],
    ["The police department's address is on the letter.", 'bare "police" is no threat; "police will" is'],
    ['We will not sue you.', '"sue you" counts only after will / going to / gonna'],
    ['Our jailbreak-proof app', 'whole words only: "jail" is not in "jailbreak"'],
    ['Apprehension is normal.', 'nothing like a threat'],
    ['公安局的地址在信上。', '"公安" alone is no threat'],
    ['我告诉你一个好消息。', '"告诉你" (tell you) is not "告你" (sue you), which is not listed'],
    ['我们可以协商还款计划。', 'an ordinary offer'],
  ])('passes %j (%s)', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('reports every hit in the order it appears, with the rule that found it', () => {
    const { hits } = checkLanguage('Idiot. We will sue and you will go to jail.', CONFIG);
    expect(hits).toEqual([
      { ruleId: 'language.abuse', category: 'abuse', term: 'Idiot', index: 0 },
      { ruleId: 'language.threat-lawsuit-without-basis', category: 'threat-lawsuit-without-basis', term: 'We will sue', index: 7 },
      { ruleId: 'language.threat-arrest', category: 'threat-arrest', term: 'jail', index: 38 },
    ]);
  });

  it('maps hits back into text that normalisation changed', () => {
    // "e" + combining acute is one character to a reader; "㍿" normalises to four characters.
    const text = 'Cafe\u0301 ㍿ idiot';
    const [hit] = checkLanguage(text, CONFIG).hits;
    expect(hit).toMatchObject({ term: 'idiot', index: text.indexOf('idiot') });
  });

  it('takes its terms and patterns from configuration', () => {
    const config = {
      language: {
        entries: [
          { category: 'threat-arrest' as const, term: '蹲号子' },
          { category: 'abuse' as const, regex: '(?<![\\p{L}])dead\\s*beat(?![\\p{L}])', ruleId: 'language.en.deadbeat' },
          { category: 'threat-home-visit' as const, term: 'on your doorstep' },
        ],
      },
    };
    expect(checkLanguage('让你去蹲号子, dead beat; we will be on your  doorstep', config).hits).toEqual([
      { ruleId: 'language.threat-arrest', category: 'threat-arrest', term: '蹲号子', index: 3 },
      { ruleId: 'language.en.deadbeat', category: 'abuse', term: 'dead beat', index: 8 },
      { ruleId: 'language.threat-home-visit', category: 'threat-home-visit', term: 'on your  doorstep', index: 30 },
    ]);
  });
});
