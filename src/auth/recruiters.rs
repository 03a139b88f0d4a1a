//! Recruiters' local accounts. A counselor invites a recruiter to an employer with an
//! active partnership; the link is single-use, expires after 7 days, and only its hash
//! is stored; the recruiter's email must be at the employer's vetted domain; they choose
//! a password (argon2id, at least 12 characters) and sign in at `/login/recruiter`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::logins::SignInMethod;
use super::roles::RoleSource;
use super::throttle::{self, Scope};
use super::tokens;
use crate::audit;
use crate::core::{Actor, Email, EmployerId, Error, InvitationId, Problems, RecruiterId, Role, Secret, UserId};
use crate::db::schema::{employers, invitations, partnerships, recruiters, users};
use crate::db::{self, DbConnection};

pub const INVITATION_TTL: Duration = Duration::days(7);
pub const MIN_PASSWORD: usize = 12;
pub const MAX_PASSWORD: usize = 200;

/// `partnerships.status` of an active partnership. The status is the partners area's;
/// auth comes before it in the layering, so it reads the value through the schema.
const ACTIVE_PARTNERSHIP: &str = "active";

crate::core::text_enum! {
    /// Where an invitation stands. Not stored: it follows from when the link expires and
    /// whether it was used.
    pub enum InvitationState: "invitation state" {
        Open => "open", "Open";
        Used => "used", "Used";
        Expired => "expired", "Expired";
    }
}

impl InvitationState {
    /// The state at `now`: used is used, even before it would have expired.
    pub fn at(expires_at: NaiveDateTime, used_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Self {
        match used_at {
            Some(_) => InvitationState::Used,
            None if expires_at <= now => InvitationState::Expired,
            None => InvitationState::Open,
        }
    }
}

/// What a counselor fills in to invite a recruiter.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct InvitationForm {
    #[serde(default = "no_employer")]
    pub employer_id: EmployerId,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
}

/// A form sent without an employer: "choose an employer", not a 400.
fn no_employer() -> EmployerId {
    EmployerId::from("")
}

#[derive(Debug)]
pub struct Invited {
    /// The link's secret: only its digest is stored.
    pub token: Secret,
    pub email: String,
    pub employer_name: String,
    pub expires_at: NaiveDateTime,
}

/// The email's domain is the employer's vetted domain (or a subdomain of it).
pub fn domain_matches(email: &str, domain: &str) -> bool {
    let Some((_, at)) = email.rsplit_once('@') else { return false };
    let (at, domain) = (at.to_ascii_lowercase(), domain.to_ascii_lowercase());
    at == domain || at.ends_with(&format!(".{domain}"))
}

