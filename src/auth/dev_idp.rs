//! Demo mode only: a small OpenID provider at `/dev-idp`, so that a newcomer signs in
//! through the very same OIDC code as production, picking any seeded person. It has
//! discovery, JWKS (an RS256 key made at start), authorize (a page to pick a person),
//! token (PKCE S256 checked, codes single-use), userinfo and logout. Without `--demo`
//! none of these routes exist.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use diesel::prelude::*;
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    AccessToken, Audience, AuthorizationCode, EndUserEmail, EndUserName, IdToken, IdTokenClaims, IssuerUrl,
    JsonWebKeyId, JsonWebKeySet, LocalizedClaim, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::csrf::{anonymous_token, CheckedForm};
use super::extract::MaybeViewer;
use super::oidc::ExtraClaims;
use super::tokens;
use super::views::{ChooserPage, PeopleGroup, Person};
use super::AuthContext;
use crate::config::Settings;
use crate::core::{Role, StudentId, UserId};
use crate::db::schema::{faculty, students, user_roles, users};
use crate::db::{self, Pool};
use crate::web::pages::context;
use crate::web::{AppError, Templates};

pub const CLIENT_ID: &str = "waypoint-demo";
const CODE_TTL: Duration = Duration::from_secs(120);
const TOKEN_TTL: Duration = Duration::from_secs(600);

struct Grant {
    claims: Map<String, Value>,
    nonce: Option<String>,
    challenge: String,
    redirect_uri: String,
    made: Instant,
}

/// The access tokens handed out: each with the claims userinfo answers and when it was made.
type AccessTokens = HashMap<String, (Map<String, Value>, Instant)>;

pub struct DevIdp {
    issuer: String,
    redirect_uri: String,
    post_logout_base: String,
    client_secret: String,
    key: CoreRsaPrivateSigningKey,
    jwks: JsonWebKeySet<CoreJsonWebKey>,
    counselor_group: String,
    admin_group: String,
    codes: Mutex<HashMap<String, Grant>>,
    access_tokens: Mutex<AccessTokens>,
}

impl DevIdp {
    /// Makes the provider with a fresh RS256 key. The client secret is what this
    /// server's own SSO client uses.
    pub fn new(settings: &Settings, client_secret: String) -> Result<Self, String> {
        let base = settings.public_url.as_str().trim_end_matches('/').to_owned();
        let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).map_err(|e| format!("RSA key: {e}"))?;
        let pem = private.to_pkcs1_pem(LineEnding::LF).map_err(|e| format!("RSA key: {e}"))?;
        let kid = format!("demo-{}", &tokens::random_token()[..8]);
        let key = CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(kid)))?;
        let jwks = JsonWebKeySet::new(vec![key.as_verification_key()]);
        Ok(DevIdp {
            issuer: format!("{base}/dev-idp"),
            redirect_uri: format!("{base}/auth/callback"),
            post_logout_base: format!("{base}/"),
            client_secret,
            key,
            jwks,
            counselor_group: settings.counselor_groups.first().cloned().unwrap_or_default(),
            admin_group: settings.admin_groups.first().cloned().unwrap_or_default(),
            codes: Mutex::new(HashMap::new()),
            access_tokens: Mutex::new(HashMap::new()),
        })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/dev-idp/.well-known/openid-configuration", web::get().to(discovery))
        .route("/dev-idp/jwks", web::get().to(jwks))
        .route("/dev-idp/authorize", web::get().to(choose))
        .route("/dev-idp/authorize", web::post().to(approve))
        .route("/dev-idp/token", web::post().to(token))
        .route("/dev-idp/userinfo", web::get().to(userinfo))
        .route("/dev-idp/logout", web::get().to(logout));
}

async fn discovery(idp: web::Data<DevIdp>) -> HttpResponse {
    let i = &idp.issuer;
    HttpResponse::Ok().json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "userinfo_endpoint": format!("{i}/userinfo"),
        "jwks_uri": format!("{i}/jwks"),
        "end_session_endpoint": format!("{i}/logout"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile", "affiliation"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "email", "email_verified", "name", "eduPersonAffiliation", "groups", "student_number"],
    }))
}

