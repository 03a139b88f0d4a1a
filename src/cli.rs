//! The `waypoint` command line: one binary for the server and the office's batch jobs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::auth::roles;
use crate::config::{ConfigError, Settings, Sources};
use crate::core::{Actor, Clock, Error, Role};
use crate::csv_import::ImportCounts;
use crate::db::{self, DbConnection};
use crate::outcomes::import::import_outcomes;
use crate::partners::import::import_employers;
use crate::reports::filters::{Filters, RawFilters};
use crate::reports::registry::{self, ReportName, RunAt};
use crate::startup::Application;
use crate::students::import::import_roster;
use crate::{seed, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "waypoint",
    version,
    about = "Waypoint: the career office's server for campus SSO, employer partnerships, micro-internships, virtual fairs and NACE outcome reports.",
    long_about = "Waypoint: the career office's server for campus SSO, employer partnerships, \
micro-internships, virtual fairs and NACE outcome reports.\n\n\
Configuration comes from WAYPOINT_* environment variables (and an optional waypoint.toml); \
the database is chosen by WAYPOINT_DATABASE_URL: sqlite://PATH (default sqlite://waypoint.db) \
or postgres://USER@HOST:PORT/DB."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the web portal, the JSON API and the health endpoints.
    Serve {
        /// Demo mode: create and migrate the database if needed, load the demo data into an
        /// empty database, and serve (same as WAYPOINT_DEMO=true).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Load the demo data (students, employers, postings, fairs, outcomes). Running it
    /// again changes nothing. With --synthetic, fill an empty database with a synthetic
    /// university of --students N students instead (for benchmarks; ends with
    /// `bench-handle` lines).
    Seed {
        /// A synthetic data set in proportion to --students, instead of the demo data
        #[arg(long, requires = "students")]
        synthetic: bool,
        /// How many students the synthetic university has (at least 1000)
        #[arg(long, requires = "synthetic")]
        students: Option<usize>,
        /// The synthetic data's seed: the same seed and N give the same data
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Import records from a CSV file (all or nothing).
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
    /// Write a report as CSV to standard output (the same bytes as the portal's file for
    /// the same filters): first-destination, placements, conversions, micro-internships,
    /// endorsements. Bad filters or an unknown report: exit code 2.
    Report {
        /// The report's name, e.g. first-destination or conversions
        name: String,
        /// A class year: graduates from July of the year before to June of it (first-destination needs one)
        #[arg(long)]
        cohort: Option<String>,
        /// college or major (first-destination only; college unless told)
        #[arg(long)]
        group_by: Option<String>,
        /// Only students of this college (as the roster writes it)
        #[arg(long)]
        college: Option<String>,
        /// Only this employer (its name in the catalogue)
        #[arg(long)]
        employer: Option<String>,
        /// From this date (YYYY-MM-DD), by the date each report goes by
        #[arg(long)]
        from: Option<String>,
        /// Until this date (YYYY-MM-DD), included
        #[arg(long)]
        to: Option<String>,
    },
    /// Grant a role (student, faculty, counselor, admin) to the person with EMAIL.
    /// When no one has signed in with EMAIL yet, the grant waits and applies at their
    /// first campus sign-in (it is listed as pending at /admin/roles; --revoke takes it back).
    Grant {
        /// student, faculty, counselor or admin
        role: String,
        /// The person's campus email address
        email: String,
        /// Take the granted role back instead
        #[arg(long)]
        revoke: bool,
    },
    /// API tokens for campus systems (the JSON API at /api/v1; reference at /api/docs).
    Token {
        #[command(subcommand)]
        what: TokenCommand,
    },
}

/// `waypoint token ...`: API tokens for campus systems.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token and print its secret (shown only this once; only its digest is
    /// stored). Scopes: roster:write, catalogue:read, outcomes:read, outcomes:write,
    /// reports:read, fairs:read.
    Create {
        /// Which system uses it, e.g. "Data warehouse"
        #[arg(long)]
        name: String,
        /// Comma-separated scopes, e.g. reports:read,outcomes:read
        #[arg(long)]
        scopes: String,
        /// Days until it stops working (1 to 730)
        #[arg(long)]
        expires: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// Graduates' outcomes (first destinations). Columns: student_number, category, source,
    /// known_on (required); employment_type, organization, job_title, start_on,
    /// annual_salary (major units), currency, primary (true/false; empty = false),
    /// offer_on, accepted_on. All or nothing (FILE:LINE: field: problem); a row matching an
    /// outcome already recorded updates it, so importing the same file again changes nothing.
    Outcomes {
        /// The outcomes CSV file (UTF-8, header row)
        file: PathBuf,
    },
    /// The student roster from the student information system. Columns: student_number,
    /// email, name, college, major, class_year, graduation_term (YYYY-MM or e.g. "Spring 2026").
    /// Every row is checked first; any bad row is reported as FILE:LINE: field: problem
    /// and nothing is written. Otherwise students are added or updated by student_number.
    Students {
        /// The roster CSV file (UTF-8, header row)
        file: PathBuf,
    },
    /// Employers and their partnerships. Columns: name and industry (required); any of
    /// website, email_domain, size, location, description, tier (strategic, gold, silver,
    /// standard) and status (prospect, active, paused, ended; blank keeps it). Rows match
    /// employers by name: new ones are added, known ones updated (a column left out of
    /// the file leaves that field as it is); a status change follows the same rules as in
    /// the portal. Any bad row or unknown column: every problem reported as
    /// FILE:LINE: field: problem and nothing written.
    Employers {
        /// The employers CSV file (UTF-8, header row)
        file: PathBuf,
    },
}

/// A failure of a command: printed as one line (or one line per problem) on stderr.
#[derive(Debug)]
pub struct Failure {
    message: String,
    code: u8,
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure { message: format!("configuration: {e}"), code: 2 }
    }
}

impl From<db::DbError> for Failure {
    fn from(e: db::DbError) -> Self {
        Failure { message: e.to_string(), code: 1 }
    }
}

fn fail(message: impl Into<String>) -> Failure {
    Failure { message: message.into(), code: 1 }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            for line in f.message.lines() {
                eprintln!("waypoint: {line}");
            }
            ExitCode::from(f.code)
        }
    }
}