pub fn invite(
    conn: &mut DbConnection,
    form: &InvitationForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Invited, Error> {
    let mut problems = Problems::new();
    let email = problems.take("email", Email::parse(&form.email));
    let name = form.name.trim();
    if name.is_empty() {
        problems.add("name", "is required");
    } else if name.chars().count() > 200 {
        problems.add("name", "is longer than 200 characters");
    }
    if form.title.chars().count() > 200 {
        problems.add("title", "is longer than 200 characters");
    }
    db::transaction(conn, |conn| {
        let mut problems = problems.clone();
        let employer: Option<(String, Option<String>)> = employers::table
            .find(&form.employer_id)
            .select((employers::name, employers::email_domain))
            .first(conn)
            .optional()?;
        let active: i64 = partnerships::table
            .filter(partnerships::employer_id.eq(&form.employer_id))
            .filter(partnerships::status.eq(ACTIVE_PARTNERSHIP))
            .count()
            .get_result(conn)?;
        let employer_name = match &employer {
            None => {
                problems.add("employer_id", "choose an employer");
                String::new()
            }
            Some((name, domain)) => {
                if active == 0 {
                    problems.add(
                        "employer_id",
                        format!("{name} has no active partnership: recruiters can be invited only to active partners"),
                    );
                }
                match (domain, &email) {
                    (None, _) => problems.add("employer_id", format!("{name} has no vetted email domain yet")),
                    (Some(d), Some(e)) if !domain_matches(e, d) => {
                        problems.add("email", format!("must be an address at {d}, the domain vetted for {name}"))
                    }
                    _ => {}
                }
                name.clone()
            }
        };
        if let Some(e) = &email {
            let taken: i64 = users::table.filter(users::email.eq(e)).count().get_result(conn)?;
            if taken > 0 {
                problems.add("email", format!("{e} already has a Waypoint account"));
            }
        }
        problems.check()?;
        let email = email.clone().map(Email::into_string).unwrap_or_default();
        let token = tokens::random_token();
        let expires_at = now + INVITATION_TTL;
        let id = InvitationId::generate();
        diesel::insert_into(invitations::table)
            .values((
                invitations::id.eq(&id),
                invitations::employer_id.eq(&form.employer_id),
                invitations::email.eq(&email),
                invitations::name.eq(name),
                invitations::title.eq(form.title.trim()),
                invitations::token_hash.eq(tokens::digest(&token)),
                invitations::invited_by.eq(match actor {
                    Actor::User { id, .. } => Some(id.clone()),
                    _ => None,
                }),
                invitations::expires_at.eq(expires_at),
                invitations::created_at.eq(now),
                invitations::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            audit::Event {
                actor,
                action: "recruiter.invited",
                subject_type: "invitation",
                subject_id: Some(&id),
                at: now,
                ip: None,
                details: serde_json::json!({ "employer_id": form.employer_id, "email": email }),
            },
        )?;
        Ok(Invited { token: Secret::new(token.clone()), email, employer_name: employer_name.clone(), expires_at })
    })
}

/// What the invitation page shows before the recruiter chooses a password.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenInvitation {
    pub email: String,
    pub name: String,
    pub employer_name: String,
}

pub fn open_invitation(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> Result<OpenInvitation, Error> {
    let found: Option<(String, String, String, NaiveDateTime, Option<NaiveDateTime>)> = invitations::table
        .inner_join(employers::table)
        .filter(invitations::token_hash.eq(tokens::digest(token)))
        .select((invitations::email, invitations::name, employers::name, invitations::expires_at, invitations::used_at))
        .first(conn)
        .optional()?;
    match found {
        Some((email, name, employer_name, expires_at, used_at))
            if InvitationState::at(expires_at, used_at, now) == InvitationState::Open =>
        {
            Ok(OpenInvitation { email, name, employer_name })
        }
        // Unknown, used or expired: one answer for all three.
        _ => Err(Error::NotFound),
    }
}

pub fn check_password(password: &str, confirm: &str, email: &str) -> Problems {
    let mut p = Problems::new();
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        p.add("password", format!("must be at least {MIN_PASSWORD} characters"));
    } else if n > MAX_PASSWORD {
        p.add("password", format!("must be at most {MAX_PASSWORD} characters"));
    } else if password.eq_ignore_ascii_case(email)
        || password.to_ascii_lowercase().contains(email.split('@').next().unwrap_or("\u{0}"))
    {
        p.add("password", "must not contain your email address");
    }
    if password != confirm {
        p.add("password_confirm", "does not match the password");
    }
    p
}

pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt_bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

pub(super) fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of nothing anyone knows, verified when the account does not exist, so that
/// a missing account takes as long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&tokens::random_token()).unwrap_or_default())
}