async fn jwks(idp: web::Data<DevIdp>) -> HttpResponse {
    HttpResponse::Ok().json(&idp.jwks)
}

/// A client's authorization request (what the chooser's form carries through).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AuthorizeParams {
    client_id: String,
    redirect_uri: String,
    response_type: String,
    #[serde(default)]
    scope: String,
    state: String,
    #[serde(default)]
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

impl AuthorizeParams {
    fn check(&self, idp: &DevIdp) -> Result<(), AppError> {
        if self.client_id != CLIENT_ID || self.redirect_uri != idp.redirect_uri {
            return Err(AppError::BadRequest("unknown client or redirect URI".into()));
        }
        if self.response_type != "code" || !self.scope.split(' ').any(|s| s == "openid") {
            return Err(AppError::BadRequest("only the authorization code flow with scope openid is offered".into()));
        }
        if self.code_challenge_method.as_deref() != Some("S256")
            || self.code_challenge.as_deref().is_none_or(str::is_empty)
        {
            return Err(AppError::BadRequest("PKCE with S256 is required".into()));
        }
        Ok(())
    }
}

/// The people of each role that the demo lets you be.
fn people(conn: &mut db::DbConnection) -> QueryResult<Vec<PeopleGroup>> {
    let staff = |conn: &mut db::DbConnection, role: Role| -> QueryResult<Vec<Person>> {
        let rows: Vec<(UserId, String, String)> = users::table
            .inner_join(user_roles::table)
            .filter(user_roles::role.eq(role))
            .filter(users::disabled.eq(false))
            .select((users::id, users::display_name, users::email))
            .distinct()
            .order(users::display_name)
            .limit(20)
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, email)| Person { key: format!("user:{id}"), name, email, detail: String::new() })
            .collect())
    };
    let admins = staff(conn, Role::Admin)?;
    let counselors = staff(conn, Role::Counselor)?;
    let faculty_rows: Vec<(UserId, String, String, String, String)> = faculty::table
        .inner_join(users::table)
        .select((users::id, users::display_name, users::email, faculty::title, faculty::department))
        .order(users::display_name)
        .limit(40)
        .load(conn)?;
    let faculty_people = faculty_rows
        .into_iter()
        .map(|(id, name, email, title, dept)| Person {
            key: format!("user:{id}"),
            name,
            email,
            detail: format!("{title}, {dept}"),
        })
        .collect();
    let student_rows: Vec<(StudentId, String, String, String, i32)> = students::table
        .select((students::id, students::name, students::email, students::major, students::class_year))
        .order((students::class_year.desc(), students::name))
        .limit(40)
        .load(conn)?;
    let student_people = student_rows
        .into_iter()
        .map(|(id, name, email, major, year)| Person {
            key: format!("student:{id}"),
            name,
            email,
            detail: format!("{major}, class of {year}"),
        })
        .collect();
    let group = |label, people| PeopleGroup { label, people };
    Ok(vec![
        group("Career office administrators", admins),
        group("Career counselors", counselors),
        group("Faculty", faculty_people),
        group("Students", student_people),
    ])
}

