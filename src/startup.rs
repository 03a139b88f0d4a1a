//! Builds the application on a bound listener, so tests can bind port 0 and learn the port.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, ErrorHandlers};
use actix_web::{web, App, HttpResponse, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::auth::csrf;
use crate::auth::dev_idp::{self, DevIdp};
use crate::auth::oidc::Provider;
use crate::auth::{self, tokens, AuthContext};
use crate::config::Settings;
use crate::core::Clock;
use crate::db::{self, Pool};
use crate::fairs;
use crate::telemetry::{self, Metrics};
use crate::web::flash::{self, Flashes};
use crate::web::pages;
use crate::web::Templates;
use crate::{endorsements, home, inbox, notify, opportunities, partners, seed};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Database(#[from] db::DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("templates: {0}")]
    Templates(String),
    #[error("demo data: {0}")]
    Seed(String),
    #[error("{0}")]
    SignIn(String),
    #[error("configuration: {0}")]
    Config(#[from] crate::config::ConfigError),
}

pub struct Application {
    port: u16,
    server: Server,
    pool: Pool,
    clock: Clock,
}

impl Application {
    /// Binds `WAYPOINT_BIND` and builds the application on it.
    pub fn build(settings: Settings) -> Result<Application, StartupError> {
        let listener = TcpListener::bind(settings.bind)
            .map_err(|source| StartupError::Bind { addr: settings.bind.to_string(), source })?;
        Application::build_on(listener, settings)
    }

    /// Migrates the database, loads demo data when asked and the database is empty,
    /// sets up campus sign-in, and prepares the server on `listener` (it starts on
    /// `run_until_stopped`). Tests bind port 0 first and set the public URL to match.
    pub fn build_on(listener: TcpListener, settings: Settings) -> Result<Application, StartupError> {
        let clock = Clock::system(settings.timezone);
        Application::build_with_clock(listener, settings, clock)
    }

    /// As `build_on`, with the campus clock given (tests fix it, and move it).
    pub fn build_with_clock(
        listener: TcpListener,
        settings: Settings,
        clock: Clock,
    ) -> Result<Application, StartupError> {
        settings.check_serve()?;
        let applied = db::migrate(&settings.database_url)?;
        if !applied.is_empty() {
            tracing::info!(migrations = ?applied, "database migrated");
        }
        let pool = db::build_pool(&settings.database_url)?;
        if let Ok(mut conn) = pool.get() {
            if let Err(e) = conn.refresh_statistics() {
                tracing::warn!(error = %e, "planner statistics not refreshed");
            }
        }
        if settings.demo {
            let mut conn = pool.get().map_err(|e| db::DbError::Pool(e.to_string()))?;
            if seed::database_is_empty(&mut conn).map_err(|e| StartupError::Seed(e.to_string()))? {
                let report = seed::load_demo_data(&mut conn, &clock).map_err(|e| StartupError::Seed(e.to_string()))?;
                tracing::info!(rows = report.inserted(), "demo data loaded");
            }
            crate::auth::recruiters::set_demo_passwords(&mut conn, clock.now_utc())
                .map_err(|e| StartupError::Seed(e.to_string()))?;
        }
        let templates = Templates::load(&clock).map_err(|e| StartupError::Templates(e.to_string()))?;
        let (auth_context, demo_idp) = sign_in(&settings)?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { addr: settings.bind.to_string(), source })?
            .port();
        let mail = settings.smtp_url.as_ref().map(|url| notify::mail::Outgoing {
            smtp_url: url.clone(),
            from: settings.mail_from.clone(),
            public_url: settings.public_url.clone(),
        });
        crate::tasks::spawn(pool.clone(), clock.clone(), mail);
        let server = run(listener, pool.clone(), templates, settings, clock.clone(), auth_context, demo_idp)
            .map_err(|source| StartupError::Bind { addr: "listener".into(), source })?;
        Ok(Application { port, server, pool, clock })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> Pool {
        self.pool.clone()
    }

    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Campus sign-in: the configured provider, or in demo mode (without one) the built-in
/// development provider. Outside demo mode a provider is required.
fn sign_in(settings: &Settings) -> Result<(AuthContext, Option<DevIdp>), StartupError> {
    let scopes = &settings.oidc_scopes;
    match (&settings.oidc, settings.demo) {
        (Some(oidc), _) => {
            let secret = oidc.client_secret.as_ref().map(|s| s.expose());
            let provider = Provider::new(&oidc.issuer, &oidc.client_id, secret, &settings.public_url, scopes)
                .map_err(StartupError::SignIn)?;
            // Read the discovery document now, in the background: a provider that is
            // down at start is retried at the first sign-in rather than stopping us.
            let early = provider.clone();
            tokio::spawn(async move {
                if let Err(e) = early.metadata().await {
                    tracing::warn!(error = %e, "campus sign-in provider not reachable yet");
                }
            });
            let dev = match settings.demo {
                true => Some(DevIdp::new(settings, tokens::random_token()).map_err(StartupError::SignIn)?),
                false => None,
            };
            Ok((AuthContext::new(settings, provider), dev))
        }
        (None, true) => {
            let secret = tokens::random_token();
            let dev = DevIdp::new(settings, secret.clone()).map_err(StartupError::SignIn)?;
            let issuer = url::Url::parse(dev.issuer()).map_err(|e| StartupError::SignIn(e.to_string()))?;
            let mut demo_scopes = scopes.clone();
            if !demo_scopes.iter().any(|s| s == "affiliation") {
                demo_scopes.push("affiliation".into());
            }
            let provider =
                Provider::new(&issuer, dev_idp::CLIENT_ID, Some(&secret), &settings.public_url, &demo_scopes)
                    .map_err(StartupError::SignIn)?;
            Ok((AuthContext::new(settings, provider), Some(dev)))
        }
        (None, false) => Err(StartupError::SignIn(
            "WAYPOINT_OIDC_ISSUER: is required to serve (campus sign-in); for a trial run use `waypoint serve --demo`"
                .into(),
        )),
    }
}

fn run(
    listener: TcpListener,
    pool: Pool,
    templates: Templates,
    settings: Settings,
    clock: Clock,
    auth_context: AuthContext,
    demo_idp: Option<DevIdp>,
) -> std::io::Result<Server> {
    let clock = web::Data::new(clock);
    let auth_context = web::Data::new(auth_context);
    let demo_idp = demo_idp.map(web::Data::new);
    let pool = web::Data::new(pool);
    let templates = web::Data::new(templates);
    let metrics = web::Data::new(Metrics::new());
    let trusted_proxies = web::Data::new(settings.trusted_proxies.clone());
    let flashes = web::Data::new(Flashes::new(settings.form_secret.as_ref(), &settings.public_url));
    let api_limits = web::Data::new(crate::api::RateLimiter::new(settings.api_rate_limit));
    let dashboard_figures = web::Data::new(crate::dashboard::routes::KeptFigures::new());
    let settings = web::Data::new(Arc::new(settings));
    let server = HttpServer::new(move || {
        let app = App::new()
            // Innermost first: the CSRF check, then error pages (rendered before
            // the request id and the metrics see the response), then the message left
            // by the last action (into any page, error pages too, before compression);
            // the tracing logger wraps everything.
            .wrap(from_fn(csrf::protect))
            .wrap(from_fn(crate::web::nul::refuse))
            // Under /api every error is a problem detail (before the error pages see it).
            .wrap(from_fn(crate::api::problem::answer))
            .wrap(ErrorHandlers::new().default_handler(pages::render_error_page))
            .wrap(from_fn(flash::carry))
            .wrap(pages::security_headers())
            .wrap(Compress::default())
            .wrap(from_fn(telemetry::observe_requests))
            .wrap(TracingLogger::<telemetry::RequestSpan>::new())
            .app_data(pool.clone())
            .app_data(templates.clone())
            .app_data(metrics.clone())
            .app_data(settings.clone())
            .app_data(clock.clone())
            .app_data(trusted_proxies.clone())
            .app_data(auth_context.clone())
            .app_data(flashes.clone())
            .app_data(api_limits.clone())
            .app_data(dashboard_figures.clone())
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(telemetry::metrics_endpoint))
            .route("/assets/{name}", web::get().to(pages::asset))
            .configure(home::configure)
            .configure(auth::routes::configure)
            .configure(opportunities::routes::configure)
            .configure(partners::routes::configure)
            .configure(fairs::routes::configure)
            .configure(inbox::configure)
            .configure(endorsements::routes::configure)
            .configure(crate::records::routes::configure)
            .configure(crate::outcomes::routes::configure)
            .configure(crate::reports::routes::configure)
            .configure(crate::dashboard::routes::configure)
            .configure(crate::api::configure);
        // The demo identity provider exists only in demo mode.
        let app = match &demo_idp {
            Some(idp) => app.app_data(idp.clone()).configure(dev_idp::configure),
            None => app,
        };
        app.default_service(web::to(pages::not_found))
    })
    .shutdown_timeout(5)
    .listen(listener)?
    .run();
    Ok(server)
}

/// The process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok\n")
}

/// The database answers. A quick check with its own short wait, so a load balancer
/// learns fast when this instance cannot serve.
async fn readyz(pool: web::Data<Pool>) -> HttpResponse {
    let pool = pool.get_ref().clone();
    let checked = web::block(move || -> Result<(), String> {
        let mut conn = pool.get_timeout(Duration::from_secs(2)).map_err(|e| e.to_string())?;
        conn.check_ready()
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r);
    match checked {
        Ok(()) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready\n"),
        Err(cause) => {
            tracing::warn!(error = %cause, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("not ready: the database does not answer\n")
        }
    }
}
