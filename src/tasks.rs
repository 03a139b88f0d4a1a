//! Periodic work inside the server, in one registry. A task is a name, how often it
//! runs, and a function of a database connection and the campus clock that returns how
//! much it did; an area adds one by registering it in [`registry`]:
//!
//! ```ignore
//! tasks.register("close_postings", Duration::from_secs(60), close_due_postings);
//! ```
//!
//! Each run first takes the task's lease in `task_leases` (`db::leases`), so that of
//! several instances on one database one does the work at a time; an instance that does
//! not get the lease skips the run. The work itself must be idempotent, so a lease that
//! lapses mid-run does no harm. The tasks know no HTTP and nothing calls back into here.

use std::sync::Arc;
use std::time::Duration;

use crate::core::{Clock, Error};
use crate::db::{leases, DbConnection, Pool};
use crate::notify::mail::{self, Outgoing};

/// The work of a task: one run, returning how many things it did (for the log).
pub type Work = Arc<dyn Fn(&mut DbConnection, &Clock) -> Result<usize, Error> + Send + Sync>;

/// A registered task.
pub struct Task {
    name: &'static str,
    every: Duration,
    lease: Duration,
    work: Work,
}

impl Task {
    /// The task's name, which is also its lease's.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// How long a run holds the lease. By default a little less than the interval, so
    /// that the next run may be any instance's. Longer than the interval keeps the task
    /// on the instance that holds it (it renews its own lease at each run) while it lives,
    /// as the mail sender does, so that one instance talks to the mail server at a time.
    pub fn lease(&mut self, lease: Duration) -> &mut Self {
        self.lease = lease;
        self
    }

    /// Takes the lease as `holder` and, if it is ours, runs the work once. `None`: another
    /// instance holds the lease, and nothing was done.
    fn run(&self, conn: &mut DbConnection, clock: &Clock, holder: &str) -> Result<Option<usize>, Error> {
        let now = clock.now_utc();
        let until = now + chrono::Duration::from_std(self.lease).unwrap_or_else(|_| chrono::Duration::hours(1));
        if !leases::take(conn, self.name, holder, now, until)? {
            return Ok(None);
        }
        (self.work)(conn, clock).map(Some)
    }
}

/// The periodic tasks of a server.
#[derive(Default)]
pub struct Registry {
    tasks: Vec<Task>,
}

impl Registry {
    pub fn new() -> Self {
        Registry::default()
    }

    /// Adds a task that runs `work` every `every` under the lease `name` (see
    /// [`Task::lease`] for how long it is held). Names are unique: a second task of the
    /// same name would share the first one's lease.
    pub fn register<F>(&mut self, name: &'static str, every: Duration, work: F) -> &mut Task
    where
        F: Fn(&mut DbConnection, &Clock) -> Result<usize, Error> + Send + Sync + 'static,
    {
        assert!(self.tasks.iter().all(|t| t.name != name), "periodic task `{name}` registered twice");
        self.tasks.push(Task { name, every, lease: every * 5 / 6, work: Arc::new(work) });
        let last = self.tasks.len() - 1;
        &mut self.tasks[last]
    }

    /// The registered tasks' names, in the order registered.
    pub fn names(&self) -> Vec<&'static str> {
        self.tasks.iter().map(|t| t.name).collect()
    }

    /// Runs the task `name` once as `holder`, if its lease is free or already ours:
    /// `Some(done)`, or `None` when another holder has it. (What each instance's loop
    /// does at every interval; tests call it to run a task now.)
    pub fn run_once(
        &self,
        name: &str,
        conn: &mut DbConnection,
        clock: &Clock,
        holder: &str,
    ) -> Result<Option<usize>, Error> {
        let task = self.tasks.iter().find(|t| t.name == name).ok_or(Error::NotFound)?;
        task.run(conn, clock, holder)
    }

    /// Starts every task on this instance: each runs now, then at its interval, on a
    /// blocking thread with a connection of its own. A failed run is logged and tried
    /// again at the next interval.
    pub fn spawn(self, pool: Pool, clock: Clock) {
        let holder: Arc<str> = uuid::Uuid::new_v4().to_string().into();
        for task in self.tasks {
            let task = Arc::new(task);
            let (pool, clock, holder) = (pool.clone(), clock.clone(), holder.clone());
            tokio::spawn(async move {
                loop {
                    let (t, pool, clock, holder) = (task.clone(), pool.clone(), clock.clone(), holder.clone());
                    let ran = tokio::task::spawn_blocking(move || -> Result<Option<usize>, Error> {
                        let mut conn = pool.get().map_err(|e| Error::Unavailable(e.to_string()))?;
                        t.run(&mut conn, &clock, &holder)
                    })
                    .await;
                    match ran {
                        Ok(Ok(Some(done))) if done > 0 => tracing::info!(task = task.name, done, "periodic task done"),
                        Ok(Err(e)) => {
                            tracing::warn!(task = task.name, error = %e, "periodic task failed; retrying later")
                        }
                        Err(e) => tracing::warn!(task = task.name, error = %e, "periodic task stopped a run"),
                        _ => {}
                    }
                    tokio::time::sleep(task.every).await;
                }
            });
        }
    }
}