/// The claims the demo provider vouches for, looked up again from the database.
fn claims_for(conn: &mut db::DbConnection, idp: &DevIdp, key: &str) -> Result<Map<String, Value>, AppError> {
    let mut c = Map::new();
    if let Some(id) = key.strip_prefix("student:") {
        let (email, name, number): (String, String, String) =
            students::table.find(id).select((students::email, students::name, students::student_number)).first(conn)?;
        c.insert("sub".into(), json!(format!("demo-student-{id}")));
        c.insert("email".into(), json!(email));
        c.insert("name".into(), json!(name));
        c.insert("eduPersonAffiliation".into(), json!(["student", "member"]));
        c.insert("groups".into(), json!([]));
        c.insert("student_number".into(), json!(number));
    } else if let Some(id) = key.strip_prefix("user:") {
        let (email, name): (String, String) =
            users::table.find(id).select((users::email, users::display_name)).first(conn)?;
        let roles: Vec<Role> =
            user_roles::table.filter(user_roles::user_id.eq(id)).select(user_roles::role).load(conn)?;
        let mut affiliation = vec!["member"];
        let mut groups = Vec::new();
        if roles.contains(&Role::Faculty) {
            affiliation.push("faculty");
        }
        if roles.iter().any(|r| r.is_staff()) {
            affiliation.push("staff");
            groups.push(idp.counselor_group.clone());
        }
        if roles.contains(&Role::Admin) {
            groups.push(idp.admin_group.clone());
        }
        c.insert("sub".into(), json!(format!("demo-user-{id}")));
        c.insert("email".into(), json!(email));
        c.insert("name".into(), json!(name));
        c.insert("eduPersonAffiliation".into(), json!(affiliation));
        c.insert("groups".into(), json!(groups));
    } else {
        return Err(AppError::BadRequest("choose a person".into()));
    }
    c.insert("email_verified".into(), json!(true));
    Ok(c)
}

async fn choose(
    req: HttpRequest,
    viewer: MaybeViewer,
    auth: web::Data<AuthContext>,
    idp: web::Data<DevIdp>,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    q: web::Query<AuthorizeParams>,
) -> Result<HttpResponse, AppError> {
    let params = q.into_inner();
    params.check(&idp)?;
    let groups = db::run(&pool, |conn| people(conn).map_err(AppError::from)).await?;
    // The chooser is a form of this site like any other: it carries the form token.
    let (csrf, cookie) = match viewer.0 {
        Some(v) => (v.csrf.expose().to_owned(), None),
        None => anonymous_token(&req, &auth),
    };
    // Anonymous navigation whoever is signed in: this page stands in for another site.
    let view = ChooserPage { params, groups, csrf };
    let mut page = templates.page("auth/dev_idp", context("Demo campus sign-in", None, view))?;
    if let Some(c) = cookie {
        let _ = page.add_cookie(&c);
    }
    Ok(page)
}

#[derive(Deserialize)]
struct Approval {
    person: String,
    #[serde(flatten)]
    params: AuthorizeParams,
}

async fn approve(
    idp: web::Data<DevIdp>,
    pool: web::Data<Pool>,
    form: CheckedForm<Approval>,
) -> Result<HttpResponse, AppError> {
    let Approval { person, params } = form.0;
    params.check(&idp)?;
    let idp2 = idp.clone();
    let claims = db::run(&pool, move |conn| claims_for(conn, &idp2, &person)).await?;
    let code = tokens::random_token();
    let mut codes = idp.codes.lock().map_err(|_| AppError::internal("dev-idp lock"))?;
    codes.retain(|_, g| g.made.elapsed() < CODE_TTL);
    codes.insert(
        code.clone(),
        Grant {
            claims,
            nonce: params.nonce.clone(),
            challenge: params.code_challenge.clone().unwrap_or_default(),
            redirect_uri: params.redirect_uri.clone(),
            made: Instant::now(),
        },
    );
    let mut to = url::Url::parse(&params.redirect_uri).map_err(AppError::internal)?;
    to.query_pairs_mut().append_pair("code", &code).append_pair("state", &params.state).append_pair("iss", &idp.issuer);
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_string())).finish())
}

#[derive(Deserialize)]
struct TokenRequest {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn oauth_error(status: u16, error: &str) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .insert_header((header::CACHE_CONTROL, "no-store"))
    .json(json!({ "error": error }))
}

/// The client's credentials from HTTP Basic or from the form.
fn client_credentials(req: &HttpRequest, form: &TokenRequest) -> Option<(String, String)> {
    let basic =
        req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic "));
    if let Some(b64) = basic {
        let decoded = String::from_utf8(STANDARD.decode(b64.trim()).ok()?).ok()?;
        let (id, secret) = decoded.split_once(':')?;
        let unescape =
            |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
        return Some((unescape(id)?, unescape(secret)?));
    }
    Some((form.client_id.clone()?, form.client_secret.clone()?))
}

