// Watches `wrangler dev`'s output for the emails it writes (.eml files) and prints any console
// sign-in link in them, so a person trying Tellus locally needs no mail server.
import { readFileSync } from 'node:fs';
import PostalMime from 'postal-mime';
import { emlPathOf } from './wrangler.ts';

/** The console sign-in links in one email's raw text. */
export async function signInLinks(raw: string): Promise<string[]> {
  const email = await PostalMime.parse(raw);
  return email.text?.match(/https?:\/\/\S+\/console\/sign-in\/[\w-]+/g) ?? [];
}

/** Passes each line of wrangler's output through, and prints the sign-in links of each email it wrote. */
export async function printSignInLinks(line: string, print: (text: string) => void = console.log) {
  const file = emlPathOf(line);
  if (!file) return;
  try {
    for (const link of await signInLinks(readFileSync(file, 'utf8'))) {
      print(`[console] Sign-in link (open it within 15 minutes): ${link}`);
    }
  } catch (err) {
    console.error(`[console] Could not read ${file}: ${String(err)}`);
  }
}
