//! Storage: one binary, two backends. The backend is chosen at run time by the
//! database URL (`sqlite://PATH` or `postgres://...`); everything above this module
//! talks to [`DbConnection`] and does not care which it is, except where SQL must differ
//! (match on the variant there, as [`DbConnection::backend`] does).

pub mod batch;
pub mod leases;
pub mod schema;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::DatabaseUrl;
use crate::core::Error;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The key of the PostgreSQL advisory lock that migrations run under (any constant
/// that nothing else uses; "waypoint" in ASCII).
const MIGRATION_LOCK: i64 = 0x7761_7970_6f69_6e74;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgresql(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// The placeholder for the `n`th (1-based) bind parameter of a raw SQL query.
    /// Numbered on both backends, so one parameter may appear several times.
    pub fn placeholder(&self, n: usize) -> String {
        match self {
            DbConnection::Postgresql(_) => format!("${n}"),
            DbConnection::Sqlite(_) => format!("?{n}"),
        }
    }

    /// Opens one connection for `url`, with the per-connection settings of its backend.
    pub fn open(url: &DatabaseUrl) -> Result<Self, DbError> {
        match url {
            DatabaseUrl::Postgres(u) => {
                let conn =
                    PgConnection::establish(u.expose()).map_err(|e| DbError::Connect(one_line(&e.to_string())))?;
                Ok(DbConnection::Postgresql(conn))
            }
            DatabaseUrl::Sqlite(path) => {
                check_sqlite_directory(path)?;
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(|e| DbError::Connect(format!("{}: {}", path.display(), one_line(&e.to_string()))))?;
                // WAL lets readers work beside the one writer; busy_timeout makes a writer wait
                // for the lock instead of failing at once; NORMAL is safe with WAL. A page
                // cache of 32 MiB (SQLite's default is 2 MiB): at 100,000 students a
                // catalogue page, and an export's every batch, read their pages from the
                // file again and again (a third of first-destination.csv's time was the
                // kernel copying pages). Not a memory map: each page read through one is
                // parsed again, which cost the server more than the copy. `optimize` (as
                // SQLite advises for long-lived connections) keeps the planner's statistics
                // fresh; it does nothing when they are.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA busy_timeout = 10000;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA cache_size = -32768;
                     PRAGMA optimize = 0x10002;",
                )
                .map_err(|e| DbError::Connect(format!("{}: {}", path.display(), one_line(&e.to_string()))))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    /// Applies every pending embedded migration of this connection's backend.
    ///
    /// On PostgreSQL the migrations run under a session advisory lock: several instances
    /// starting at once on an empty database would otherwise all create the same tables
    /// (each migration's transaction sees no other's until it commits), and all but one
    /// would stop with "relation already exists". The others wait for the lock, then find
    /// nothing pending. (SQLite serves one instance; its file has one writer at a time.)
    pub fn migrate(&mut self) -> Result<Vec<String>, DbError> {
        let applied = match self {
            DbConnection::Postgresql(c) => {
                let lock = format!("SELECT pg_advisory_lock({MIGRATION_LOCK})");
                c.batch_execute(&lock).map_err(|e| DbError::Migrate(e.to_string()))?;
                let applied =
                    c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.iter().map(|v| v.to_string()).collect());
                // The lock is the session's: released here, or when the connection closes.
                let unlocked = c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
                let applied: Vec<String> = applied.map_err(|e| DbError::Migrate(e.to_string()))?;
                unlocked.map_err(|e| DbError::Migrate(e.to_string()))?;
                applied
            }
            DbConnection::Sqlite(c) => c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.iter().map(|v| v.to_string()).collect())
                .map_err(|e| DbError::Migrate(e.to_string()))?,
        };
        Ok(applied)
    }

    /// Whether this connection still reaches the database, for `/readyz`. PostgreSQL:
    /// the server answers. SQLite: the file this connection opened is still at its path
    /// and its schema reads. (An open SQLite connection keeps answering from a file
    /// that was removed or unmounted, writing where no one will ever read; `SELECT 1`
    /// alone would call that ready.)
    pub fn check_ready(&mut self) -> Result<(), String> {
        match self {
            DbConnection::Postgresql(c) => c.batch_execute("SELECT 1").map_err(|e| e.to_string()),
            DbConnection::Sqlite(c) => {
                #[derive(diesel::QueryableByName)]
                struct Attached {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    name: String,
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    file: String,
                }
                use diesel::RunQueryDsl;
                let files: Vec<Attached> =
                    diesel::sql_query("PRAGMA database_list").load(c).map_err(|e| e.to_string())?;
                let main = files.iter().find(|a| a.name == "main").ok_or("no main database")?;
                if !main.file.is_empty() && !Path::new(&main.file).exists() {
                    return Err(format!("the database file {} is gone", main.file));
                }
                // A connection opened after the file went (a periodic task's) makes a new, empty
                // file: only a migrated database is ready.
                c.batch_execute("SELECT COUNT(*) FROM __diesel_schema_migrations").map_err(|e| e.to_string())
            }
        }
    }

    /// Refreshes the query planner's statistics (and, on SQLite, re-pairs the full-text
    /// rows with their postings' rowids if a VACUUM or a restore renumbered them: a broad
    /// catalogue search relies on the pairing, migration `2026-11-30-001000_scale_indexes`). Without them SQLite may join the
    /// catalogue in a bad order (measured: 5x slower on 20 000 postings, BENCHMARKS.md).
    /// `analysis_limit` keeps it to a sample, so it stays fast on large tables.
    pub fn refresh_statistics(&mut self) -> diesel::QueryResult<()> {
        match self {
            DbConnection::Sqlite(c) => {
                c.batch_execute(SEARCH_ROWIDS_REPAIR)?;
                c.batch_execute("PRAGMA analysis_limit = 1000; ANALYZE;")
            }
            DbConnection::Postgresql(c) => c.batch_execute("ANALYZE"),
        }
    }

    /// Reverts every applied migration (newest first). Used by the migration round-trip test.
    pub fn revert_all(&mut self) -> Result<usize, DbError> {
        let reverted = match self {
            DbConnection::Postgresql(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS),
            DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS),
        }
        .map_err(|e| DbError::Migrate(e.to_string()))?;
        Ok(reverted.len())
    }
}

