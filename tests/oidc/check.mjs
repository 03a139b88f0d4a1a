// Self-check for provider.mjs: runs the real browser + relying-party flows against it with
// plain HTTP (cookie jar, manual redirects) and checks every tamper mode.
//
//   node tests/oidc/check.mjs [-v] [--slow]
//   -v (or CHECK_VERBOSE=1) prints every HTTP step; --slow also waits 62 s to test code expiry.
//
// Exits 0 when every check passed.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import * as jose from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
const verbose = process.argv.includes('-v') || process.env.CHECK_VERBOSE === '1';
const log = (...a) => { if (verbose) console.log(...a); };

let failures = 0;
let passes = 0;
function check(cond, what) {
  if (cond) { passes += 1; log(`  ok   ${what}`); } else { failures += 1; console.log(`  FAIL ${what}`); }
}

const REDIRECT_URI = 'http://127.0.0.1:5555/auth/callback';
const POST_LOGOUT = 'http://127.0.0.1:5555/';
const CLIENT_ID = 'waypoint';
const SECRET = 'waypoint-test-secret';
const SCOPE = 'openid email profile affiliation';

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const decodeJwt = (t) => {
  const [h, p, s] = t.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')), sig: s, parts: [h, p, s] };
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

// ------------------------------------------------------------------ provider process
async function startProvider({ kid = 'k1', tamper = null, accounts } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'oidc-check-'));
  const cfgPath = join(dir, 'config.json');
  writeFileSync(cfgPath, JSON.stringify({
    port,
    kid,
    client: { client_id: CLIENT_ID, client_secret: SECRET, redirect_uris: [REDIRECT_URI], post_logout_redirect_uris: [POST_LOGOUT] },
    accounts: accounts ?? {
      alice: { sub: 'alice-sub', email: 'alice@northfield.edu', email_verified: true, name: 'Alice Student', eduPersonAffiliation: 'student', groups: [] },
      carol: { sub: 'carol-sub', email: 'carol@northfield.edu', name: 'Carol Counselor', eduPersonAffiliation: ['staff', 'member'], groups: ['career-office'], student_number: 'S-42', favourite_colour: 'teal' },
    },
    tamper,
  }));
  const child = spawn(process.execPath, [join(here, 'provider.mjs'), cfgPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let stdout = '';
  const ready = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`provider did not become ready: ${stderr}`)), 15000);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) { clearTimeout(t); resolve(stdout.split('\n')[0]); }
    });
    child.on('exit', (code) => { clearTimeout(t); reject(new Error(`provider exited ${code}: ${stderr}`)); });
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    port, issuer: `http://127.0.0.1:${port}`, ready, child, exited, getStdout: () => stdout, getStderr: () => stderr,
    async stop() { child.stdin.end(); await exited; rmSync(dir, { recursive: true, force: true }); },
  };
}