fn settings(demo: bool) -> Result<Settings, Failure> {
    let sources = Sources::from_process()?;
    let settings = Settings::load(&sources, demo)?;
    telemetry::init(settings.log_format);
    Ok(settings)
}

fn connect(settings: &Settings) -> Result<DbConnection, Failure> {
    let mut conn = DbConnection::open(&settings.database_url)?;
    conn.migrate()?;
    Ok(conn)
}

pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve { demo } => serve(settings(demo)?),
        Command::Migrate => {
            let settings = settings(false)?;
            let applied = DbConnection::open(&settings.database_url)?.migrate()?;
            if applied.is_empty() {
                println!("the database is up to date");
            } else {
                println!("applied {} migration(s): {}", applied.len(), applied.join(", "));
            }
            Ok(())
        }
        Command::Seed { synthetic: true, students, seed } => {
            let settings = settings(false)?;
            let mut conn = connect(&settings)?;
            let clock = Clock::system(settings.timezone);
            let report = crate::synthetic::generate(&mut conn, &clock, students.unwrap_or_default(), seed)
                .map_err(|e| fail(format!("seed --synthetic: {e}")))?;
            println!("{report}");
            Ok(())
        }
        Command::Seed { .. } => {
            let settings = settings(false)?;
            let mut conn = connect(&settings)?;
            let report =
                seed::load_demo_data(&mut conn, &Clock::system(settings.timezone)).map_err(|e| fail(e.to_string()))?;
            println!("{report}");
            Ok(())
        }
        Command::Import { what: ImportKind::Students { file } } => {
            let settings = settings(false)?;
            let label = file.display().to_string();
            let reader = std::fs::File::open(&file).map_err(|e| fail(format!("{label}: cannot open: {e}")))?;
            let mut conn = connect(&settings)?;
            let now = Clock::system(settings.timezone).now_utc();
            report_import(&label, import_roster(&mut conn, &label, std::io::BufReader::new(reader), &Actor::Cli, now))
        }
        Command::Import { what: ImportKind::Employers { file } } => {
            let settings = settings(false)?;
            let label = file.display().to_string();
            let reader = std::fs::File::open(&file).map_err(|e| fail(format!("{label}: cannot open: {e}")))?;
            let mut conn = connect(&settings)?;
            let clock = Clock::system(settings.timezone);
            let (today, now) = (clock.today(), clock.now_utc());
            let reader = std::io::BufReader::new(reader);
            report_import(&label, import_employers(&mut conn, &label, reader, &Actor::Cli, today, now))
        }
        Command::Import { what: ImportKind::Outcomes { file } } => {
            let settings = settings(false)?;
            let label = file.display().to_string();
            let reader = std::fs::File::open(&file).map_err(|e| fail(format!("{label}: cannot open: {e}")))?;
            let mut conn = connect(&settings)?;
            let clock = Clock::system(settings.timezone);
            let (today, now) = (clock.today(), clock.now_utc());
            let reader = std::io::BufReader::new(reader);
            report_import(&label, import_outcomes(&mut conn, &label, reader, &Actor::Cli, today, now))
        }
        Command::Report { name, cohort, group_by, college, employer, from, to } => {
            let raw = RawFilters { class: None, cohort, group_by, college, employer, from, to };
            report(&name, &raw)
        }
        Command::Token { what: TokenCommand::Create { name, scopes, expires } } => {
            create_token(&name, &scopes, &expires)
        }
        Command::Grant { role, email, revoke } => {
            let role: Role = role.parse().map_err(|e: String| Failure { message: e, code: 2 })?;
            let settings = settings(false)?;
            let mut conn = connect(&settings)?;
            let now = Clock::system(settings.timezone).now_utc();
            let outcome = if revoke {
                roles::revoke(&mut conn, role, &email, &Actor::Cli, now)
            } else {
                roles::grant(&mut conn, role, &email, &Actor::Cli, now)
            }
            .map_err(|e| fail(e.to_string()))?;
            println!("{}", outcome.describe(role, &email.trim().to_ascii_lowercase()));
            Ok(())
        }
    }
}

