/**
 * The two pages people see during an OAuth sign-in: the consent page (which client, which Home Assistant
 * user, read-only or control) and an error page for requests that cannot go back to the client. Server
 * rendered, self-contained (no scripts, no external assets), in Home Assistant's colours.
 */
import { html, raw } from 'hono/html';
import type { ConsentView } from './sign-in.js';

const STYLE = raw(`<style>
  :root { color-scheme: light dark; --primary: #009ac7; --bg: #fafafa; --card: #fff; --text: #141414; --muted: #5e5e5e; --line: rgba(0,0,0,.12); }
  @media (prefers-color-scheme: dark) { :root { --bg: #111; --card: #1c1c1c; --text: #e1e1e1; --muted: #9b9b9b; --line: rgba(225,225,225,.12); } }
  body { margin: 0; font-family: Roboto, Noto, sans-serif; background: var(--bg); color: var(--text); display: grid; place-items: center; min-height: 100vh; }
  main { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 24px; max-width: 440px; margin: 16px; }
  h1 { font-size: 20px; font-weight: 400; margin: 0 0 16px; }
  p { line-height: 1.5; }
  .muted { color: var(--muted); font-size: 14px; }
  code { word-break: break-all; }
  label { display: flex; gap: 8px; align-items: flex-start; margin: 16px 0; }
  .buttons { display: flex; gap: 8px; justify-content: flex-end; margin-top: 24px; }
  button { font: inherit; font-weight: 500; border-radius: 9999px; padding: 8px 20px; cursor: pointer; border: 1px solid var(--line); background: transparent; color: var(--primary); }
  button[value=approve] { background: var(--primary); color: #fff; border-color: var(--primary); }
</style>`);

export function consentPage(view: ConsentView, action: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Allow ${view.clientName}? · Home Assistant</title>
        ${STYLE}
      </head>
      <body>
        <main>
          <h1>Allow <strong>${view.clientName}</strong> to use your home?</h1>
          <p class="muted">
            Client: <code>${view.clientId}</code><br />Returns to: <code>${view.returnsTo}</code>
          </p>
          <p>
            It will act as <strong>${view.userName}</strong> through the MCP Server add-on, and see only what
            is exposed to Assist.
          </p>
          <form method="post" action="${action}">
            <input type="hidden" name="request" value="${view.requestId}" />
            <input type="hidden" name="csrf" value="${view.csrf}" />
            ${
              view.wantsControl
                ? html`<label
                    ><input type="checkbox" id="control" name="control" checked />
                    <span
                      >Let it control devices (turn things on and off, run scripts). Without this it can only
                      read.</span
                    ></label
                  >`
                : html`<p>It asks to read only.</p>`
            }
            <div class="buttons">
              <button type="submit" name="decision" value="deny" id="deny">Deny</button>
              <button type="submit" name="decision" value="approve" id="approve">Allow</button>
            </div>
          </form>
        </main>
      </body>
    </html>`;
}

export function errorPage(message: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Sign-in problem · Home Assistant</title>
        ${STYLE}
      </head>
      <body>
        <main>
          <h1>This sign-in cannot go on</h1>
          <p id="error">${message}</p>
        </main>
      </body>
    </html>`;
}
