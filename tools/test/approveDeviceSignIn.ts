import { CookieSession } from '../../packages/platform/src/auth/index.ts';

/**
 * Does in a browser what a person does for `ates login`: opens the link, confirms the
 * code, signs in with password (and beak shape) when asked. Resolves on the success page.
 */
export async function approveDeviceSignIn(
  verificationUri: string,
  who: { email: string; password: string; beakShape?: string },
): Promise<void> {
  const browser = new CookieSession();
  const start = new URL(verificationUri);
  let current = await browser.follow(await browser.fetch(start), start);
  for (let step = 0; step < 6; step += 1) {
    const page = await current.response.text();
    if (page.includes('The command line is signed in')) return;
    if (current.url.pathname.startsWith('/interaction/')) {
      const submitted = await browser.postForm(new URL(`${current.url.pathname}/login`, current.url), {
        email: who.email,
        password: who.password,
        beak: who.beakShape ?? '',
      });
      current = await browser.follow(submitted, current.url);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"[^>]*>/.exec(page)?.[1];
    if (!action) throw new Error(`no form to go on with at ${current.url.pathname} (${current.response.status})`);
    const fields = Object.fromEntries(
      [...page.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]),
    );
    current = await browser.follow(await browser.postForm(new URL(action, current.url), fields), current.url);
  }
  throw new Error('the device sign-in did not reach its success page');
}