/// A filter's problems as the command line names them: `--cohort: ...`.
fn bad_filters(e: Error) -> Failure {
    match e {
        Error::Invalid(problems) => Failure {
            message: problems
                .as_slice()
                .iter()
                .map(|p| format!("--{}: {}", p.field.replace('_', "-").replace("class", "cohort"), p.problem))
                .collect::<Vec<_>>()
                .join("\n"),
            code: 2,
        },
        other => fail(other.to_string()),
    }
}

/// `waypoint report NAME`: the file to standard output through the same writer as the
/// portal's download, then an audit event of the run.
fn report(name: &str, raw: &RawFilters) -> Result<(), Failure> {
    use std::io::Write;
    let report = ReportName::parse(name).ok_or_else(|| Failure {
        message: format!("no report is named `{name}`: one of {}", ReportName::names()),
        code: 2,
    })?;
    let settings = settings(false)?;
    let clock = Clock::system(settings.timezone);
    // Filters that do not read stop here, before the database is opened.
    Filters::parse(raw, report.as_str(), report.accepts(), report.needs_cohort(), &clock).map_err(bad_filters)?;
    let mut conn = connect(&settings)?;
    let filters = Filters::read(&mut conn, raw, report.as_str(), report.accepts(), report.needs_cohort(), &clock)
        .map_err(bad_filters)?;
    let (today, now) = (clock.today(), clock.now_utc());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = None;
    let rows =
        registry::write(&mut conn, report, &filters, RunAt { today, now }, &mut |bytes| match out.write_all(&bytes) {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        })
        .map_err(|e| fail(format!("{name}: {e}")))?;
    let failed = failed.or_else(|| out.flush().err());
    // A run cut short (a closed pipe) still showed what it wrote: it is audited all the same.
    registry::audited(&mut conn, &Actor::Cli, report, &filters, rows, "cli", now).map_err(|e| fail(e.to_string()))?;
    match failed {
        Some(e) => Err(fail(format!("{name}: cannot write the report: {e}"))),
        None => Ok(()),
    }
}

/// What an import says: its counts; or every problem on a line of its own
/// (`FILE:LINE: column: problem`) and that nothing was written.
fn report_import(label: &str, result: Result<ImportCounts, Error>) -> Result<(), Failure> {
    match result {
        Ok(counts) => {
            println!("imported {label}: {counts}");
            Ok(())
        }
        Err(Error::Invalid(problems)) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Err(fail(format!("{}\n{label}: nothing imported ({} problem(s))", lines.join("\n"), problems.len())))
        }
        Err(e) => Err(fail(format!("{label}: nothing imported: {e}"))),
    }
}

/// `waypoint token create`: the secret on stdout (alone on its line, for scripts), the
/// rest on stderr; bad options are every problem, one a line.
fn create_token(name: &str, scopes: &str, expires: &str) -> Result<(), Failure> {
    let new = match crate::api::rules::check_new_token(name, &[scopes.to_owned()], expires) {
        Ok(n) => n,
        Err(Error::Invalid(p)) => {
            let lines: Vec<String> =
                p.iter().map(|p| format!("--{}: {}", p.field.replace("expires_days", "expires"), p.problem)).collect();
            return Err(Failure { message: lines.join("\n"), code: 2 });
        }
        Err(e) => return Err(fail(e.to_string())),
    };
    let settings = settings(false)?;
    let mut conn = connect(&settings)?;
    let now = Clock::system(settings.timezone).now_utc();
    let made = crate::api::tokens::create(&mut conn, &new, &Actor::Cli, now).map_err(|e| fail(e.to_string()))?;
    eprintln!(
        "made the API token \"{}\" ({}), expiring {} UTC; it is shown only now:",
        made.name,
        crate::api::rules::scopes_text(&new.scopes),
        made.expires_at.format("%Y-%m-%d %H:%M")
    );
    println!("{}", made.secret.expose());
    Ok(())
}

fn serve(settings: Settings) -> Result<(), Failure> {
    settings.check_serve()?;
    let bind = settings.bind;
    let public = settings.public_url.clone();
    let demo = settings.demo;
    if settings.form_secret.is_none() {
        tracing::warn!(
            "WAYPOINT_FORM_SECRET is not set: demo mode signs the sign-in forms with a random key, so a form opened before a restart is refused (sessions are not affected)"
        );
    }
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).map_err(|e| fail(e.to_string()))?;
        tracing::info!(%bind, port = app.port(), public_url = %public, demo, "waypoint is serving");
        app.run_until_stopped().await.map_err(|e| fail(format!("server: {e}")))
    })
}