/// Accepts an invitation: makes the recruiter's account and uses up the link.
/// Returns the new user's id.
pub fn accept(
    conn: &mut DbConnection,
    token: &str,
    password: &str,
    confirm: &str,
    ip: &str,
    now: NaiveDateTime,
) -> Result<UserId, Error> {
    let invitation = open_invitation(conn, token, now)?;
    check_password(password, confirm, &invitation.email).check()?;
    let hash = hash_password(password).map_err(|e| Error::invalid("password", e))?;
    db::transaction(conn, |conn| {
        // Single use: only one request can turn `used_at` from empty to set.
        let used = diesel::update(
            invitations::table
                .filter(invitations::token_hash.eq(tokens::digest(token)))
                .filter(invitations::used_at.is_null())
                .filter(invitations::expires_at.gt(now)),
        )
        .set((invitations::used_at.eq(now), invitations::updated_at.eq(now)))
        .execute(conn)?;
        if used != 1 {
            return Err(Error::NotFound);
        }
        let (employer_id, email, name, title): (EmployerId, String, String, String) = invitations::table
            .filter(invitations::token_hash.eq(tokens::digest(token)))
            .select((invitations::employer_id, invitations::email, invitations::name, invitations::title))
            .first(conn)?;
        let user_id = UserId::generate();
        super::users::insert_many(
            conn,
            &[super::users::NewUser {
                password_hash: Some(hash.clone()),
                ..super::users::NewUser::new(user_id.clone(), email.clone(), name.clone(), now)
            }],
        )?;
        insert_many(
            conn,
            &[NewRecruiter {
                id: RecruiterId::generate(),
                user_id: user_id.clone(),
                employer_id: employer_id.clone(),
                title: title.clone(),
                created_at: now,
                updated_at: now,
            }],
        )?;
        super::roles::insert_many(
            conn,
            &[super::roles::NewUserRole {
                id: uuid::Uuid::new_v4().to_string(),
                user_id: user_id.clone(),
                role: Role::Recruiter,
                source: RoleSource::Grant,
                granted_by: None,
                created_at: now,
                updated_at: now,
            }],
        )?;
        audit::record(
            conn,
            audit::Event {
                actor: &Actor::User { id: user_id.clone(), label: email.clone(), ip: Some(ip.to_owned()) },
                action: "recruiter.joined",
                subject_type: "user",
                subject_id: Some(&user_id),
                at: now,
                ip: None,
                details: serde_json::json!({ "employer_id": employer_id }),
            },
        )?;
        Ok(user_id.clone())
    })
}

/// Password sign-in for recruiters. Returns the user's id, or `None`: one refusal
/// whatever went wrong (unknown account, wrong password, disabled, locked).
pub fn sign_in(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    ip: &str,
    now: NaiveDateTime,
) -> Result<Option<UserId>, Error> {
    let email = email.trim().to_ascii_lowercase();
    // Count the attempt before checking anything (each count one atomic statement), so
    // that parallel guesses cannot all pass the limit; both keys are always counted.
    let account_ok = throttle::reserve(conn, Scope::Account, &email, now)?;
    let address_ok = throttle::reserve(conn, Scope::Address, ip, now)?;
    let locked = !(account_ok && address_ok);
    let account: Option<(UserId, Option<String>, bool)> = users::table
        .inner_join(recruiters::table)
        .filter(users::email.eq(&email))
        .select((users::id, users::password_hash, users::disabled))
        .first(conn)
        .optional()?;
    // Past the limit the password is not even checked: no work for a guesser, and no
    // hint either, as the lock falls alike on accounts that do not exist.
    let password_ok = !locked && {
        let hash = account.as_ref().and_then(|a| a.1.clone()).unwrap_or_else(|| decoy_hash().to_owned());
        verify_password(password, &hash)
    };
    let outcome = match account {
        Some((id, Some(_), false)) if password_ok => Some(id),
        _ => None,
    };
    db::transaction(conn, |conn| {
        match &outcome {
            Some(id) => {
                throttle::clear(conn, Scope::Account, &email)?;
                throttle::refund(conn, Scope::Address, ip, now)?;
                diesel::update(users::table.find(id))
                    .set((users::last_login_at.eq(now), users::updated_at.eq(now)))
                    .execute(conn)?;
                audit::record(
                    conn,
                    audit::Event {
                        actor: &Actor::User { id: id.clone(), label: email.clone(), ip: Some(ip.to_owned()) },
                        action: "auth.signed_in",
                        subject_type: "user",
                        subject_id: Some(id),
                        at: now,
                        ip: Some(ip),
                        details: serde_json::json!({ "method": SignInMethod::Password }),
                    },
                )?;
            }
            None => {
                // The failure was counted when the attempt was reserved.
                audit::record(
                    conn,
                    audit::Event {
                        actor: &Actor::System,
                        action: "auth.sign_in_failed",
                        subject_type: "user",
                        subject_id: None,
                        at: now,
                        ip: Some(ip),
                        details: serde_json::json!({ "method": SignInMethod::Password, "email": email, "locked": locked }),
                    },
                )?;
            }
        }
        Ok::<_, Error>(())
    })?;
    Ok(outcome)
}

