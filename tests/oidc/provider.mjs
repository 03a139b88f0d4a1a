// OpenID Connect provider used as a test peer by Waypoint's Rust integration tests.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// Prints exactly one line `READY http://127.0.0.1:PORT` on stdout once listening;
// everything else goes to stderr. Exits when stdin reaches EOF or on SIGTERM/SIGINT.
// See README.md for the config format and the exact HTTP steps of the flows.

// oidc-provider prints notices with console.info (stdout); keep stdout for READY only.
console.log = console.info = console.debug = (...args) => console.error(...args);

import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import Provider from 'oidc-provider';

function fail(msg) {
  console.error(`provider.mjs: ${msg}`);
  process.exit(2);
}

const configPath = process.argv[2];
if (!configPath) fail('usage: node provider.mjs CONFIG.json');

let config;
try {
  config = JSON.parse(readFileSync(configPath, 'utf8'));
} catch (err) {
  fail(`cannot read config ${configPath}: ${err.message}`);
}

const port = Number(config.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail('config.port must be a TCP port');
const kid = String(config.kid ?? 'k1');
const clientConfig = config.client ?? fail('config.client is required');
const accounts = config.accounts ?? {};
const tamper = config.tamper ?? null;
const ID_TOKEN_MODES = ['wrong_aud', 'wrong_iss', 'expired', 'wrong_nonce', 'bad_signature', 'foreign_key', 'alg_none'];
// The userinfo modes keep the profile claims out of the ID token (only `sub` and the
// protocol claims stay, as with many campus providers), so that userinfo is the only
// source of email, affiliation and groups; then userinfo works, fails, or lies about `sub`.
const USERINFO_MODES = ['userinfo_only', 'userinfo_error', 'userinfo_wrong_sub'];
const TAMPER_MODES = [...ID_TOKEN_MODES, ...USERINFO_MODES];
if (tamper !== null && !TAMPER_MODES.includes(tamper)) {
  fail(`config.tamper must be null or one of ${TAMPER_MODES.join(', ')}`);
}

const issuer = `http://127.0.0.1:${port}`;

// ---------------------------------------------------------------- signing key
// A fresh RSA key on every start: restarting (with another kid) rotates the key.
const { privateKey } = await jose.generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
const privateJwk = { ...(await jose.exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

// ---------------------------------------------------------------- accounts and claims
const STANDARD_KEYS = new Set([
  'sub', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'preferred_username',
  'eduPersonAffiliation', 'groups', 'student_number',
]);
// Extra keys present in any configured account are released with the `affiliation` scope too.
const extraKeys = [...new Set(Object.values(accounts).flatMap((a) => Object.keys(a ?? {})))]
  .filter((k) => !STANDARD_KEYS.has(k));

const claims = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  affiliation: ['eduPersonAffiliation', 'groups', 'student_number', ...extraKeys],
};
const SCOPES = ['openid', 'email', 'profile', 'affiliation'];
const ALL_CLAIMS = [...new Set(Object.values(claims).flat())];

// oidc-provider always uses the account's accountId as the `sub` claim, and devInteractions
// stores the typed login name as the session's accountId. So the login name is translated to
// the configured `sub` when the login form is posted (see the middleware below), and
// findAccount accepts a `sub` (normal case) or a login name.
const loginBySub = new Map(Object.entries(accounts).map(([login, a]) => [String(a?.sub ?? login), login]));
const subForLogin = (login) => (Object.prototype.hasOwnProperty.call(accounts, login)
  ? String(accounts[login]?.sub ?? login) : login);

function accountFor(id) {
  const login = loginBySub.get(id) ?? id;
  const configured = Object.prototype.hasOwnProperty.call(accounts, login) ? accounts[login] : null;
  const data = configured
    ? { ...configured, sub: String(configured.sub ?? login) }
    : { sub: login, email: `${login}@northfield.edu`, name: login };
  return {
    accountId: data.sub,
    async claims() {
      return { ...data };
    },
  };
}

// ---------------------------------------------------------------- provider
const provider = new Provider(issuer, {
  clients: [{
    client_id: clientConfig.client_id,
    client_secret: clientConfig.client_secret,
    redirect_uris: clientConfig.redirect_uris,
    post_logout_redirect_uris: clientConfig.post_logout_redirect_uris ?? [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  async findAccount(ctx, id) {
    return accountFor(id);
  },
  claims,
  scopes: SCOPES,
  conformIdTokenClaims: USERINFO_MODES.includes(tamper),
  pkce: { required: () => true },
  jwks: { keys: [privateJwk] },
  cookies: { keys: ['waypoint-oidc-test-cookie-key-1', 'waypoint-oidc-test-cookie-key-2'] },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 3600,
    Session: 86400,
    Grant: 86400,
  },
  // Skip the consent screen: every sign-in gets a grant covering all scopes and claims.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.account.accountId,
    });
    grant.addOIDCScope(SCOPES.join(' '));
    grant.addOIDCClaims(ALL_CLAIMS);
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // Logout confirmation that needs no click: the form already carries logout=yes and
      // submits itself; without JavaScript, POST the form (xsrf + logout=yes) yourself.
      async logoutSource(ctx, form) {
        const autoForm = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
        ctx.body = `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>Logout Request</title>
  <script>document.addEventListener('DOMContentLoaded', function () { document.forms[0].submit() });</script>
</head>
<body>
  ${autoForm}
  <noscript><button autofocus type="submit" form="op.logoutForm">Yes, sign me out</button></noscript>
</body>
</html>`;
      },
    },
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>oops! something went wrong</title></head><body>${
      Object.entries(out).map(([k, v]) => `<pre><strong>${esc(k)}</strong>: ${esc(v)}</pre>`).join('')}</body></html>`;
  },
});

for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error', 'end_session.error', 'jwks.error', 'discovery.error', 'backchannel.error']) {
  provider.on(event, (ctx, err) => {
    const e = err ?? ctx;
    console.error(`oidc-provider ${event}: ${e?.name ?? ''} ${e?.message ?? e}${e?.error_description ? ` (${e.error_description})` : ''}`);
    if (event === 'server_error' && e?.stack) console.error(e.stack);
  });
}

// oidc-provider 9 leaves at_hash out of ID tokens issued by the token endpoint (it is optional
// there). Add it, computed by oidc-provider itself from the opaque access token (its jti).
const originalIssue = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = async function issueWithAtHash(options = {}) {
  const at = this.ctx?.oidc?.entities?.AccessToken;
  if (options.use === 'idtoken' && this.ctx?.oidc?.route === 'token' && at?.jti && !this.extra.at_hash) {
    this.set('at_hash', at.jti);
  }
  return originalIssue.call(this, options);
};

// Login form post: translate the typed login name to the account's `sub` and finish the login
// interaction exactly like devInteractions does (any password is accepted).
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && /^\/interaction\/[^/]+$/.test(ctx.path)
    && ctx.is('application/x-www-form-urlencoded')) {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    const form = new URLSearchParams(raw);
    if (form.get('prompt') === 'login' && form.get('login')) {
      let details;
      try {
        details = await provider.interactionDetails(ctx.req, ctx.res);
      } catch (err) { // e.g. missing/expired interaction cookie
        console.error(`oidc-provider login.error: ${err.error ?? err.name} (${err.error_description ?? err.message})`);
        ctx.status = err.statusCode ?? 500;
        ctx.body = { error: err.error ?? 'server_error', error_description: err.error_description ?? err.message };
        return;
      }
      if (details.prompt.name === 'login') {
        ctx.respond = false;
        await provider.interactionFinished(ctx.req, ctx.res, {
          login: { accountId: subForLogin(form.get('login')) },
        }, { mergeWithLastSubmission: false });
        return;
      }
    }
    ctx.request.body = raw; // hand the already-read body on to devInteractions
  }
  await next();
});

// ---------------------------------------------------------------- tamper
const b64json = (obj) => jose.base64url.encode(JSON.stringify(obj));
const decodePart = (part) => JSON.parse(new TextDecoder().decode(jose.base64url.decode(part)));

async function sign(header, payload, key) {
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(key);
}

let foreignKey;
async function tamperIdToken(mode, idToken) {
  const [h, p, s] = idToken.split('.');
  const header = decodePart(h);
  const payload = decodePart(p);
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'wrong_aud':
      return sign(header, { ...payload, aud: 'someone-else' }, privateKey);
    case 'wrong_iss':
      return sign(header, { ...payload, iss: 'http://127.0.0.1:1' }, privateKey);
    case 'expired': {
      const lifetime = (payload.exp ?? now + 3600) - (payload.iat ?? now);
      const exp = now - 2 * 3600;
      return sign(header, { ...payload, exp, iat: exp - lifetime }, privateKey);
    }
    case 'wrong_nonce':
      return sign(header, { ...payload, nonce: 'not-the-nonce' }, privateKey);
    case 'bad_signature': {
      // Flip the last 4 bytes of the signature and re-encode canonically, so the token still
      // decodes cleanly and only the signature check fails (its last ~6 characters change).
      const sig = Buffer.from(s, 'base64url');
      for (let i = sig.length - 4; i < sig.length; i += 1) sig[i] ^= 0xff;
      return `${h}.${p}.${sig.toString('base64url')}`;
    }
    case 'foreign_key': {
      foreignKey ??= (await jose.generateKeyPair('RS256', { modulusLength: 2048 })).privateKey;
      return sign(header, payload, foreignKey);
    }
    case 'alg_none':
      return `${b64json({ alg: 'none' })}.${p}.`;
    default:
      return idToken;
  }
}

if (ID_TOKEN_MODES.includes(tamper)) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.method === 'POST' && ctx.status === 200
      && ctx.body && typeof ctx.body === 'object' && typeof ctx.body.id_token === 'string') {
      ctx.body = { ...ctx.body, id_token: await tamperIdToken(tamper, ctx.body.id_token) };
    }
  });
}

if (tamper === 'userinfo_error' || tamper === 'userinfo_wrong_sub') {
  provider.use(async (ctx, next) => {
    if (ctx.path === '/me' && tamper === 'userinfo_error') {
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'userinfo is out of order (tamper)' };
      return;
    }
    await next();
    if (ctx.path === '/me' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      ctx.body = { ...ctx.body, sub: 'someone-else' };
    }
  });
}

// ---------------------------------------------------------------- lifecycle
const server = provider.listen(port, '127.0.0.1');
server.on('error', (err) => fail(`cannot listen on 127.0.0.1:${port}: ${err.message}`));
server.on('listening', () => {
  process.stdout.write(`READY ${issuer}\n`);
});

let stopping = false;
function shutdown(reason) {
  if (stopping) return;
  stopping = true;
  console.error(`provider.mjs: exiting (${reason})`);
  server.close();
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 50).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
process.stdin.on('end', () => shutdown('stdin EOF'));
process.stdin.on('error', () => shutdown('stdin error'));
process.stdin.on('data', () => {});
process.stdin.resume();