fn check_sqlite_directory(path: &Path) -> Result<(), DbError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(DbError::Connect(format!("the directory {} of the SQLite database does not exist", dir.display())));
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database: {0}")]
    Connect(String),
    #[error("cannot migrate the database: {0}")]
    Migrate(String),
    #[error("database pool: {0}")]
    Pool(String),
}

/// r2d2 manager that opens the backend named by the URL.
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        DbConnection::open(&self.url)
            .map_err(|e| diesel::r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(e.to_string())))
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Builds the pool. SQLite gets a small pool (one writer at a time anyway);
/// PostgreSQL a larger one. The pool does not connect eagerly beyond one connection,
/// so a database that is down at start is reported by `/readyz`, not a crash.
pub fn build_pool(url: &DatabaseUrl) -> Result<Pool, DbError> {
    let max = match url {
        DatabaseUrl::Sqlite(_) => 8,
        DatabaseUrl::Postgres(_) => 16,
    };
    r2d2::Pool::builder()
        .max_size(max)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .test_on_check_out(false)
        .build(ConnectionManager { url: url.clone() })
        .map_err(|e| DbError::Pool(one_line(&e.to_string())))
}

/// Opens one connection and applies pending migrations. Returns the applied versions.
pub fn migrate(url: &DatabaseUrl) -> Result<Vec<String>, DbError> {
    let mut conn = DbConnection::open(url)?;
    conn.migrate()
}

