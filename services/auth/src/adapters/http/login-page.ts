/** The sign-in form: plain HTML, works without JavaScript, readable on a phone. */
export function loginPage(options: { action: string; error?: string }): string {
  const error = options.error ? `<p role="alert" class="error">${escapeHtml(options.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Burger</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;padding:.6rem;font-size:1rem;box-sizing:border-box}button{margin-top:1.2rem;width:100%;padding:.7rem;font-size:1rem}
.error{color:#b00020}</style></head>
<body><h1>Sign in</h1>${error}
<form method="post" action="${escapeHtml(options.action)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