// ------------------------------------------------------------------ tiny browser
class Browser {
  constructor() { this.cookies = []; } // {name, value, path}
  cookieHeader(url) {
    const { pathname } = new URL(url);
    return this.cookies
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${c.value}`).join('; ');
  }
  store(res) {
    const set = res.headers.getSetCookie();
    for (const line of set) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = false;
      for (const a of attrs) {
        const [k, v] = a.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'expires' && new Date(v) < new Date()) expired = true;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      }
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired && value !== '') this.cookies.push({ name, value, path });
      log(`       Set-Cookie ${name} path=${path}${expired ? ' (deleted)' : ''}   [${attrs.join('; ')}]`);
    }
  }
  async request(method, url, { form, headers = {} } = {}) {
    const h = { ...headers };
    const cookie = this.cookieHeader(url);
    if (cookie) h.cookie = cookie;
    let body;
    if (form) { body = new URLSearchParams(form).toString(); h['content-type'] = 'application/x-www-form-urlencoded'; }
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
    const u = new URL(url);
    log(`  -> ${method} ${u.pathname}${u.search.length > 90 ? `${u.search.slice(0, 90)}...` : u.search}${form ? `  form: ${new URLSearchParams(form)}` : ''}${cookie ? `  cookies: ${cookie.split('; ').map((c) => c.split('=')[0]).join(',')}` : ''}`);
    log(`  <- ${res.status}${res.headers.get('location') ? ` Location: ${res.headers.get('location')}` : ''}`);
    this.store(res);
    const text = await res.text();
    return { status: res.status, location: res.headers.get('location'), text, headers: res.headers };
  }
}

function parseForm(html) {
  const m = html.match(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i)
    ?? html.match(/<form[^>]*>([\s\S]*?)<\/form>/i);
  const formTag = html.match(/<form[^>]*>/i)?.[0] ?? '';
  const action = formTag.match(/action="([^"]*)"/)?.[1]?.replace(/&amp;/g, '&');
  const inputs = {};
  for (const inp of (m?.[0] ?? '').matchAll(/<input[^>]*>/gi)) {
    const name = inp[0].match(/name="([^"]*)"/)?.[1];
    const value = inp[0].match(/value="([^"]*)"/)?.[1] ?? '';
    if (name) inputs[name] = value;
  }
  return { action, inputs, method: formTag.match(/method="([^"]*)"/)?.[1] };
}

function pkcePair() {
  const verifier = b64u(randomBytes(32));
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

// Whole browser part of the flow; returns the callback URL (never requested).
async function authorize(p, browser, { login = 'alice', extra = {}, expectLogin = true } = {}) {
  const { verifier, challenge } = pkcePair();
  const state = b64u(randomBytes(12));
  const nonce = b64u(randomBytes(12));
  const q = new URLSearchParams({
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: SCOPE,
    state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  });
  let res = await browser.request('GET', `${p.issuer}/auth?${q}`);
  let sawLogin = false;
  let sawConsent = false;
  for (let i = 0; i < 10; i += 1) {
    if (res.status === 303 || res.status === 302) {
      const loc = new URL(res.location, p.issuer).href;
      if (loc.startsWith(REDIRECT_URI)) {
        return { callback: new URL(loc), state, nonce, verifier, sawLogin, sawConsent };
      }
      res = await browser.request('GET', loc);
    } else if (res.status === 200 && /name="prompt" value="login"/.test(res.text)) {
      sawLogin = true;
      const f = parseForm(res.text);
      log(`     login form: method=${f.method} action=${f.action} inputs=${JSON.stringify(f.inputs)}`);
      res = await browser.request('POST', new URL(f.action, p.issuer).href, { form: { ...f.inputs, prompt: 'login', login, password: 'x' } });
    } else if (res.status === 200 && /name="prompt" value="consent"/.test(res.text)) {
      sawConsent = true;
      const f = parseForm(res.text);
      res = await browser.request('POST', new URL(f.action, p.issuer).href, { form: { ...f.inputs, prompt: 'consent' } });
    } else {
      throw new Error(`unexpected response ${res.status}: ${res.text.slice(0, 500)}`);
    }
  }
  if (expectLogin) throw new Error('too many redirects');
  return null;
}

async function token(p, form, { auth = `${CLIENT_ID}:${SECRET}`, post = false } = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = { ...form };
  if (post) { body.client_id = CLIENT_ID; body.client_secret = SECRET; } else if (auth) headers.authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
  const res = await fetch(`${p.issuer}/token`, { method: 'POST', headers, body: new URLSearchParams(body) });
  log(`  -> POST /token  form: ${Object.keys(body).join(',')}${headers.authorization ? '  + Authorization: Basic' : ''}`);
  const json = await res.json();
  log(`  <- ${res.status} ${JSON.stringify(Object.keys(json))}${json.error ? ` ${json.error}: ${json.error_description}` : ''}`);
  return { status: res.status, json };
}

const codeForm = (a) => ({ grant_type: 'authorization_code', code: a.callback.searchParams.get('code'), redirect_uri: REDIRECT_URI, code_verifier: a.verifier });

// ------------------------------------------------------------------ main flow
async function mainFlow() {
  console.log('main flow (tamper=null)');
  const p = await startProvider();
  try {
    check(p.ready === `READY ${p.issuer}`, `stdout first line is "READY ${p.issuer}"`);
    log('discovery');
    const disco = await (await fetch(`${p.issuer}/.well-known/openid-configuration`)).json();
    check(disco.issuer === p.issuer, 'discovery issuer has no trailing slash');
    check(disco.authorization_endpoint === `${p.issuer}/auth`, 'authorization_endpoint /auth');
    check(disco.token_endpoint === `${p.issuer}/token`, 'token_endpoint /token');
    check(disco.userinfo_endpoint === `${p.issuer}/me`, 'userinfo_endpoint /me');
    check(disco.jwks_uri === `${p.issuer}/jwks`, 'jwks_uri /jwks');
    check(disco.end_session_endpoint === `${p.issuer}/session/end`, 'end_session_endpoint /session/end');
    check(disco.scopes_supported?.includes('affiliation'), 'scopes_supported includes affiliation');
    check(disco.code_challenge_methods_supported?.includes('S256'), 'S256 supported');
    check(disco.claims_supported?.includes('eduPersonAffiliation') && disco.claims_supported?.includes('groups'), 'claims_supported has custom claims');
    check(disco.authorization_response_iss_parameter_supported === true, 'authorization_response_iss_parameter_supported');
    log(`  discovery: ${JSON.stringify({ token_endpoint_auth_methods_supported: disco.token_endpoint_auth_methods_supported, id_token_signing_alg_values_supported: disco.id_token_signing_alg_values_supported, claims_supported: disco.claims_supported })}`);
    const jwks = await (await fetch(disco.jwks_uri)).json();
    check(jwks.keys.length === 1 && jwks.keys[0].kid === 'k1' && jwks.keys[0].alg === 'RS256' && !jwks.keys[0].d, 'JWKS has one public RS256 key with kid k1');
    const JWKS = jose.createLocalJWKSet(jwks);

    log('authorization (alice)');
    const browser = new Browser();
    const a = await authorize(p, browser);
    check(a.sawLogin && !a.sawConsent, 'login form shown, consent skipped');
    check(a.callback.searchParams.get('state') === a.state, 'callback has state');
    check(a.callback.searchParams.get('iss') === p.issuer, 'callback has iss');
    check(!!a.callback.searchParams.get('code'), 'callback has code');

    log('token exchange');
    const t = await token(p, codeForm(a));
    check(t.status === 200 && t.json.token_type === 'Bearer' && t.json.access_token && t.json.id_token, 'token endpoint returns access_token + id_token');
    check(t.json.expires_in === 3600 && t.json.scope === SCOPE && t.json.access_token.length === 43 && !t.json.refresh_token, `token response shape ${JSON.stringify({ ...t.json, access_token: t.json.access_token.length, id_token: '...' })}`);
    const idt = decodeJwt(t.json.id_token);
    check(idt.header.kid === 'k1' && idt.header.alg === 'RS256', `id_token header ${JSON.stringify(idt.header)}`);
    const { payload } = await jose.jwtVerify(t.json.id_token, JWKS, { issuer: p.issuer, audience: CLIENT_ID });
    log(`     id_token payload: ${JSON.stringify(payload)}`);
    check(payload.sub === 'alice-sub', 'sub alice-sub');
    check(payload.nonce === a.nonce, 'nonce');
    check(typeof payload.at_hash === 'string', 'at_hash present');
    const expectAtHash = createHash('sha256').update(t.json.access_token).digest().subarray(0, 16).toString('base64url');
    check(payload.at_hash === expectAtHash, 'at_hash matches access token');
    check(payload.eduPersonAffiliation === 'student' && Array.isArray(payload.groups) && payload.groups.length === 0, 'eduPersonAffiliation + groups in id_token');
    check(payload.email === 'alice@northfield.edu' && payload.email_verified === true && payload.name === 'Alice Student', 'email/name in id_token');

    log('userinfo');
    const me = await fetch(`${p.issuer}/me`, { headers: { authorization: `Bearer ${t.json.access_token}` } });
    const meJson = await me.json();
    log(`  <- GET /me ${me.status} ${JSON.stringify(meJson)}`);
    check(me.status === 200 && meJson.sub === 'alice-sub' && meJson.eduPersonAffiliation === 'student' && meJson.email === 'alice@northfield.edu', 'userinfo /me');

    log('replayed code');
    const replay = await token(p, codeForm(a));
    check(replay.status === 400 && replay.json.error === 'invalid_grant', 'replayed code -> invalid_grant');
    const meAfter = await fetch(`${p.issuer}/me`, { headers: { authorization: `Bearer ${t.json.access_token}` } });
    log(`  <- GET /me after replay: ${meAfter.status} ${meAfter.headers.get('www-authenticate')}`);
    check(meAfter.status === 401, 'replay revokes the access token issued for that code (/me -> 401)');

    log('SSO: second /auth in the same browser session (no prompt=login)');
    const a2 = await authorize(p, browser);
    check(!a2.sawLogin && !a2.sawConsent && a2.callback.searchParams.get('code'), 'existing session -> straight redirect to callback');

    log('wrong code_verifier');
    const a3 = await authorize(p, new Browser());
    const bad = await token(p, { ...codeForm(a3), code_verifier: pkcePair().verifier });
    check(bad.status === 400 && bad.json.error === 'invalid_grant', 'wrong code_verifier -> invalid_grant');

    log('missing code_verifier');
    const a3b = await authorize(p, new Browser());
    const noV = codeForm(a3b); delete noV.code_verifier;
    const nov = await token(p, noV);
    check(nov.status === 400 && nov.json.error === 'invalid_grant', `missing code_verifier -> ${nov.json.error}`);

    log('wrong secret');
    const a4 = await authorize(p, new Browser());
    const ws = await token(p, codeForm(a4), { auth: `${CLIENT_ID}:nope` });
    check(ws.status === 401 && ws.json.error === 'invalid_client', `wrong secret -> ${ws.status} invalid_client`);
    log('client_secret_post with the same (still unused) code');
    const pst = await token(p, codeForm(a4), { post: true });
    log(`     client_secret_post -> ${pst.status} ${pst.json.error ?? 'ok'}`);
    check(pst.status === 200 && pst.json.id_token, 'client_secret_post is accepted as well (oidc-provider treats basic/post alike)');

    log('authorization request without PKCE');
    const noPkce = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: SCOPE, state: 's', nonce: 'n' });
    const np = await new Browser().request('GET', `${p.issuer}/auth?${noPkce}`);
    const npLoc = np.location ? new URL(np.location) : null;
    check(np.status === 303 && npLoc?.href.startsWith(REDIRECT_URI) && npLoc.searchParams.get('error') === 'invalid_request', `no code_challenge -> redirect with error=${npLoc?.searchParams.get('error')}`);

    log('carol (array affiliation, groups, extra claims)');
    const ac = await authorize(p, new Browser(), { login: 'carol' });
    const tc = await token(p, codeForm(ac));
    const pc = (await jose.jwtVerify(tc.json.id_token, JWKS, { issuer: p.issuer, audience: CLIENT_ID })).payload;
    log(`     id_token payload: ${JSON.stringify(pc)}`);
    check(pc.sub === 'carol-sub' && JSON.stringify(pc.eduPersonAffiliation) === '["staff","member"]' && JSON.stringify(pc.groups) === '["career-office"]', 'carol claims');
    check(pc.student_number === 'S-42' && pc.favourite_colour === 'teal', 'extra account keys released (student_number, favourite_colour)');
    check(!('email_verified' in pc), 'no email_verified when the account has none');

    log('unknown login name (zed)');
    const az = await authorize(p, new Browser(), { login: 'zed' });
    const tz = await token(p, codeForm(az));
    const pz = (await jose.jwtVerify(tz.json.id_token, JWKS, { issuer: p.issuer, audience: CLIENT_ID })).payload;
    log(`     id_token payload: ${JSON.stringify(pz)}`);
    check(pz.sub === 'zed' && pz.email === 'zed@northfield.edu' && pz.name === 'zed' && !('eduPersonAffiliation' in pz) && !('groups' in pz), 'unknown login -> default account');
    const mz = await (await fetch(`${p.issuer}/me`, { headers: { authorization: `Bearer ${tz.json.access_token}` } })).json();
    check(mz.sub === 'zed' && mz.email === 'zed@northfield.edu', 'unknown login /me');

    log('RP-initiated logout (id_token_hint + post_logout_redirect_uri + state), no JavaScript');
    const lb = new Browser();
    const al = await authorize(p, lb);
    const tl = await token(p, codeForm(al));
    const lq = new URLSearchParams({ id_token_hint: tl.json.id_token, post_logout_redirect_uri: POST_LOGOUT, state: 'bye' });
    const l1 = await lb.request('GET', `${p.issuer}/session/end?${lq}`);
    const lf = parseForm(l1.text);
    log(`     logout page form: method=${lf.method} action=${lf.action} inputs=${JSON.stringify(Object.keys(lf.inputs))} autosubmit=${/forms\[0\]\.submit\(\)/.test(l1.text)}`);
    check(l1.status === 200 && lf.action === `${p.issuer}/session/end/confirm` && lf.inputs.logout === 'yes' && lf.inputs.xsrf, 'logout page: form to /session/end/confirm with xsrf + logout=yes');
    const l2 = await lb.request('POST', lf.action, { form: lf.inputs });
    check(l2.status === 303 && l2.location === `${POST_LOGOUT}?state=bye`, `confirm -> 303 ${l2.location}`);
    check(!lb.cookies.some((c) => c.name === '_session'), 'session cookie cleared');
    const meL = await fetch(`${p.issuer}/me`, { headers: { authorization: `Bearer ${tl.json.access_token}` } });
    log(`     /me with the pre-logout access token: ${meL.status}`);
    const after = await authorize(p, lb);
    check(after.sawLogin, 'after logout, /auth shows the login form again');

    log('RP-initiated logout with client_id only (no id_token_hint)');
    const lq2 = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: POST_LOGOUT });
    const m1 = await lb.request('GET', `${p.issuer}/session/end?${lq2}`);
    const mf = parseForm(m1.text);
    const m2 = await lb.request('POST', mf.action, { form: mf.inputs });
    check(m2.status === 303 && m2.location === POST_LOGOUT, `client_id logout -> ${m2.location}`);

    log('logout without post_logout_redirect_uri');
    await authorize(p, lb);
    const o1 = await lb.request('GET', `${p.issuer}/session/end?client_id=${CLIENT_ID}`);
    const of = parseForm(o1.text);
    const o2 = await lb.request('POST', of.action, { form: of.inputs });
    check(o2.status === 303 && o2.location === `${p.issuer}/session/end/success`, `no post_logout_redirect_uri -> ${o2.location}`);
    const o3 = await lb.request('GET', o2.location);
    check(o3.status === 200 && /Sign-out Success/.test(o3.text), 'success page');

    if (process.argv.includes('--slow')) {
      log('authorization code older than 60 s');
      const ae = await authorize(p, new Browser());
      await new Promise((r) => { setTimeout(r, 62000); });
      const te = await token(p, codeForm(ae));
      check(te.status === 400 && te.json.error === 'invalid_grant', `expired code -> ${te.json.error}`);
    }

    log('logout with an unregistered post_logout_redirect_uri');
    const bad3 = await new Browser().request('GET', `${p.issuer}/session/end?${new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: 'http://127.0.0.1:5555/elsewhere' })}`);
    check(bad3.status === 400 && /post_logout_redirect_uri not registered/.test(bad3.text), 'unregistered post_logout_redirect_uri -> 400');

    log('logout without a session (auto-posting form, no user)');
    const n1 = await new Browser().request('GET', `${p.issuer}/session/end?${lq2}`);
    const nf = parseForm(n1.text);
    check(n1.status === 200 && nf.inputs.logout === 'yes' && nf.inputs.xsrf, 'logout page without session also has xsrf + logout=yes');

    check(p.getStdout() === `READY ${p.issuer}\n`, 'nothing else on stdout');
    return { jwk: jwks.keys[0] };
  } finally {
    await p.stop();
    const ex = await p.exited;
    check(ex.code === 0, `exits 0 on stdin EOF (got ${JSON.stringify(ex)})`);
    if (failures) console.log(p.getStderr());
  }
}

// ------------------------------------------------------------------ tamper modes
async function tamperFlow(mode) {
  console.log(`tamper=${mode}`);
  const p = await startProvider({ tamper: mode });
  try {
    const jwks = await (await fetch(`${p.issuer}/jwks`)).json();
    const JWKS = jose.createLocalJWKSet(jwks);
    const a = await authorize(p, new Browser());
    const t = await token(p, codeForm(a));
    check(t.status === 200 && typeof t.json.id_token === 'string' && t.json.access_token, 'token response still 200 with tokens');
    const idt = decodeJwt(t.json.id_token);
    log(`     header ${JSON.stringify(idt.header)} payload ${JSON.stringify(idt.payload)}`);
    const expectAtHash = createHash('sha256').update(t.json.access_token).digest().subarray(0, 16).toString('base64url');
    check(idt.payload.at_hash === expectAtHash, 'at_hash kept');
    check(idt.payload.sub === 'alice-sub' && idt.payload.eduPersonAffiliation === 'student', 'other claims kept');
    const now = Math.floor(Date.now() / 1000);
    const sigOk = async () => { try { await jose.compactVerify(t.json.id_token, JWKS); return true; } catch { return false; } };
    switch (mode) {
      case 'wrong_aud':
        check(idt.payload.aud === 'someone-else' && idt.header.kid === 'k1' && await sigOk(), 'aud someone-else, validly signed');
        check(idt.payload.iss === p.issuer && idt.payload.nonce === a.nonce, 'iss/nonce unchanged');
        break;
      case 'wrong_iss':
        check(idt.payload.iss === 'http://127.0.0.1:1' && await sigOk(), 'iss changed, validly signed');
        break;
      case 'expired':
        check(idt.payload.exp <= now - 7200 && idt.payload.iat < idt.payload.exp && await sigOk(), `exp ${idt.payload.exp - now}s, iat ${idt.payload.iat - now}s relative to now, validly signed`);
        break;
      case 'wrong_nonce':
        check(idt.payload.nonce === 'not-the-nonce' && await sigOk(), 'nonce changed, validly signed');
        break;
      case 'bad_signature':
        check(idt.payload.aud === CLIENT_ID && idt.payload.nonce === a.nonce && idt.header.kid === 'k1', 'claims unchanged');
        check(!(await sigOk()), 'signature fails');
        check(Buffer.from(idt.sig, 'base64url').toString('base64url') === idt.sig && idt.sig.length === 342, 'signature still canonical base64url of 256 bytes');
        break;
      case 'foreign_key':
        check(idt.header.kid === 'k1' && idt.header.alg === 'RS256', 'same kid header');
        check(!(await sigOk()), 'signature fails against the JWKS');
        break;
      case 'alg_none':
        check(JSON.stringify(idt.header) === '{"alg":"none"}' && idt.sig === '' && t.json.id_token.endsWith('.'), 'alg none, empty signature');
        check(idt.payload.nonce === a.nonce && idt.payload.aud === CLIENT_ID, 'payload unchanged');
        break;
      default:
    }
    const me = await fetch(`${p.issuer}/me`, { headers: { authorization: `Bearer ${t.json.access_token}` } });
    check(me.status === 200, 'access token still valid at /me');
  } finally {
    await p.stop();
  }
}

// ------------------------------------------------------------------ userinfo modes
async function userinfoFlow(mode) {
  console.log(`tamper=${mode}`);
  const p = await startProvider({ tamper: mode });
  try {
    const a = await authorize(p, new Browser());
    const t = await token(p, codeForm(a));
    check(t.status === 200 && typeof t.json.id_token === 'string' && t.json.access_token, 'token response 200 with tokens');
    const idt = decodeJwt(t.json.id_token);
    log(`     payload ${JSON.stringify(idt.payload)}`);
    check(idt.payload.sub === 'alice-sub' && idt.payload.nonce === a.nonce, 'ID token: sub and nonce');
    check(idt.payload.email === undefined && idt.payload.eduPersonAffiliation === undefined, 'ID token: no profile claims');
    const me = await fetch(`${p.issuer}/me`, { headers: { authorization: `Bearer ${t.json.access_token}` } });
    const body = await me.json().catch(() => null);
    log(`  <- GET /me ${me.status} ${JSON.stringify(body)}`);
    switch (mode) {
      case 'userinfo_only':
        check(me.status === 200 && body.sub === 'alice-sub' && body.eduPersonAffiliation === 'student' && body.email === 'alice@northfield.edu', 'the claims are at /me');
        break;
      case 'userinfo_error':
        check(me.status === 500 && body?.error === 'server_error', '/me answers 500');
        break;
      case 'userinfo_wrong_sub':
        check(me.status === 200 && body.sub === 'someone-else' && body.email === 'alice@northfield.edu', '/me names another sub');
        break;
      default:
    }
  } finally {
    await p.stop();
  }
}

async function rotationAndSignals(firstJwk) {
  console.log('key rotation + SIGTERM');
  const p = await startProvider({ kid: 'k2' });
  try {
    const jwks = await (await fetch(`${p.issuer}/jwks`)).json();
    check(jwks.keys[0].kid === 'k2' && jwks.keys[0].n !== firstJwk.n, 'restart with kid k2 -> a different key');
  } finally {
    p.child.kill('SIGTERM');
    const ex = await p.exited;
    check(ex.code === 0, `exits 0 on SIGTERM (got ${JSON.stringify(ex)})`);
  }
}

const { jwk } = await mainFlow();
for (const mode of ['wrong_aud', 'wrong_iss', 'expired', 'wrong_nonce', 'bad_signature', 'foreign_key', 'alg_none']) {
  await tamperFlow(mode);
}
for (const mode of ['userinfo_only', 'userinfo_error', 'userinfo_wrong_sub']) {
  await userinfoFlow(mode);
}
await rotationAndSignals(jwk);
console.log(`${passes} checks passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
