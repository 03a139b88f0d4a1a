//! Builds the application on a bound listener, so tests can bind port 0 and learn the port.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, ErrorHandlers};
use actix_web::{web, App, HttpResponse, HttpServer};
use diesel::connection::SimpleConnection;
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::{self, Pool};
use crate::telemetry::{self, Metrics};
use crate::web::pages;
use crate::web::Templates;
use crate::{home, seed};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Database(#[from] db::DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("templates: {0}")]
    Templates(String),
    #[error("demo data: {0}")]
    Seed(String),
}

pub struct Application {
    port: u16,
    server: Server,
    pool: Pool,
}

impl Application {
    /// Migrates the database, loads demo data when asked and the database is empty,
    /// binds the listener and prepares the server (which starts on `run_until_stopped`).
    pub fn build(settings: Settings) -> Result<Application, StartupError> {
        let applied = db::migrate(&settings.database_url)?;
        if !applied.is_empty() {
            tracing::info!(migrations = ?applied, "database migrated");
        }
        let pool = db::build_pool(&settings.database_url)?;
        if settings.demo {
            let mut conn = pool.get().map_err(|e| db::DbError::Pool(e.to_string()))?;
            if seed::database_is_empty(&mut conn).map_err(|e| StartupError::Seed(e.to_string()))? {
                let report = seed::load_demo_data(&mut conn)
                    .map_err(|e| StartupError::Seed(e.to_string()))?;
                tracing::info!(rows = report.inserted(), "demo data loaded");
            }
        }
        let templates = Templates::load().map_err(|e| StartupError::Templates(e.to_string()))?;
        let listener = TcpListener::bind(settings.bind).map_err(|source| StartupError::Bind {
            addr: settings.bind.to_string(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind {
                addr: settings.bind.to_string(),
                source,
            })?
            .port();
        let server = run(listener, pool.clone(), templates, settings).map_err(|source| {
            StartupError::Bind {
                addr: "listener".into(),
                source,
            }
        })?;
        Ok(Application { port, server, pool })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> Pool {
        self.pool.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn run(
    listener: TcpListener,
    pool: Pool,
    templates: Templates,
    settings: Settings,
) -> std::io::Result<Server> {
    let pool = web::Data::new(pool);
    let templates = web::Data::new(templates);
    let metrics = web::Data::new(Metrics::new());
    let settings = web::Data::new(Arc::new(settings));
    let server = HttpServer::new(move || {
        App::new()
            // Innermost first: error pages are rendered before the request id and the
            // metrics see the response; the tracing logger wraps everything.
            .wrap(ErrorHandlers::new().default_handler(pages::render_error_page))
            .wrap(pages::security_headers())
            .wrap(Compress::default())
            .wrap(from_fn(telemetry::observe_requests))
            .wrap(TracingLogger::default())
            .app_data(pool.clone())
            .app_data(templates.clone())
            .app_data(metrics.clone())
            .app_data(settings.clone())
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(telemetry::metrics_endpoint))
            .route("/assets/{name}", web::get().to(pages::asset))
            .configure(home::configure)
            .default_service(web::to(pages::not_found))
    })
    .shutdown_timeout(5)
    .listen(listener)?
    .run();
    Ok(server)
}

/// The process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok\n")
}

/// The database answers. A quick check with its own short wait, so a load balancer
/// learns fast when this instance cannot serve.
async fn readyz(pool: web::Data<Pool>) -> HttpResponse {
    let pool = pool.get_ref().clone();
    let checked = web::block(move || -> Result<(), String> {
        let mut conn = pool
            .get_timeout(Duration::from_secs(2))
            .map_err(|e| e.to_string())?;
        conn.batch_execute("SELECT 1").map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r);
    match checked {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready\n"),
        Err(cause) => {
            tracing::warn!(error = %cause, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("not ready: the database does not answer\n")
        }
    }
}
