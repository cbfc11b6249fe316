import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meetsSeverity, RISK_PHRASES, severityOf } from './severity';

const pii = JSON.parse(readFileSync(new URL('../fixtures/pii-cases.json', import.meta.url), 'utf8')) as {
  redact: { text: string }[];
  keep: string[];
};

const urgent: [behaviour: string, story: string][] = [
  ['says someone is abusive', 'He is abusive.'],
  ['says the citizen feels unsafe', 'I feel unsafe at home.'],
  ['says the citizen wants to kill themselves', 'I want to kill myself.'],
  ['says the citizen is not safe', 'I am not safe at home and the housing team will not listen.'],
  ['tells of a threat to hurt', 'They threatened to hurt me.'],
  ['says the citizen cannot breathe', 'I can’t breathe and nobody is answering.'],
  [
    'tells of thoughts of suicide',
    'I have been thinking about killing myself since the appointment was cancelled.',
  ],
  ['tells of a carer hitting', 'My carer hit me when nobody was looking.'],
  ['tells of a threat with a knife', 'He threatened me with a knife outside the office.'],
  ['denies one risk but tells of another', 'The staff were not abusive, but my neighbour hits me.'],
  [
    'denies danger in one place but not in another',
    'I was not in danger at the clinic, but at home I am in danger.',
  ],
  ['negates only an intensified phrase', 'I have never felt so unsafe in my life.'],
  ['says "not only"', 'Not only is he abusive, the council ignored it.'],
  ['puts other words between a negator and the phrase', 'I can’t believe how abusive the caretaker was.'],
  ['says the hitting will not stop', 'He won’t stop hitting me.'],
  ['says someone did not help abused children', 'Nobody helped the abused children on our street.'],
  ['negates an earlier sentence only', 'I didn’t. I am in danger.'],
  ['says the citizen does not feel safe', 'I don’t feel safe in my flat.'],
  ['says the citizen never feels safe', 'I never feel safe walking home past the underpass.'],
  ['says the citizen does not want to live', 'I don’t want to live any more.'],
  ['says someone is not breathing', 'My dad is not breathing and the ambulance has not come.'],
  ['tells of an overdose', 'I took an overdose last week and the GP never called back.'],
  ['tells of sexual assault', 'I was sexually assaulted in the hostel.'],
  ['tells of a gun', 'Someone in the park had a gun.'],
  ['tells of self-harm', 'I hurt myself again last night.'],
  ['tells of a gas leak', 'There is a gas leak in our block and nobody came.'],
  ['tells of a threat to life', 'They are going to kill me.'],
  ['is written in capitals', 'NOT SAFE AT HOME'],
  ['tells of domestic violence', 'The domestic violence team never rang back.'],
  [
    'tells of self-harm after "no" (English "no" alone is not a negator)',
    'There is no self-harm service here.',
  ],
  ['says in Welsh that the citizen feels like killing themselves', 'Rwy’n teimlo fel lladd fy hun.'],
  ['says in Welsh that a partner is abusive', 'Mae fy mhartner yn fy ngham-drin.'],
  ['says in Welsh that the citizen is in danger', 'Dw i mewn perygl.'],
  ['says in Welsh that we are in danger ("ni" is "we", not a negator)', 'Rydyn ni mewn perygl.'],
  ['tells in Welsh of thoughts of suicide', 'Dw i wedi bod yn meddwl am hunanladdiad ers misoedd.'],
  ['says in Welsh that the citizen wants to die', 'Dw i eisiau marw.'],
  ['tells in Welsh of self-harm', 'Mae fy mab yn hunan-niweidio a does neb yn helpu.'],
  ['says in Welsh that the citizen does not want to live', 'Dw i ddim eisiau byw rhagor.'],
  ['tells in Welsh of a carer hitting', 'Cefais fy nharo gan fy ngofalwr.'],
  ['tells in Welsh of domestic violence', 'Mae trais domestig yn digwydd yn ein tŷ ni.'],
  ['says in Welsh that the citizen does not feel safe', 'Dydw i ddim yn teimlo’n ddiogel gartref.'],
  ['tells in Welsh of a threat with a knife', 'Mae e wedi fy mygwth â chyllell.'],
  ['says in Welsh that the citizen cannot breathe', 'Rwy’n methu anadlu.'],
  ['says in Welsh that the citizen is not able to breathe', 'Dw i ddim yn gallu anadlu.'],
  ['tells in Welsh of an attack', 'Ymosododd dyn arna i yn y maes parcio.'],
  ['says in Welsh that a place is unsafe', 'Mae’r ystafell aros yn anniogel.'],
  [
    'denies abuse in Welsh but tells of it too',
    'Doedd y staff ddim yn gamdriniol, ond mae fy nghymydog yn fy ngham-drin.',
  ],
];

const errsTowardsUrgent: [behaviour: string, story: string][] = [
  ['mentions suicide prevention', 'The suicide prevention leaflet was out of date.'],
  ['mentions knife crime', 'There was a knife crime talk at the library.'],
  ['tells of an accident with "hurt myself"', 'I hurt myself on the broken step.'],
  ['fears dying', 'I don’t want to die on this trolley.'],
  ['names a drug abuse service', 'The drug abuse service moved without telling anyone.'],
  ['uses "hit me" for a realisation', 'Then it hit me that the form was wrong.'],
  ['puts a negator before a negative phrase', 'I was never not safe there.'],
];