/// No connection could be had (pool exhausted or database down), or the worker was cancelled.
#[derive(Debug, thiserror::Error)]
#[error("database unavailable: {0}")]
pub struct Unavailable(pub String);

/// A pooled connection, for code already on the blocking thread pool ([`run`] takes one
/// itself).
pub fn connection(pool: &Pool) -> Result<PooledConnection, Unavailable> {
    pool.get().map_err(|e| Unavailable(one_line(&e.to_string())))
}

/// Runs `f` with a pooled connection on the blocking thread pool, off the actix workers.
pub async fn run<T, E, F>(pool: &Pool, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<Unavailable> + Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = connection(&pool)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| E::from(Unavailable(e.to_string())))?
}

/// Runs `f` in a transaction. On SQLite a deferred transaction that read first cannot
/// upgrade to a writer while another connection writes ("database is locked" at once,
/// without waiting for busy_timeout), so the whole transaction is retried a few times:
/// it was rolled back, so running it again is safe.
pub fn transaction<T, E, F>(conn: &mut DbConnection, mut f: F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error> + IsBusy,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match diesel::Connection::transaction(conn, |c| f(c)) {
            Err(e) if attempt < 8 && e.is_busy() => {
                std::thread::sleep(Duration::from_millis(10 * attempt));
            }
            other => return other,
        }
    }
}

/// Whether an error is SQLite's "database is locked" / "database is busy".
pub trait IsBusy {
    fn is_busy(&self) -> bool;
}

impl IsBusy for diesel::result::Error {
    fn is_busy(&self) -> bool {
        match self {
            diesel::result::Error::DatabaseError(_, info) => {
                let m = info.message();
                m.contains("database is locked") || m.contains("database is busy")
            }
            _ => false,
        }
    }
}

impl IsBusy for Error {
    fn is_busy(&self) -> bool {
        matches!(self, Error::Busy(_))
    }
}

/// A query's failure as the domain error: no row is `NotFound`; SQLite's lock is `Busy`
/// (so [`transaction`] retries); anything else is ours (`Internal`, logged, not shown).
impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => Error::NotFound,
            e if e.is_busy() => Error::Busy(e.to_string()),
            other => Error::Internal(format!("database: {other}")),
        }
    }
}

impl From<Unavailable> for Error {
    fn from(e: Unavailable) -> Self {
        Error::Unavailable(e.0)
    }
}

/// On SQLite, the full-text rows are rebuilt when any of them no longer carries its
/// posting's rowid (one pass over the index's rows; nothing is written when they pair).
const SEARCH_ROWIDS_REPAIR: &str = "
CREATE TEMP TABLE IF NOT EXISTS search_rowids_unpaired (n INTEGER);
DELETE FROM temp.search_rowids_unpaired;
INSERT INTO temp.search_rowids_unpaired
    SELECT 1 FROM opportunity_search s LEFT JOIN opportunities o ON o.rowid = s.rowid
    WHERE o.id IS NOT s.opportunity_id LIMIT 1;
INSERT INTO temp.search_rowids_unpaired
    SELECT 1 FROM opportunities o WHERE NOT EXISTS (SELECT 1 FROM opportunity_search s WHERE s.rowid = o.rowid) LIMIT 1;
DELETE FROM opportunity_search WHERE EXISTS (SELECT 1 FROM temp.search_rowids_unpaired);
INSERT INTO opportunity_search (rowid, opportunity_id, title, description, skills, employer_name)
    SELECT o.rowid, o.id, o.title, o.description, replace(o.skills, ',', ' '), e.name
    FROM opportunities o JOIN employers e ON e.id = o.employer_id
    WHERE EXISTS (SELECT 1 FROM temp.search_rowids_unpaired);
INSERT INTO opportunity_search (opportunity_search)
    SELECT 'optimize' WHERE EXISTS (SELECT 1 FROM temp.search_rowids_unpaired);
DELETE FROM temp.search_rowids_unpaired;
";