/// Demo mode only: the seeded recruiters share this published password, so that a
/// newcomer can try the employer's side. Never set outside demo mode.
pub const DEMO_PASSWORD: &str = "northfield-demo";

/// Gives every seeded recruiter without a password the demo password (demo mode only).
pub fn set_demo_passwords(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let ids: Vec<UserId> = users::table
        .inner_join(recruiters::table)
        .filter(users::password_hash.is_null())
        .select(users::id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(0);
    }
    let hash = hash_password(DEMO_PASSWORD).map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    diesel::update(users::table.filter(users::id.eq_any(&ids)))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
}

/// A recruiter's account to try in demo mode.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct DemoAccount {
    pub email: String,
    pub employer: String,
}

/// A few recruiters of active partners to try in demo mode.
pub fn demo_accounts(conn: &mut DbConnection) -> QueryResult<Vec<DemoAccount>> {
    users::table
        .inner_join(recruiters::table.inner_join(employers::table.inner_join(partnerships::table)))
        .filter(partnerships::status.eq(ACTIVE_PARTNERSHIP))
        .filter(users::disabled.eq(false))
        .filter(users::password_hash.is_not_null())
        .select((users::email, employers::name))
        .order(employers::name)
        .limit(6)
        .load(conn)
}

/// An employer a recruiter may be invited to, with its vetted email domain.
#[derive(Debug, Clone, Queryable)]
pub struct InvitableEmployer {
    pub id: EmployerId,
    pub name: String,
    pub domain: String,
}

/// Employers a recruiter may be invited to: active partnership and a vetted domain.
pub fn invitable_employers(conn: &mut DbConnection) -> QueryResult<Vec<InvitableEmployer>> {
    employers::table
        .inner_join(partnerships::table)
        .filter(partnerships::status.eq(ACTIVE_PARTNERSHIP))
        .filter(employers::email_domain.is_not_null())
        .select((employers::id, employers::name, employers::email_domain.assume_not_null()))
        .order(employers::name)
        .load(conn)
}

/// A recruiter's record (their employer and title) as it is added: when an invitation
/// is accepted, or many at once by the synthetic data set.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = recruiters, treat_none_as_default_value = false)]
pub struct NewRecruiter {
    pub id: RecruiterId,
    pub user_id: UserId,
    pub employer_id: EmployerId,
    pub title: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Adds recruiters' records, many per statement.
pub fn insert_many(conn: &mut DbConnection, rows: &[NewRecruiter]) -> QueryResult<usize> {
    crate::db::batch::insert_rows!(conn, recruiters::table, rows, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_is_open_until_it_is_used_or_expires() {
        let at = |h| chrono::NaiveDate::from_ymd_opt(2027, 2, 16).unwrap().and_hms_opt(h, 0, 0).unwrap();
        let expires = at(12);
        assert_eq!(InvitationState::at(expires, None, at(11)), InvitationState::Open);
        assert_eq!(InvitationState::at(expires, None, at(12)), InvitationState::Expired, "expired at the hour");
        assert_eq!(InvitationState::at(expires, Some(at(9)), at(11)), InvitationState::Used);
        assert_eq!(InvitationState::at(expires, Some(at(9)), at(13)), InvitationState::Used, "used stays used");
    }

    #[test]
    fn email_domains() {
        assert!(domain_matches("ana@brightpath.com", "brightpath.com"));
        assert!(domain_matches("ana@hr.brightpath.com", "brightpath.com"));
        assert!(!domain_matches("ana@brightpath.com.evil.io", "brightpath.com"));
        assert!(!domain_matches("ana@notbrightpath.com", "brightpath.com"));
        assert!(!domain_matches("no-at-sign", "brightpath.com"));
    }

    #[test]
    fn password_rules() {
        assert!(check_password("correct horse battery", "correct horse battery", "ana@x.com").is_empty());
        let short = check_password("short", "short", "ana@x.com");
        assert_eq!(short[0].field, "password");
        assert_eq!(
            check_password("correct horse battery", "correct horse batterY", "ana@x.com")[0].field,
            "password_confirm"
        );
        assert!(!check_password("ana.lee-is-great", "ana.lee-is-great", "ana.lee@x.com").is_empty());
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