async fn token(req: HttpRequest, idp: web::Data<DevIdp>, form: web::Form<TokenRequest>) -> HttpResponse {
    let form = form.into_inner();
    match client_credentials(&req, &form) {
        Some((id, secret)) if id == CLIENT_ID && tokens::same(&secret, &idp.client_secret) => {}
        _ => return oauth_error(401, "invalid_client"),
    }
    if form.grant_type != "authorization_code" {
        return oauth_error(400, "unsupported_grant_type");
    }
    // Single use: the code leaves the map whether the rest succeeds or not.
    let grant = idp.codes.lock().ok().and_then(|mut c| c.remove(&form.code));
    let Some(grant) = grant.filter(|g| g.made.elapsed() < CODE_TTL && g.redirect_uri == form.redirect_uri) else {
        return oauth_error(400, "invalid_grant");
    };
    let verifier_ok = form
        .code_verifier
        .as_deref()
        .is_some_and(|v| URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes())) == grant.challenge);
    if !verifier_ok {
        return oauth_error(400, "invalid_grant");
    }
    let access = AccessToken::new(tokens::random_token());
    let id_token = match sign_id_token(&idp, &grant, &access, &form.code) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "dev-idp could not sign an ID token");
            return oauth_error(500, "server_error");
        }
    };
    if let Ok(mut at) = idp.access_tokens.lock() {
        at.retain(|_, (_, made)| made.elapsed() < TOKEN_TTL);
        at.insert(access.secret().clone(), (grant.claims.clone(), Instant::now()));
    }
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(json!({
        "access_token": access.secret(),
        "token_type": "Bearer",
        "expires_in": TOKEN_TTL.as_secs(),
        "id_token": id_token,
    }))
}

fn sign_id_token(idp: &DevIdp, grant: &Grant, access: &AccessToken, code: &str) -> Result<String, String> {
    let c = &grant.claims;
    let text = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let standard = StandardClaims::new(SubjectIdentifier::new(text("sub")))
        .set_email(Some(EndUserEmail::new(text("email"))))
        .set_email_verified(Some(true))
        .set_name(Some(LocalizedClaim::from(EndUserName::new(text("name")))));
    let mut extra = c.clone();
    for k in ["sub", "email", "email_verified", "name"] {
        extra.remove(k);
    }
    // Checked against the real clock by the sign-in code (as any provider's token is).
    let now = crate::core::clock::wall_clock();
    let claims = IdTokenClaims::<ExtraClaims, CoreGenderClaim>::new(
        IssuerUrl::new(idp.issuer.clone()).map_err(|e| e.to_string())?,
        vec![Audience::new(CLIENT_ID.to_owned())],
        now + chrono::Duration::minutes(5),
        now,
        standard,
        ExtraClaims { claims: extra },
    )
    .set_nonce(grant.nonce.clone().map(Nonce::new));
    let token =
        IdToken::<ExtraClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>::new(
            claims,
            &idp.key,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            Some(access),
            Some(&AuthorizationCode::new(code.to_owned())),
        )
        .map_err(|e| e.to_string())?;
    Ok(token.to_string())
}

async fn userinfo(req: HttpRequest, idp: web::Data<DevIdp>) -> HttpResponse {
    let bearer =
        req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let claims = bearer.and_then(|t| {
        let tokens = idp.access_tokens.lock().ok()?;
        tokens.get(t.trim()).filter(|(_, made)| made.elapsed() < TOKEN_TTL).map(|(c, _)| c.clone())
    });
    match claims {
        Some(c) => HttpResponse::Ok().json(c),
        None => HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""))
            .finish(),
    }
}

#[derive(Deserialize)]
struct LogoutParams {
    post_logout_redirect_uri: Option<String>,
}

/// The demo provider keeps no sessions of its own: logging out only sends the browser back.
async fn logout(idp: web::Data<DevIdp>, q: web::Query<LogoutParams>) -> HttpResponse {
    let to = q
        .post_logout_redirect_uri
        .clone()
        .filter(|u| u.starts_with(&idp.post_logout_base))
        .unwrap_or_else(|| idp.post_logout_base.clone());
    HttpResponse::SeeOther().insert_header((header::LOCATION, to)).finish()
}
