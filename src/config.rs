//! Settings from the environment (DESIGN §6), optionally from a `waypoint.toml` with the
//! same keys in lower case without the prefix (`database_url = "..."`). The environment
//! wins over the file. Every value is validated once, here, so that a bad one stops the
//! program with one line naming the variable and what is wrong.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use url::Url;

/// A value that must never appear in logs or `Debug` output (defined in core, where the
/// session and sign-in secrets use it too).
pub use crate::core::Secret;

#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    /// The URL may carry a password, so it is kept as a secret.
    Postgres(Secret),
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            DatabaseUrl::Postgres(s) => match Url::parse(s.expose()) {
                Ok(mut u) => {
                    if u.password().is_some() {
                        let _ = u.set_password(Some("***"));
                    }
                    write!(f, "{u}")
                }
                Err(_) => f.write_str("postgres://***"),
            },
        }
    }
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://waypoint.db".into());
            }
            if path == ":memory:" {
                return Err("an in-memory SQLite database is not shared between connections; give a file path".into());
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let u = Url::parse(raw).map_err(|e| format!("not a valid PostgreSQL URL: {e}"))?;
            if u.host_str().is_none_or(str::is_empty) {
                return Err("a PostgreSQL URL needs a host, e.g. postgres://user@127.0.0.1:5432/waypoint".into());
            }
            return Ok(DatabaseUrl::Postgres(Secret::new(raw)));
        }
        Err("must start with sqlite:// or postgres://".into())
    }
}

