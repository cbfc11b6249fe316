/** The widget's words in Welsh: a part, loaded only by a page in Welsh (or a widget set to `cy`). */
import { STORY_MAX_LENGTH } from '../../shared/limits';
import { DEFAULT_STORY_HINT } from '../../shared/wording';
import { format, type Messages } from '../messages';

export const messages: Messages = {
  heading: 'Dywedwch wrthym sut aeth hi',
  signposting: 'Nid yw hwn ar gyfer argyfyngau na chwynion ffurfiol. Mewn argyfwng, ffoniwch 999.',
  question: "Sut oedd eich profiad o'r gwasanaeth hwn?",
  ratings: ['Gwael iawn', 'Gwael', 'Ddim yn dda nac yn wael', 'Da', 'Da iawn'],
  storyLabel: 'Dywedwch wrthym beth ddigwyddodd (dewisol)',
  storyHint: DEFAULT_STORY_HINT.cy,
  limit: `Gallwch roi hyd at ${format(STORY_MAX_LENGTH)} nod`,
  left: (n) => `Mae gennych ${format(n)} nod ar ôl`,
  over: (n) => `Mae gennych ${format(n)} nod yn ormod`,
  send: 'Anfon adborth',
  sending: "Wrthi'n anfon eich adborth…",
  problem: 'Mae problem wedi codi',
  errorLabel: 'Gwall:',
  noRating: 'Dewiswch sut oedd eich profiad',
  tooLong: `Rhaid i'ch stori fod yn ${format(STORY_MAX_LENGTH)} nod neu lai`,
  previewTitle: 'Gwiriwch eich stori',
  previewText: 'Byddwn yn dileu manylion personol cyn anfon, fel hyn:',
  sendAnyway: 'Anfon hebddyn nhw',
  edit: 'Newid fy stori',
  thanks: 'Diolch am eich adborth',
  thanksText: "Mae eich adborth wedi'i anfon at y tîm sy'n rhedeg y gwasanaeth hwn.",
  receipt: 'Gweld neu ddileu eich stori',
  tab: 'Adborth',
  close: 'Cau',
  useful: "Ydy'r dudalen hon yn ddefnyddiol?",
  yes: 'Ydy',
  no: 'Nac ydy',
  notSent: "Nid oedd modd anfon eich adborth. Cysylltwch â'r gwasanaeth mewn ffordd arall.",
  saved:
    "Nid oedd modd anfon eich adborth eto. Mae wedi'i gadw ar y ddyfais hon a bydd yn cael ei anfon yn awtomatig.",
  privacy: 'Sut rydym yn defnyddio eich adborth',
};