/// The server's periodic tasks: closing postings past their apply-by date, lapsing
/// endorsement requests, fair sessions' reminders, and (when
/// `WAYPOINT_SMTP_URL` is set) sending the mail outbox.
pub fn registry(mail: Option<Outgoing>) -> Registry {
    let mut tasks = Registry::new();
    tasks.register("close_postings", Duration::from_secs(60), close_due_postings);
    tasks.register("expire_endorsement_requests", Duration::from_secs(300), expire_endorsement_requests);
    tasks.register("fair_reminders", Duration::from_secs(60), send_fair_reminders);
    // The survey's links in mail to graduates with no portal account are full addresses.
    let public_url = mail.as_ref().map(|o| o.public_url.as_str().to_owned());
    tasks.register("survey_reminders", Duration::from_secs(3600), move |conn, clock| {
        crate::outcomes::survey::remind_due(conn, clock.now_utc(), public_url.as_deref())
    });
    if let Some(outgoing) = mail {
        tasks
            .register("mail", Duration::from_millis(500), move |conn, clock| mail::send_due(conn, clock, &outgoing))
            .lease(Duration::from_secs(30));
    }
    tasks
}

/// Starts the periodic tasks of this instance; `mail` when `WAYPOINT_SMTP_URL` is set.
pub fn spawn(pool: Pool, clock: Clock, mail: Option<Outgoing>) {
    registry(mail).spawn(pool, clock);
}

/// Closes the open postings whose apply-by date has passed on campus: a posting due on
/// Feb 16 takes applications until midnight on campus, not until midnight UTC (7 pm the
/// evening before in New York). What the periodic task runs; idempotent.
pub fn close_due_postings(conn: &mut DbConnection, clock: &Clock) -> Result<usize, Error> {
    crate::opportunities::postings::close_expired(conn, clock.today(), clock.now_utc())
}

/// Open endorsement requests lapse 30 days after they were made (the students are told).
/// What the periodic task runs; idempotent.
pub fn expire_endorsement_requests(conn: &mut DbConnection, clock: &Clock) -> Result<usize, Error> {
    crate::endorsements::requests::expire_due(conn, clock.now_utc())
}

/// Reminders 24 hours and 1 hour before each fair session, to its registered students
/// and its host; each claimed once (see `fairs::store::reminders`). Idempotent.
pub fn send_fair_reminders(conn: &mut DbConnection, clock: &Clock) -> Result<usize, Error> {
    crate::fairs::store::reminders::send_due(conn, clock)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::config::DatabaseUrl;
    use crate::core::Secret;

    /// A migrated SQLite database of its own (the integration tests cover PostgreSQL).
    fn database() -> (tempfile::TempDir, DbConnection) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = DbConnection::open(&DatabaseUrl::Sqlite(dir.path().join("t.db"))).unwrap();
        conn.migrate().unwrap();
        (dir, conn)
    }

    fn clock() -> Clock {
        Clock::fixed_at_campus(chrono_tz::America::New_York, "2027-02-16", "09:00")
    }

    #[test]
    fn a_task_runs_only_where_its_lease_is_held() {
        let (_dir, mut conn) = database();
        let clock = clock();
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let mut tasks = Registry::new();
        tasks.register("count", Duration::from_secs(60), move |_, _| Ok(counted.fetch_add(1, Ordering::SeqCst) + 1));
        assert_eq!(tasks.run_once("count", &mut conn, &clock, "a").unwrap(), Some(1));
        assert_eq!(tasks.run_once("count", &mut conn, &clock, "b").unwrap(), None, "a holds the lease");
        assert_eq!(tasks.run_once("count", &mut conn, &clock, "a").unwrap(), Some(2), "a renews its own");
        clock.advance(chrono::Duration::seconds(49));
        assert_eq!(tasks.run_once("count", &mut conn, &clock, "b").unwrap(), None, "held for 50 s by default");
        clock.advance(chrono::Duration::seconds(2));
        assert_eq!(tasks.run_once("count", &mut conn, &clock, "b").unwrap(), Some(3), "then free for the next");
        assert_eq!(runs.load(Ordering::SeqCst), 3, "nothing ran without the lease");
    }

    #[test]
    fn a_longer_lease_keeps_the_task_with_its_holder_and_failures_come_back() {
        let (_dir, mut conn) = database();
        let clock = clock();
        let mut tasks = Registry::new();
        tasks.register("sticky", Duration::from_millis(500), |_, _| Ok(0)).lease(Duration::from_secs(30));
        tasks.register("broken", Duration::from_secs(60), |_, _| Err(Error::internal("no luck")));
        assert_eq!(tasks.run_once("sticky", &mut conn, &clock, "a").unwrap(), Some(0));
        clock.advance(chrono::Duration::seconds(29));
        assert_eq!(tasks.run_once("sticky", &mut conn, &clock, "b").unwrap(), None);
        assert_eq!(tasks.run_once("broken", &mut conn, &clock, "a"), Err(Error::internal("no luck")));
        assert_eq!(tasks.run_once("nothing", &mut conn, &clock, "a"), Err(Error::NotFound));
    }

    #[test]
    fn the_server_registers_closing_postings_and_mail_only_with_a_mail_server() {
        assert_eq!(
            registry(None).names(),
            ["close_postings", "expire_endorsement_requests", "fair_reminders", "survey_reminders"]
        );
        let outgoing = Outgoing {
            smtp_url: Secret::new("smtp://127.0.0.1:2525"),
            from: "Waypoint <no-reply@careers.northfield.edu>".parse().unwrap(),
            public_url: "https://careers.northfield.edu/".parse().unwrap(),
        };
        assert_eq!(
            registry(Some(outgoing)).names(),
            ["close_postings", "expire_endorsement_requests", "fair_reminders", "survey_reminders", "mail"]
        );
    }

    #[test]
    #[should_panic(expected = "registered twice")]
    fn a_name_is_registered_once() {
        let mut tasks = Registry::new();
        tasks.register("close_postings", Duration::from_secs(60), close_due_postings);
        tasks.register("close_postings", Duration::from_secs(60), close_due_postings);
    }
}