const normal: [behaviour: string, story: string][] = [
  ['says the staff were not abusive', 'The staff were not abusive.'],
  ['says nobody was abusive', 'Nobody was abusive.'],
  ['says the citizen never felt unsafe', 'I never felt unsafe.'],
  ['says no one threatened the citizen', 'No one threatened me.'],
  ['says the citizen was not in danger', 'I was not in danger.'],
  ['says the citizen was not at all suicidal', 'I was not at all suicidal, just fed up with the wait.'],
  ['says nobody there was ever abusive', 'Nobody there was ever abusive.'],
  ['says the citizen did not feel unsafe', 'I didn’t feel unsafe at any point.'],
  ['says someone has never hit the citizen', 'He has never hit me; he was just rude.'],
  ['says the citizen has never been in any danger', 'I have never been in any danger on the bus.'],
  ['says the staff were not threatening', 'The staff weren’t threatening me, they were helpful.'],
  ['says the citizen was not abused', 'I wasn’t abused, just ignored.'],
  ['says nothing was unsafe', 'Nothing was unsafe about the play park.'],
  ['says the citizen is not unsafe', 'I am not unsafe, just lonely.'],
  ['says someone did not assault the citizen', 'They did not assault me.'],
  ['says the citizen did not hurt themselves', 'I didn’t hurt myself when I fell, luckily.'],
  ['kills time', 'We went to kill time at the library.'],
  ['says the wait killed the citizen', 'The wait killed me, honestly.'],
  ['says a queue is killing the citizen', 'This queue is killing me.'],
  ['describes gun-metal grey bins', 'The gun-metal grey bins look smart.'],
  ['says a service is in danger of closing', 'The library is in danger of closing.'],
  ['says a place feels safe', 'The school run feels safe now that the crossing is fixed.'],
  ['mentions a painkiller', 'The nurse said the pain killer would help.'],
  ['says the citizen could not have felt safer', 'I could not have felt safer.'],
  ['says in Welsh that the staff were not abusive', 'Doedd y staff ddim yn gamdriniol.'],
  ['says in Welsh that the citizen is not in danger', 'Dydw i ddim mewn perygl, diolch.'],
  ['says in Welsh that the citizen never felt unsafe', 'Doeddwn i erioed yn teimlo’n anniogel yno.'],
  ['says in Welsh that nobody threatened the citizen', 'Wnaeth neb fy mygwth.'],
  ['says in Welsh that the citizen was never abused', 'Dydw i erioed wedi cael fy ngham-drin yno.'],
  ['says in Welsh with "nid" that a place is not unsafe', 'Nid yw’n anniogel yno.'],
  ['says in Welsh that the school is not unsafe', 'Dydy’r ysgol ddim yn anniogel.'],
  ['says in Welsh that nobody was aggressive', 'Doedd neb yn ymosodol.'],
  ['says in Welsh that a library is in danger of closing', 'Mae’r llyfrgell mewn perygl o gau.'],
  ['says "I know" in Welsh ("gwn" is also a gun)', 'Mi wn i fod y gwasanaeth yn brysur.'],
  ['says in Welsh that the children are safe', 'Mae’r plant yn ddiogel yn yr ysgol.'],
  ['tells in Welsh of a long wait', 'Aros hir yn y feddygfa, ond roedd pawb yn garedig.'],
];

describe('severityOf', () => {
  it.each(urgent)('is urgent when a story %s: "%s"', (_, story) => {
    expect(severityOf(story)).toBe('urgent');
  });

  it.each(errsTowardsUrgent)('errs towards urgent when a story %s: "%s"', (_, story) => {
    expect(severityOf(story)).toBe('urgent');
  });

  it.each(normal)('is normal when a story %s: "%s"', (_, story) => {
    expect(severityOf(story)).toBe('normal');
  });

  it('is normal for everyday stories, including ones that mention 999 or 111', () => {
    const everyday = [...pii.keep, ...pii.redact.map((c) => c.text), 'The self-service kiosk was broken.'];
    for (const story of everyday) expect(severityOf(story), story).toBe('normal');
  });

  it('is normal without a story', () => {
    expect(severityOf(undefined)).toBe('normal');
    expect(severityOf(null)).toBe('normal');
    expect(severityOf('')).toBe('normal');
  });
});

describe('RISK_PHRASES', () => {
  it('lists English and Welsh phrases for self-harm, abuse and danger', () => {
    for (const phrases of Object.values(RISK_PHRASES)) {
      expect(phrases.en.length).toBeGreaterThan(0);
      expect(phrases.cy.length).toBeGreaterThan(0);
    }
    expect(Object.keys(RISK_PHRASES)).toEqual(['self-harm', 'abuse', 'danger']);
  });
});

describe('meetsSeverity', () => {
  it('lets urgent through a normal minimum, but not normal through an urgent one', () => {
    expect(meetsSeverity('urgent', 'normal')).toBe(true);
    expect(meetsSeverity('normal', 'normal')).toBe(true);
    expect(meetsSeverity('normal', 'urgent')).toBe(false);
  });
});