/// One address, or a network in CIDR notation: `192.0.2.7`, `10.0.0.0/8`, `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    network: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(raw: &str) -> Result<IpNet, String> {
        let raw = raw.trim();
        let (addr, prefix) = match raw.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (raw, None),
        };
        let addr: IpAddr =
            addr.parse().map_err(|_| format!("`{raw}` is not an IP address or a network like 10.0.0.0/8"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{raw}`: the prefix length must be a number from 0 to {max}"))?,
        };
        // `::ffff:10.0.0.0/104` is the IPv4 network 10.0.0.0/8.
        let (addr, prefix) = match (addr, addr.to_canonical()) {
            (IpAddr::V6(_), v4 @ IpAddr::V4(_)) if prefix >= 96 => (v4, prefix - 96),
            _ => (addr, prefix),
        };
        Ok(IpNet { network: mask(addr, prefix), prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 client seen through a dual-stack socket (`::ffff:192.0.2.7`) is
        // compared as the IPv4 address it is.
        let ip = ip.to_canonical();
        ip.is_ipv4() == self.network.is_ipv4() && mask(ip, self.prefix) == self.network
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// `ip` with all but its first `prefix` bits cleared.
fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let m = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((u32::from(a) & m).into())
        }
        IpAddr::V6(a) => {
            let m = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((u128::from(a) & m).into())
        }
    }
}

/// The reverse proxies in front of Waypoint (`WAYPOINT_TRUSTED_PROXIES`): only requests
/// that come from them have their `Forwarded` / `X-Forwarded-For` headers believed.
/// Empty (the default): the headers are ignored and the peer is the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Addresses and networks separated by commas or spaces.
    pub fn parse(raw: &str) -> Result<TrustedProxies, String> {
        list(raw).iter().map(|item| IpNet::parse(item)).collect::<Result<Vec<_>, _>>().map(TrustedProxies)
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: Url,
    pub client_id: String,
    pub client_secret: Option<Secret>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind: SocketAddr,
    pub public_url: Url,
    pub oidc: Option<OidcSettings>,
    pub oidc_scopes: Vec<String>,
    pub oidc_role_claim: String,
    pub oidc_groups_claim: String,
    pub counselor_groups: Vec<String>,
    pub admin_groups: Vec<String>,
    /// Signs the form tokens of visitors who are not signed in yet (the recruiter sign-in
    /// and invitation forms; signed-in forms carry their session's own token). Every
    /// instance of one site must have the same, or a form served by one is refused by
    /// another. Required to serve outside demo mode (see [`Settings::check_serve`]).
    pub form_secret: Option<Secret>,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers are believed.
    pub trusted_proxies: TrustedProxies,
    pub demo: bool,
    pub timezone: chrono_tz::Tz,
    pub min_hourly_fee_cents: i64,
    pub no_show_limit: u32,
    /// Calls a minute each API token may make (a token bucket of that size, refilled
    /// evenly): `WAYPOINT_API_RATE_LIMIT`.
    pub api_rate_limit: u32,
    pub smtp_url: Option<Secret>,
    /// The sender of mail: `WAYPOINT_MAIL_FROM`, else `no-reply@` the public host (a
    /// domain the campus's SPF/DMARC can vouch for, unlike the relay's).
    pub mail_from: lettre::message::Mailbox,
    pub log_format: LogFormat,
}

/// A configuration problem: which variable, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: String,
    pub problem: String,
}

fn bad(variable: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError { variable: variable.to_owned(), problem: problem.into() }
}

/// Every key Waypoint reads, without the `WAYPOINT_` prefix.
pub const KEYS: &[&str] = &[
    "DATABASE_URL",
    "BIND",
    "PUBLIC_URL",
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_SCOPES",
    "OIDC_ROLE_CLAIM",
    "OIDC_GROUPS_CLAIM",
    "COUNSELOR_GROUPS",
    "ADMIN_GROUPS",
    "FORM_SECRET",
    // The old name of FORM_SECRET, still accepted.
    "SESSION_SECRET",
    "DEMO",
    "TIMEZONE",
    "MIN_HOURLY_FEE_CENTS",
    "NO_SHOW_LIMIT",
    "API_RATE_LIMIT",
    "SMTP_URL",
    "MAIL_FROM",
    "LOG_FORMAT",
    "TRUSTED_PROXIES",
];

/// Where the values come from: the environment first, then the file.
pub struct Sources {
    env: BTreeMap<String, String>,
    file: BTreeMap<String, String>,
    file_name: Option<PathBuf>,
}

impl Sources {
    /// Reads the process environment and `WAYPOINT_CONFIG` (default `./waypoint.toml` if present).
    pub fn from_process() -> Result<Self, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars().filter(|(k, _)| k.starts_with("WAYPOINT_")).collect();
        let (path, required) = match env.get("WAYPOINT_CONFIG") {
            Some(p) => (PathBuf::from(p), true),
            None => (PathBuf::from("waypoint.toml"), false),
        };
        let mut sources = Sources { env, file: BTreeMap::new(), file_name: None };
        if path.exists() || required {
            sources.read_file(&path)?;
        }
        Ok(sources)
    }

    pub fn from_map(env: BTreeMap<String, String>) -> Self {
        Sources { env, file: BTreeMap::new(), file_name: None }
    }

    fn read_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| bad("WAYPOINT_CONFIG", format!("cannot read {}: {e}", path.display())))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| bad("WAYPOINT_CONFIG", format!("{}: {}", path.display(), e.message())))?;
        for (key, value) in table {
            let upper = key.to_ascii_uppercase();
            if !KEYS.contains(&upper.as_str()) {
                return Err(bad("WAYPOINT_CONFIG", format!("{}: unknown key `{key}`", path.display())));
            }
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                toml::Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned).ok_or(()))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| {
                        bad("WAYPOINT_CONFIG", format!("{}: `{key}` must be a list of strings", path.display()))
                    })?
                    .join(" "),
                _ => {
                    return Err(bad("WAYPOINT_CONFIG", format!("{}: `{key}` has an unsupported type", path.display())))
                }
            };
            self.file.insert(upper, text);
        }
        self.file_name = Some(path.to_path_buf());
        Ok(())
    }

    /// The raw value of `WAYPOINT_<key>` and the name to blame when it is bad.
    fn get(&self, key: &str) -> Option<(String, String)> {
        let var = format!("WAYPOINT_{key}");
        if let Some(v) = self.env.get(&var) {
            return Some((v.clone(), var));
        }
        self.file.get(key).map(|v| {
            let file = self.file_name.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
            (v.clone(), format!("{var} (from {file})"))
        })
    }
}

fn list(raw: &str) -> Vec<String> {
    raw.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn parse_bool(var: &str, raw: &str) -> Result<bool, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        other => Err(bad(var, format!("`{other}` is not a yes/no value (use true or false)"))),
    }
}

fn http_url(var: &str, raw: &str) -> Result<Url, ConfigError> {
    let u = Url::parse(raw.trim()).map_err(|e| bad(var, format!("`{raw}` is not a URL: {e}")))?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return Err(bad(var, format!("`{raw}` must be an http:// or https:// URL")));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(bad(var, format!("`{raw}` has no host")));
    }
    Ok(u)
}

/// `WAYPOINT_FORM_SECRET`, or its old name `WAYPOINT_SESSION_SECRET` (it never keyed
/// the sessions, which are rows in the database). Both set to different values is a
/// mistake worth stopping for.
fn form_secret(sources: &Sources) -> Result<Option<Secret>, ConfigError> {
    let (raw, var) = match (sources.get("FORM_SECRET"), sources.get("SESSION_SECRET")) {
        (Some((new, var)), Some((old, old_var))) if new != old => {
            return Err(bad(&var, format!("differs from {old_var}, its old name; set only WAYPOINT_FORM_SECRET")))
        }
        (Some(found), _) | (None, Some(found)) => found,
        (None, None) => return Ok(None),
    };
    if raw.len() < 32 {
        return Err(bad(&var, "must be at least 32 characters (e.g. `openssl rand -hex 32`)"));
    }
    Ok(Some(Secret::new(raw)))
}

impl Settings {
    /// Reads and validates every setting. `demo_flag` is `serve --demo`.
    pub fn load(sources: &Sources, demo_flag: bool) -> Result<Settings, ConfigError> {
        let get = |key: &str, default: &str| -> (String, String) {
            sources.get(key).unwrap_or_else(|| (default.to_owned(), format!("WAYPOINT_{key}")))
        };

        let (raw, var) = get("DATABASE_URL", "sqlite://waypoint.db");
        let database_url = DatabaseUrl::parse(raw.trim()).map_err(|p| bad(&var, p))?;

        let (raw, var) = get("BIND", "127.0.0.1:8080");
        let bind: SocketAddr = raw
            .trim()
            .parse()
            .map_err(|_| bad(&var, format!("`{raw}` is not an address HOST:PORT, e.g. 127.0.0.1:8080")))?;

        let (raw, var) = get("PUBLIC_URL", "http://127.0.0.1:8080");
        let mut public_url = http_url(&var, &raw)?;
        if public_url.query().is_some() || public_url.fragment().is_some() {
            return Err(bad(&var, "must not have a query or fragment"));
        }
        // Links are made by appending paths: keep the base without a trailing slash.
        let trimmed = public_url.path().trim_end_matches('/').to_owned();
        public_url.set_path(&trimmed);

        let oidc = match sources.get("OIDC_ISSUER") {
            Some((raw, var)) if !raw.trim().is_empty() => {
                let issuer = http_url(&var, &raw)?;
                let (client_id, id_var) = sources
                    .get("OIDC_CLIENT_ID")
                    .ok_or_else(|| bad("WAYPOINT_OIDC_CLIENT_ID", "is required when WAYPOINT_OIDC_ISSUER is set"))?;
                if client_id.trim().is_empty() {
                    return Err(bad(&id_var, "must not be empty"));
                }
                let client_secret = sources.get("OIDC_CLIENT_SECRET").map(|(s, _)| Secret::new(s));
                Some(OidcSettings { issuer, client_id: client_id.trim().to_owned(), client_secret })
            }
            _ => None,
        };

        let (raw, var) = get("OIDC_SCOPES", "openid email profile");
        let oidc_scopes = list(&raw);
        if !oidc_scopes.iter().any(|s| s == "openid") {
            return Err(bad(&var, "must include `openid`"));
        }

        let claim = |key: &str, default: &str| -> Result<String, ConfigError> {
            let (raw, var) = get(key, default);
            let v = raw.trim();
            if v.is_empty() || v.contains(char::is_whitespace) {
                return Err(bad(&var, "must be one claim name without spaces"));
            }
            Ok(v.to_owned())
        };
        let oidc_role_claim = claim("OIDC_ROLE_CLAIM", "eduPersonAffiliation")?;
        let oidc_groups_claim = claim("OIDC_GROUPS_CLAIM", "groups")?;

        let groups = |key: &str, default: &str| -> Result<Vec<String>, ConfigError> {
            let (raw, var) = get(key, default);
            let g = list(&raw);
            if g.is_empty() {
                return Err(bad(&var, "must name at least one group"));
            }
            Ok(g)
        };
        let counselor_groups = groups("COUNSELOR_GROUPS", "career-office")?;
        let admin_groups = groups("ADMIN_GROUPS", "career-office-admin")?;

        let form_secret = form_secret(sources)?;

        let (raw, var) = get("DEMO", "false");
        let demo = demo_flag || parse_bool(&var, &raw)?;

        let (raw, var) = get("TIMEZONE", "America/New_York");
        let timezone: chrono_tz::Tz = raw
            .trim()
            .parse()
            .map_err(|_| bad(&var, format!("`{raw}` is not an IANA time zone name, e.g. America/New_York")))?;

        let (raw, var) = get("MIN_HOURLY_FEE_CENTS", "2000");
        let min_hourly_fee_cents: i64 = raw
            .trim()
            .parse()
            .ok()
            .filter(|v| (1..=1_000_000).contains(v))
            .ok_or_else(|| bad(&var, format!("`{raw}` must be a whole number of cents from 1 to 1000000")))?;

        let (raw, var) = get("NO_SHOW_LIMIT", "2");
        let no_show_limit: u32 = raw
            .trim()
            .parse()
            .ok()
            .filter(|v| (1..=100).contains(v))
            .ok_or_else(|| bad(&var, format!("`{raw}` must be a whole number from 1 to 100")))?;

        let (raw, var) = get("API_RATE_LIMIT", "120");
        let api_rate_limit: u32 =
            raw.trim().parse().ok().filter(|v| (1..=100_000).contains(v)).ok_or_else(|| {
                bad(&var, format!("`{raw}` must be a whole number of calls a minute from 1 to 100000"))
            })?;

        let smtp_url = match sources.get("SMTP_URL") {
            Some((raw, var)) if !raw.trim().is_empty() => {
                let u = Url::parse(raw.trim()).map_err(|e| bad(&var, format!("not a URL: {e}")))?;
                if !matches!(u.scheme(), "smtp" | "smtps") {
                    return Err(bad(&var, "must be an smtp:// or smtps:// URL"));
                }
                Some(Secret::new(raw.trim()))
            }
            _ => None,
        };

        let trusted_proxies = match sources.get("TRUSTED_PROXIES") {
            Some((raw, var)) => TrustedProxies::parse(&raw).map_err(|p| bad(&var, p))?,
            None => TrustedProxies::default(),
        };

        let mail_from = match sources.get("MAIL_FROM") {
            Some((raw, var)) if !raw.trim().is_empty() => raw.trim().parse().map_err(|e| {
                bad(&var, format!("`{raw}` is not a mail address like careers@example.edu or \"Career Office <careers@example.edu>\": {e}"))
            })?,
            _ => {
                let host = public_url.host_str().unwrap_or("localhost");
                format!("Waypoint <no-reply@{host}>").parse().map_err(|e| {
                    bad("WAYPOINT_MAIL_FROM", format!("no-reply@{host} (from WAYPOINT_PUBLIC_URL) is not a mail address ({e}): set it"))
                })?
            }
        };

        let (raw, var) = get("LOG_FORMAT", "text");
        let log_format = match raw.trim() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => return Err(bad(&var, format!("`{other}` must be `text` or `json`"))),
        };

        Ok(Settings {
            database_url,
            bind,
            public_url,
            oidc,
            oidc_scopes,
            oidc_role_claim,
            oidc_groups_claim,
            counselor_groups,
            admin_groups,
            form_secret,
            trusted_proxies,
            demo,
            timezone,
            min_hourly_fee_cents,
            no_show_limit,
            api_rate_limit,
            smtp_url,
            mail_from,
            log_format,
        })
    }

    /// What serving needs beyond valid values: outside demo mode, a campus provider and
    /// the form secret (shared by every instance; a random one would make each instance
    /// refuse the sign-in forms of the others, and every restart those already open).
    pub fn check_serve(&self) -> Result<(), ConfigError> {
        if self.demo {
            return Ok(());
        }
        if self.oidc.is_none() {
            return Err(bad(
                "WAYPOINT_OIDC_ISSUER",
                "is required to serve (campus sign-in); for a trial run use `waypoint serve --demo`",
            ));
        }
        if self.form_secret.is_none() {
            return Err(bad(
                "WAYPOINT_FORM_SECRET",
                "is required to serve: the key that signs sign-in forms, the same on every instance (e.g. `openssl rand -hex 32`)",
            ));
        }
        Ok(())
    }

    /// Settings for the database commands, which need nothing else to be valid.
    pub fn database_only(sources: &Sources) -> Result<DatabaseUrl, ConfigError> {
        match sources.get("DATABASE_URL") {
            Some((raw, var)) => DatabaseUrl::parse(raw.trim()).map_err(|p| bad(&var, p)),
            None => Ok(DatabaseUrl::Sqlite(PathBuf::from("waypoint.db"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let env = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::load(&Sources::from_map(env), false)
    }

    #[test]
    fn defaults_are_valid() {
        let s = load(&[]).unwrap();
        assert_eq!(s.database_url, DatabaseUrl::Sqlite(PathBuf::from("waypoint.db")));
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.min_hourly_fee_cents, 2000);
        assert_eq!(s.no_show_limit, 2);
        assert_eq!(s.counselor_groups, vec!["career-office"]);
        assert!(!s.demo);
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases = [
            ("WAYPOINT_DATABASE_URL", "mysql://x"),
            ("WAYPOINT_BIND", "localhost"),
            ("WAYPOINT_PUBLIC_URL", "ftp://x"),
            ("WAYPOINT_TIMEZONE", "Mars/Olympus"),
            ("WAYPOINT_MIN_HOURLY_FEE_CENTS", "-5"),
            ("WAYPOINT_NO_SHOW_LIMIT", "many"),
            ("WAYPOINT_LOG_FORMAT", "xml"),
            ("WAYPOINT_DEMO", "perhaps"),
            ("WAYPOINT_SESSION_SECRET", "short"),
            ("WAYPOINT_FORM_SECRET", "short"),
            ("WAYPOINT_TRUSTED_PROXIES", "10.0.0.0/33"),
            ("WAYPOINT_TRUSTED_PROXIES", "proxy.campus.edu"),
            ("WAYPOINT_OIDC_SCOPES", "email profile"),
            ("WAYPOINT_SMTP_URL", "http://mail"),
            ("WAYPOINT_MAIL_FROM", "the career office"),
        ];
        for (var, value) in cases {
            let err = load(&[(var, value)]).unwrap_err();
            assert_eq!(err.variable, var, "{var}={value} gave {err}");
        }
    }

    #[test]
    fn issuer_needs_a_client_id() {
        let err = load(&[("WAYPOINT_OIDC_ISSUER", "https://sso.example.edu")]).unwrap_err();
        assert_eq!(err.variable, "WAYPOINT_OIDC_CLIENT_ID");
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let s = load(&[
            ("WAYPOINT_DATABASE_URL", "postgres://app:hunter2hunter2@db.example.edu/waypoint"),
            ("WAYPOINT_SESSION_SECRET", "0123456789abcdef0123456789abcdef-very-secret"),
            ("WAYPOINT_OIDC_ISSUER", "https://sso.example.edu"),
            ("WAYPOINT_OIDC_CLIENT_ID", "waypoint"),
            ("WAYPOINT_OIDC_CLIENT_SECRET", "client-secret-value"),
        ])
        .unwrap();
        let shown = format!("{s:?}");
        for secret in ["hunter2hunter2", "very-secret", "client-secret-value"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
    }

    #[test]
    fn mail_comes_from_the_public_host_unless_told() {
        let s = load(&[("WAYPOINT_PUBLIC_URL", "https://careers.northfield.edu")]).unwrap();
        assert_eq!(s.mail_from.to_string(), "Waypoint <no-reply@careers.northfield.edu>");
        let s = load(&[("WAYPOINT_MAIL_FROM", "Career Office <careers@northfield.edu>")]).unwrap();
        assert_eq!(s.mail_from.to_string(), "Career Office <careers@northfield.edu>");
        assert_eq!(load(&[]).unwrap().mail_from.email.to_string(), "no-reply@127.0.0.1");
    }

    #[test]
    fn lists_accept_commas_and_spaces() {
        let s = load(&[("WAYPOINT_COUNSELOR_GROUPS", "career-office, advising staff")]).unwrap();
        assert_eq!(s.counselor_groups, vec!["career-office", "advising", "staff"]);
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef-form";

    #[test]
    fn the_form_secret_has_an_old_name_still_accepted() {
        let s = load(&[("WAYPOINT_FORM_SECRET", SECRET)]).unwrap();
        assert_eq!(s.form_secret.as_ref().map(Secret::expose), Some(SECRET));
        let s = load(&[("WAYPOINT_SESSION_SECRET", SECRET)]).unwrap();
        assert_eq!(s.form_secret.as_ref().map(Secret::expose), Some(SECRET), "the old name sets the same key");
        let s = load(&[("WAYPOINT_SESSION_SECRET", SECRET), ("WAYPOINT_FORM_SECRET", SECRET)]).unwrap();
        assert_eq!(s.form_secret.as_ref().map(Secret::expose), Some(SECRET));
        let other = "another-secret-another-secret-another";
        let err = load(&[("WAYPOINT_SESSION_SECRET", other), ("WAYPOINT_FORM_SECRET", SECRET)]).unwrap_err();
        assert_eq!(err.variable, "WAYPOINT_FORM_SECRET");
        assert!(err.problem.contains("WAYPOINT_SESSION_SECRET"), "{err}");
        assert!(load(&[]).unwrap().form_secret.is_none());
    }

    #[test]
    fn serving_outside_demo_mode_needs_the_form_secret() {
        let provider = [("WAYPOINT_OIDC_ISSUER", "https://sso.example.edu"), ("WAYPOINT_OIDC_CLIENT_ID", "waypoint")];
        let err = load(&provider).unwrap().check_serve().unwrap_err();
        assert_eq!(err.variable, "WAYPOINT_FORM_SECRET");
        let mut with_secret = provider.to_vec();
        with_secret.push(("WAYPOINT_FORM_SECRET", SECRET));
        assert_eq!(load(&with_secret).unwrap().check_serve(), Ok(()));
        let mut old_name = provider.to_vec();
        old_name.push(("WAYPOINT_SESSION_SECRET", SECRET));
        assert_eq!(load(&old_name).unwrap().check_serve(), Ok(()));
        // No provider: that is named first; demo mode needs neither.
        assert_eq!(
            load(&[("WAYPOINT_FORM_SECRET", SECRET)]).unwrap().check_serve().unwrap_err().variable,
            "WAYPOINT_OIDC_ISSUER"
        );
        assert_eq!(load(&[("WAYPOINT_DEMO", "true")]).unwrap().check_serve(), Ok(()));
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let t = load(&[("WAYPOINT_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8 fd00::/8 192.168.1.77/24")])
            .unwrap()
            .trusted_proxies;
        for yes in ["127.0.0.1", "10.200.3.4", "fd12:3456::1", "192.168.1.1", "::ffff:10.1.2.3"] {
            assert!(t.trusts(ip(yes)), "{yes}");
        }
        for no in ["127.0.0.2", "11.0.0.1", "fe80::1", "192.168.2.1", "::1", "203.0.113.9"] {
            assert!(!t.trusts(ip(no)), "{no}");
        }
        assert!(load(&[]).unwrap().trusted_proxies.is_empty(), "none by default");
        let all_v4 = TrustedProxies::parse("0.0.0.0/0").unwrap();
        assert!(all_v4.trusts(ip("203.0.113.9")) && !all_v4.trusts(ip("2001:db8::1")));
        let mapped = TrustedProxies::parse("::ffff:10.0.0.0/104").unwrap();
        assert!(mapped.trusts(ip("10.9.9.9")) && !mapped.trusts(ip("11.0.0.1")));
        assert_eq!(IpNet::parse("2001:db8::1/32").unwrap().to_string(), "2001:db8::/32");
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "300.1.1.1", "proxy.campus.edu", "10.0.0.1:80"]
        {
            assert!(IpNet::parse(bad).is_err(), "{bad}");
        }
    }
}
